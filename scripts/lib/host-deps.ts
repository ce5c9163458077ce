import fs from 'node:fs';
import { sha256 } from './hash.ts';
import { log } from './log.ts';
import { run } from './run.ts';

/**
 * Every Debian package camfw needs on the build machine, and why. The cross toolchain
 * and the test kernel are not here: they are pinned .deb files fetched into output/.
 * test/host-programs.test.ts checks that every program the code runs comes from one of
 * these. `recipes: true` marks the tools a recipe build runs (compilers for host-side
 * helpers, make, cmake, the shells and text tools of configure scripts): their versions
 * are part of every recipe's cache key, so a host upgrade rebuilds.
 */
export interface HostPackage {
  name: string;
  why: string;
  /** build: `npm run build` (firmware mode and legal-info included); test: `npm test`; fresh: `npm run test:fresh`. */
  for: 'build' | 'test' | 'fresh';
  recipes?: boolean;
  /** The package whose version is the tool's (a metapackage's real compiler). */
  versionFrom?: string;
}

export const HOST_PACKAGES: HostPackage[] = [
  { name: 'apt', why: 'apt-get download / source for the pinned toolchain, sources and Debian patches', for: 'build' },
  { name: 'dpkg', why: 'dpkg-deb unpacks the toolchain .debs without root', for: 'build' },
  { name: 'git', why: 'the build is named and dated by its commit', for: 'build' },
  { name: 'util-linux', why: "flock: build locks that end with their holder; unshare and nsenter: the tests' network namespace of the camera's", for: 'build' },
  { name: 'gcc', why: 'host compiler for build tools (Kconfig, BusyBox applet tables)', for: 'build', recipes: true, versionFrom: 'gcc-12' },
  { name: 'libc6-dev', why: 'headers for the host build tools', for: 'build', recipes: true },
  { name: 'make', why: 'ffmpeg, busybox, autotools packages', for: 'build', recipes: true },
  { name: 'cmake', why: 'lighttpd, pcre2', for: 'build', recipes: true },
  { name: 'pkgconf', why: 'finds dependencies in the recipe sysroot', for: 'build', recipes: true },
  { name: 'patch', why: "applies Debian's security fixes to the sources", for: 'build', recipes: true },
  { name: 'tar', why: 'unpacks sources', for: 'build', recipes: true },
  { name: 'xz-utils', why: '.tar.xz sources', for: 'build', recipes: true },
  { name: 'bzip2', why: '.tar.bz2 sources', for: 'build', recipes: true },
  { name: 'gzip', why: '.tar.gz sources', for: 'build', recipes: true },
  { name: 'dash', why: 'sh: configure scripts and Makefiles', for: 'build', recipes: true },
  { name: 'bash', why: 'scripts of BusyBox and ffmpeg builds', for: 'build', recipes: true },
  { name: 'coreutils', why: 'configure scripts and Makefiles', for: 'build', recipes: true },
  { name: 'sed', why: 'configure scripts and Makefiles', for: 'build', recipes: true },
  { name: 'grep', why: 'configure scripts and Makefiles', for: 'build', recipes: true },
  { name: 'mawk', why: 'awk: configure scripts and Makefiles', for: 'build', recipes: true },
  { name: 'findutils', why: 'configure scripts and Makefiles', for: 'build', recipes: true },
  { name: 'diffutils', why: 'configure scripts and Makefiles (cmp)', for: 'build', recipes: true },
  { name: 'unzip', why: 'vendor toolchain archives in .zip', for: 'build' },
  { name: 'dosfstools', why: 'mkfs.vfat for the card images', for: 'build' },
  { name: 'mtools', why: 'writes files into FAT images without mounting', for: 'build' },
  { name: 'e2fsprogs', why: 'mke2fs/debugfs for fang data partition; e2fsck/dumpe2fs check it in the tests', for: 'build' },
  { name: 'fdisk', why: 'sfdisk writes the MBR partition tables', for: 'build' },
  { name: 'mtd-utils', why: 'mkfs.jffs2 repacks the stock YI home (firmware mode, --stock-home)', for: 'build' },
  { name: 'u-boot-tools', why: 'mkimage wraps the repacked YI home in its uImage header (firmware mode)', for: 'build' },
  { name: 'base-files', why: "the GPL-2 text for our own code's licence (legal-info, licenses/)", for: 'build' },
  { name: 'qemu-user', why: 'qemu-arm runs the ARM programs as an ARM926', for: 'test' },
  { name: 'qemu-system-arm', why: 'boots the emulated cameras', for: 'test' },
  { name: 'cpio', why: 'packs the initramfs of the emulated cameras', for: 'test' },
  { name: 'flex', why: "the emulated cameras' Linux kernel (Kconfig, dtc)", for: 'test' },
  { name: 'bison', why: "the emulated cameras' Linux kernel (Kconfig, dtc)", for: 'test' },
  { name: 'bc', why: "the emulated cameras' Linux kernel (timeconst)", for: 'test' },
  { name: 'binutils', why: 'readelf checks ARM attributes of the programs', for: 'test' },
  { name: 'ffmpeg', why: 'makes test video and reads back what avworker-min wrote (ffmpeg, ffprobe)', for: 'test' },
  { name: 'python3-minimal', why: "Debian's /usr/bin/python3 runs GStreamer's RTSP server, the emulated cameras' image sensor", for: 'test' },
  { name: 'python3-gi', why: "GStreamer's Python bindings for the RTSP sensor", for: 'test' },
  { name: 'gir1.2-gst-rtsp-server-1.0', why: "GStreamer's RTSP server (the sensor behind the vendor RTSP stand-ins)", for: 'test' },
  { name: 'gstreamer1.0-plugins-base', why: 'test video and audio sources for the RTSP sensor (videotestsrc, audiotestsrc)', for: 'test' },
  { name: 'gstreamer1.0-plugins-good', why: 'RTP payloaders and G.711 encoders for the RTSP sensor', for: 'test' },
  { name: 'gstreamer1.0-plugins-ugly', why: 'x264enc: the RTSP sensor\'s H.264', for: 'test' },
  { name: 'gstreamer1.0-libav', why: 'avenc_aac: the RTSP sensor\'s AAC audio', for: 'test' },
  { name: 'nginx', why: "the RTMP server avworker-min pushes to in the tests (with Debian's RTMP module)", for: 'test' },
  { name: 'libnginx-mod-rtmp', why: "nginx's RTMP module: records what arrives and drops publishers on demand", for: 'test' },
  { name: 'chromium', why: 'the browser the web UI tests drive (playwright-core, with this executable: nothing downloads a browser)', for: 'test' },
  { name: 'openssh-client', why: "ssh logs in to the emulated cameras' SSH service (dropbear) with the owner's password", for: 'test' },
  { name: 'curl', why: "the FTP client that logs in to the emulated cameras' FTP service and downloads a recording", for: 'test' },
  { name: 'time', why: "/usr/bin/time: peak memory and CPU time of avworker-min and the ffmpeg program (npm run bench)", for: 'test' },
  { name: 'faketime', why: 'runs the reproducibility test under a faked clock', for: 'test' },
  { name: 'diffoscope-minimal', why: 'says where two builds differ (npm run compare)', for: 'test' },
  { name: 'autoconf', why: 'makes the tiny autotools package that tests the autotools builder', for: 'test' },
  { name: 'shellcheck', why: 'checks every shell script that goes on a card', for: 'test' },
  { name: 'iproute2', why: "ip: the camera's interface and routes in a network namespace of the test's own, for camfw-api's own-network rule", for: 'test' },
  { name: 'mmdebstrap', why: 'makes the fresh Debian 12 root that npm run test:fresh proves the README in', for: 'fresh' },
  { name: 'ca-certificates', why: 'npm and apt over TLS inside the fresh root', for: 'fresh' },
  { name: 'mount', why: 'mounts /proc, /sys and /dev in the fresh root', for: 'fresh' },
];

/** The packages one purpose needs: the tests need all of them. */
export function packagesFor(purpose: HostPackage['for']): HostPackage[] {
  // the tests check every program the code runs, test:fresh's too
  const wanted: Record<HostPackage['for'], Array<HostPackage['for']>> = { build: ['build'], test: ['build', 'test', 'fresh'], fresh: ['fresh'] };
  return HOST_PACKAGES.filter((p) => wanted[purpose].includes(p.for));
}

/** Installed version of each package (absent ones are left out). */
async function installedVersions(names: string[]): Promise<Map<string, string>> {
  const r = await run(['dpkg-query', '-W', '-f=${Package} ${db:Status-Status} ${Version}\\n', ...names], { allowFail: true });
  const versions = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const [pkg, status, version] = line.split(' ');
    if (status === 'installed') versions.set(pkg.replace(/:.*/, ''), version);
  }
  return versions;
}

export function installCommand(names: string[]): string {
  return `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${names.join(' ')}`;
}

export class MissingHostPackagesError extends Error {}

/**
 * Makes sure the host packages for `purpose` are installed: installs them when running
 * as root, otherwise fails with the one command that installs them.
 */
export async function ensureHostPackages(purpose: HostPackage['for']): Promise<void> {
  const wanted = packagesFor(purpose);
  const have = await installedVersions(wanted.map((p) => p.name));
  const absent = wanted.filter((p) => !have.has(p.name)).map((p) => p.name);
  if (absent.length === 0) return;
  if (process.getuid?.() !== 0)
    throw new MissingHostPackagesError(
      `missing Debian packages: ${absent.join(', ')}\n` +
        absent.map((n) => `  ${n}: ${wanted.find((p) => p.name === n)!.why}`).join('\n') +
        `\ninstall them with:\n  ${installCommand(absent)}`,
    );
  log.info(`installing host packages: ${absent.join(' ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await run(['apt-get', 'update'], { env, allowFail: true });
  await withoutServiceStarts(() => run(['apt-get', 'install', '-y', '--no-install-recommends', ...absent], { env }));
}

const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/**
 * camfw installs packages for their programs, never to run their services: nginx's
 * would take port 80 of the machine (or of the fresh root's host) and outlive the tests.
 * invoke-rc.d and deb-systemd-invoke ask policy-rc.d first; 101 means "not allowed". A
 * policy already in place (a container's) is left as it is.
 */
async function withoutServiceStarts<T>(install: () => Promise<T>): Promise<T> {
  if (fs.existsSync(POLICY_RC_D)) return install();
  fs.writeFileSync(POLICY_RC_D, '#!/bin/sh\n# camfw is installing packages for their programs: no service starts\nexit 101\n', { mode: 0o755 });
  try {
    return await install();
  } finally {
    fs.rmSync(POLICY_RC_D, { force: true });
  }
}

/**
 * The installed versions of `names` as one short hash, for a cache key; fails naming the
 * packages that are not installed.
 */
export async function packageVersionsIdentity(names: string[]): Promise<string> {
  const versions = await installedVersions(names);
  const missing = names.filter((n) => !versions.has(n));
  if (missing.length) throw new MissingHostPackagesError(`host tools are not installed: ${missing.join(', ')}; run \`npm run build\` as root, or: ${installCommand(missing)}`);
  return sha256(names.map((n) => `${n}=${versions.get(n)}`).join('\n')).slice(0, 16);
}

let hostTools: Promise<string> | undefined;
/**
 * The versions of the host tools that recipe builds run, as one short hash: part of
 * every recipe's cache key.
 */
export function hostToolsIdentity(): Promise<string> {
  return (hostTools ??= packageVersionsIdentity(HOST_PACKAGES.filter((p) => p.recipes).map((p) => p.versionFrom ?? p.name)));
}
