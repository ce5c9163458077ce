import { run } from './run.ts';
import { log } from './log.ts';

/**
 * Every Debian package camfw needs on the build machine, and why. The cross toolchain
 * and the test kernel are not here: they are pinned .deb files fetched into output/.
 */
export interface HostPackage {
  name: string;
  why: string;
  for: 'build' | 'test';
}

export const HOST_PACKAGES: HostPackage[] = [
  { name: 'apt', why: 'apt-get download / source for pinned toolchain and sources', for: 'build' },
  { name: 'dpkg', why: 'dpkg-deb unpacks the toolchain .debs without root', for: 'build' },
  { name: 'gcc', why: 'host compiler for build tools (lemon, Kconfig)', for: 'build' },
  { name: 'libc6-dev', why: 'headers for the host build tools', for: 'build' },
  { name: 'make', why: 'ffmpeg, busybox', for: 'build' },
  { name: 'cmake', why: 'lighttpd, pcre2', for: 'build' },
  { name: 'pkgconf', why: 'finds dependencies in the recipe sysroot', for: 'build' },
  { name: 'tar', why: 'unpacks sources', for: 'build' },
  { name: 'xz-utils', why: '.tar.xz sources', for: 'build' },
  { name: 'bzip2', why: '.tar.bz2 sources', for: 'build' },
  { name: 'unzip', why: 'vendor toolchain archives in .zip', for: 'build' },
  { name: 'dosfstools', why: 'mkfs.vfat for the card images', for: 'build' },
  { name: 'mtools', why: 'writes files into FAT images without mounting', for: 'build' },
  { name: 'e2fsprogs', why: 'mke2fs/debugfs for fang data partition', for: 'build' },
  { name: 'fdisk', why: 'sfdisk writes the MBR partition tables', for: 'build' },
  { name: 'qemu-user', why: 'qemu-arm runs the ARM programs as an ARM926', for: 'test' },
  { name: 'qemu-system-arm', why: 'boots the emulated cameras', for: 'test' },
  { name: 'cpio', why: 'packs the initramfs of the emulated cameras', for: 'test' },
  { name: 'binutils', why: 'readelf checks ARM attributes of the programs', for: 'test' },
  { name: 'ffmpeg', why: 'makes test video and reads back what avworker-min wrote', for: 'test' },
  { name: 'faketime', why: 'runs the reproducibility test under a faked clock', for: 'test' },
  { name: 'diffoscope-minimal', why: 'says where two builds differ (npm run compare)', for: 'test' },
];

async function missing(names: string[]): Promise<string[]> {
  const r = await run(['dpkg-query', '-W', '-f=${Package} ${db:Status-Status}\\n', ...names], { allowFail: true });
  const installed = new Set(
    r.stdout
      .split('\n')
      .filter((l) => l.endsWith(' installed'))
      .map((l) => l.split(' ')[0].replace(/:.*/, '')),
  );
  return names.filter((n) => !installed.has(n));
}

export function installCommand(names: string[]): string {
  return `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${names.join(' ')}`;
}

export class MissingHostPackagesError extends Error {}

/**
 * Makes sure the host packages for `purpose` are installed: installs them when running
 * as root, otherwise fails with the one command that installs them.
 */
export async function ensureHostPackages(purpose: 'build' | 'test' | 'all'): Promise<void> {
  const wanted = HOST_PACKAGES.filter((p) => purpose === 'all' || p.for === purpose || (purpose === 'test' && p.for === 'build'));
  const absent = await missing(wanted.map((p) => p.name));
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
  await run(['apt-get', 'install', '-y', '--no-install-recommends', ...absent], { env });
}
