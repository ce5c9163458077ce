import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchDebs, lockIdentity, type DebSet } from '../../../scripts/lib/deb-lock.ts';
import { sha256 } from '../../../scripts/lib/hash.ts';
import { packageVersionsIdentity } from '../../../scripts/lib/host-deps.ts';
import { withLock } from '../../../scripts/lib/lock.ts';
import { step } from '../../../scripts/lib/log.ts';
import { paths } from '../../../scripts/lib/paths.ts';
import { run } from '../../../scripts/lib/run.ts';
import { setupKernelCompiler } from '../../../toolchain/musl-armv5te.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FRAGMENT = path.join(HERE, 'versatile.fragment');
/** The host packages whose programs the kernel build runs (the cross compiler is pinned). */
const HOST_TOOLS = ['gcc-12', 'make', 'flex', 'bison', 'bc'];

/** Debian's kernel source, pinned like the toolchain. */
export const linuxSourceDebs: DebSet = {
  id: 'linux-source',
  lockFile: path.join(HERE, 'linux-source.lock.json'),
  resolve: async () => [{ name: 'linux-source-6.1', arch: 'all' }],
};

/** A Linux for `qemu-system-arm -M versatilepb`: the cameras' ARM926EJ-S. */
export interface Kernel {
  zImage: string;
  dtb: string;
  /** Directory of every module the build made, by file name (softdog.ko, smc91x.ko). */
  modulesDir: string;
  release: string;
}

export function kernelModule(k: Kernel, name: string): string {
  const ko = path.join(k.modulesDir, `${name}.ko`);
  if (!fs.existsSync(ko)) throw new Error(`the test kernel ${k.release} has no module ${name} (is it =m in ${FRAGMENT}?)`);
  return ko;
}

function kernelAt(dir: string): Kernel {
  return {
    zImage: path.join(dir, 'zImage'),
    dtb: path.join(dir, 'versatile-pb.dtb'),
    modulesDir: path.join(dir, 'modules'),
    release: fs.readFileSync(path.join(dir, 'release'), 'utf8').trim(),
  };
}

/** Every `CONFIG_X=v` and `# CONFIG_X is not set` of the fragment must hold in the final .config. */
function checkFragment(config: string): void {
  const have = new Map<string, string>();
  for (const line of fs.readFileSync(config, 'utf8').split('\n')) {
    const m = /^(CONFIG_\w+)=(.*)$/.exec(line);
    if (m) have.set(m[1], m[2]);
  }
  const wrong: string[] = [];
  for (const line of fs.readFileSync(FRAGMENT, 'utf8').split('\n')) {
    const set = /^(CONFIG_\w+)=(.*)$/.exec(line);
    const unset = /^# (CONFIG_\w+) is not set$/.exec(line);
    const [name, want] = set ? [set[1], set[2]] : unset ? [unset[1], 'n'] : [];
    if (!name) continue;
    const got = have.get(name) ?? 'n';
    if (got !== want) wrong.push(`${name}: wanted ${want}, got ${got}`);
  }
  if (wrong.length) throw new Error(`the kernel configuration does not take ${FRAGMENT} (a dependency is missing):\n  ${wrong.join('\n  ')}`);
}

let cached: Promise<Kernel> | undefined;

/**
 * The test kernel, from the cache (CAMFW_CACHE, which outlives a clean clone) when one was
 * built from the same inputs: the pinned source, the fragment, this file, the compiler and
 * the host tools' versions. Otherwise it is built once, about 8 minutes on two cores.
 */
export function testKernel(): Promise<Kernel> {
  return (cached ??= buildKernel());
}

async function buildKernel(): Promise<Kernel> {
  const compiler = await setupKernelCompiler();
  const key = sha256(
    [lockIdentity(linuxSourceDebs), fs.readFileSync(FRAGMENT, 'utf8'), fs.readFileSync(fileURLToPath(import.meta.url), 'utf8'), compiler.identity, await packageVersionsIdentity(HOST_TOOLS)].join('\0'),
  ).slice(0, 16);
  const dest = path.join(paths.cache, 'kernels', `versatile-${key}`);
  return withLock(`${dest}.lock`, 'the test kernel (another run is building it)', async () => {
    if (fs.existsSync(path.join(dest, '.complete'))) return kernelAt(dest);
    const work = `${dest}.build-${process.pid}`;
    const logFile = path.join(paths.logs, `kernel-${key}.log`);
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    try {
      const [deb] = await fetchDebs(linuxSourceDebs);
      await step('test kernel: unpack linux-source-6.1', async () => {
        await run(['dpkg-deb', '-x', deb, work]);
        const tarball = fs.readdirSync(path.join(work, 'usr/src')).find((f) => /^linux-source-.*\.tar\.xz$/.test(f));
        if (!tarball) throw new Error(`${deb} has no usr/src/linux-source-*.tar.xz`);
        await run(['tar', '-xf', path.join(work, 'usr/src', tarball), '-C', work]);
      });
      const src = path.join(work, fs.readdirSync(work).find((d) => d.startsWith('linux-source-'))!);
      const obj = path.join(work, 'obj');
      const env = { KBUILD_BUILD_TIMESTAMP: '1970-01-01', KBUILD_BUILD_USER: 'camfw', KBUILD_BUILD_HOST: 'camfw' };
      const make = (...targets: string[]) =>
        run(['make', '-C', src, `O=${obj}`, 'ARCH=arm', `CROSS_COMPILE=${compiler.crossPrefix}`, `-j${os.availableParallelism()}`, ...targets], { env, logFile });
      await make('versatile_defconfig');
      await run(['sh', path.join(src, 'scripts/kconfig/merge_config.sh'), '-m', '-O', obj, path.join(obj, '.config'), FRAGMENT], { cwd: src, logFile });
      await make('olddefconfig');
      checkFragment(path.join(obj, '.config'));
      await step('test kernel: make zImage modules dtbs', () => make('zImage', 'modules', 'dtbs'));
      const out = `${work}.out`;
      fs.mkdirSync(path.join(out, 'modules'), { recursive: true });
      fs.copyFileSync(path.join(obj, 'arch/arm/boot/zImage'), path.join(out, 'zImage'));
      fs.copyFileSync(path.join(obj, 'arch/arm/boot/dts/versatile-pb.dtb'), path.join(out, 'versatile-pb.dtb'));
      fs.copyFileSync(path.join(obj, '.config'), path.join(out, 'config'));
      fs.copyFileSync(path.join(obj, 'include/config/kernel.release'), path.join(out, 'release'));
      for (const rel of fs.readdirSync(obj, { recursive: true }) as string[])
        if (rel.endsWith('.ko')) fs.copyFileSync(path.join(obj, rel), path.join(out, 'modules', path.basename(rel)));
      fs.writeFileSync(path.join(out, '.complete'), `${key}\n`);
      fs.rmSync(dest, { recursive: true, force: true });
      fs.renameSync(out, dest);
      return kernelAt(dest);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
      fs.rmSync(`${work}.out`, { recursive: true, force: true });
    }
  });
}
