import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TARGET_CFLAGS } from '../scripts/lib/cameras.ts';
import { lockIdentity, unpackDebs, type DebSet } from '../scripts/lib/deb-lock.ts';
import { run } from '../scripts/lib/run.ts';
import { reproduciblePaths, toolchainIdentity, type Toolchain } from './types.ts';
import { writeGenerated, writeWrappers } from './wrappers.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * The default toolchain: Debian's armel cross gcc 12 and binutils with musl 1.2.3,
 * fetched as pinned .deb files and used from output/toolchain, never from /usr.
 * Static musl runs on the cameras' 2.6.35 and 3.0.8 kernels; their uClibc cannot
 * load glibc programs and Debian's glibc wants kernel 3.2.
 */
export const MUSL_PACKAGES: Array<{ name: string; arch: string }> = [
  { name: 'gcc-12-arm-linux-gnueabi', arch: 'amd64' },
  { name: 'cpp-12-arm-linux-gnueabi', arch: 'amd64' },
  { name: 'gcc-12-arm-linux-gnueabi-base', arch: 'amd64' },
  { name: 'binutils-arm-linux-gnueabi', arch: 'amd64' },
  { name: 'libgcc-12-dev-armel-cross', arch: 'all' },
  { name: 'libgcc-s1-armel-cross', arch: 'all' },
  { name: 'libatomic1-armel-cross', arch: 'all' },
  { name: 'linux-libc-dev-armel-cross', arch: 'all' },
  { name: 'musl-dev', arch: 'armel' },
  { name: 'musl', arch: 'armel' },
  // gcc's and binutils' own host libraries, so nothing is taken from the host's /usr
  { name: 'libisl23', arch: 'amd64' },
  { name: 'libmpc3', arch: 'amd64' },
  { name: 'libmpfr6', arch: 'amd64' },
  { name: 'libjansson4', arch: 'amd64' },
  { name: 'libbinutils', arch: 'amd64' },
  { name: 'libctf0', arch: 'amd64' },
  { name: 'libctf-nobfd0', arch: 'amd64' },
  { name: 'libgprofng0', arch: 'amd64' },
];

export const muslDebs: DebSet = {
  id: 'musl-armv5te',
  lockFile: path.join(HERE, 'musl-armv5te.lock.json'),
  resolve: async () => MUSL_PACKAGES,
};

const GNU = 'arm-linux-gnueabi';
const MUSL = 'arm-linux-musleabi';

/**
 * Debian's musl-gcc.specs names absolute /usr paths; point them into the unpacked tree and
 * add the kernel headers (after musl's, as the specs' -nostdinc requires) for programs
 * that include <linux/...>.
 */
function rewriteSpecs(root: string): { file: string; digest: string } {
  const original = path.join(root, 'usr/lib', MUSL, 'musl-gcc.specs');
  if (!fs.existsSync(original)) throw new Error(`musl-dev:armel did not provide ${original}`);
  const kernelHeaders = path.join(root, 'usr', GNU, 'include');
  const specs = fs
    .readFileSync(original, 'utf8')
    .replaceAll(`/usr/lib/${MUSL}`, `${root}/usr/lib/${MUSL}`)
    .replaceAll(`-isystem /usr/include/${MUSL}`, `-isystem ${root}/usr/include/${MUSL} -idirafter ${kernelHeaders}`);
  if (specs.includes(' /usr/') || specs.includes('-L/usr/')) throw new Error(`musl specs still name /usr after rewriting: ${original}`);
  const { dir, digest } = writeGenerated(root, 'camfw-specs', { 'musl-gcc.specs': { content: specs, mode: 0o644 } });
  return { file: path.join(dir, 'musl-gcc.specs'), digest };
}

/** Wrappers named `prefix`* around the unpacked Debian cross gcc and binutils. */
function debianCrossWrappers(root: string, prefix: string, gccFlags: string[], targetFlags: readonly string[]) {
  return writeWrappers({
    root,
    prefix,
    gcc: path.join(root, 'usr/bin', `${GNU}-gcc-12`),
    gccFlags,
    targetFlags,
    binutilsPrefix: path.join(root, 'usr/bin', `${GNU}-`),
    hostLibDirs: [path.join(root, 'usr/lib/x86_64-linux-gnu')],
  });
}

/** The toolchain, with `targetFlags` (the cameras' CPU flags) in its compiler wrappers. */
export async function setupMusl(targetFlags: readonly string[] = TARGET_CFLAGS): Promise<Toolchain> {
  const root = await unpackDebs(muslDebs);
  const gcc = path.join(root, 'usr/bin', `${GNU}-gcc-12`);
  if (!fs.existsSync(gcc)) throw new Error(`unpacked toolchain has no ${gcc}`);
  const specs = rewriteSpecs(root);
  const wrappers = debianCrossWrappers(root, `${MUSL}-`, [`-specs=${specs.file}`], targetFlags);
  const gccVersion = (await run([`${wrappers.crossPrefix}gcc`, '-dumpversion'])).stdout.trim();
  const { buildRoot, cflags: reproducibleCflags } = reproduciblePaths(gccVersion);
  return {
    id: 'musl-armv5te',
    description: `Debian gcc ${gccVersion} + musl 1.2.3 (armel), static`,
    libc: 'musl 1.2.3',
    triple: MUSL,
    crossPrefix: wrappers.crossPrefix,
    gccVersion,
    buildRoot,
    reproducibleCflags,
    linkedLicenses: [
      { name: 'musl', file: path.join(root, 'usr/share/doc/musl/copyright') },
      { name: 'libgcc', file: path.join(root, 'usr/share/doc/gcc-12-arm-linux-gnueabi-base/copyright') },
    ],
    identity: toolchainIdentity('musl-armv5te', lockIdentity(muslDebs), [wrappers.digest, specs.digest], reproducibleCflags),
  };
}

/**
 * The same Debian cross gcc and binutils without musl and without the cameras' flags:
 * the compiler for the emulated cameras' Linux kernel (kbuild sets its own CPU flags).
 */
export async function setupKernelCompiler(): Promise<{ crossPrefix: string; identity: string }> {
  const root = await unpackDebs(muslDebs);
  const wrappers = debianCrossWrappers(root, `${GNU}-`, [], []);
  return { crossPrefix: wrappers.crossPrefix, identity: `${lockIdentity(muslDebs)}-${wrappers.digest}` };
}
