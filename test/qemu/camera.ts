import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { paths } from '../../scripts/lib/paths.ts';
import { run, startBackground } from '../../scripts/lib/run.ts';
import { CAMERAS } from '../../scripts/lib/cameras.ts';
import { kernelModule, testKernel } from './kernel/kernel.ts';
import { allowedRanges, surfacePrograms } from './surface/surface.ts';

const FIRMWARE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'firmware');

/**
 * Modules of the test kernel that the stock firmware models load: the network card
 * (mii and smc91x) and softdog, the stand-in for a camera's hardware watchdog.
 */
const FIRMWARE_MODULES = ['mii', 'smc91x', 'softdog'];

/**
 * The RAM Linux gets on each camera, in MB, plus 1 MB for the test kernel, which keeps
 * about 0.9 MB more for itself than the cameras' 2.6.35 and 3.0.8 kernels (7092K reserved
 * against 6172K). YI: `mem=40M` on the kernel command line (../shared/reference/yi.md §6,
 * boot log). Xiaofang: 64 MB with `isp=10M vc=12M` taken for the ISP and the video codec,
 * 42 MB for Linux, which reports "36836k/36836k available, 28700k reserved"
 * (fang-hacks.md §5, dmesg of samtap/fang-hacks#243); here 43 MB leaves 36940K available.
 */
const LINUX_RAM_MB: Record<'fang' | 'yi', number> = { fang: 43, yi: 41 };

/**
 * The initramfs of an emulated camera: camfw's own busybox as the stock system's tools,
 * the kernel modules, and /init playing the stock firmware of `model` under camera-kernel:
 * every process, the card's included, sees only the system calls of the camera's kernel.
 */
export async function buildInitramfs(model: 'fang' | 'yi', busybox: string, out: string): Promise<void> {
  const kernel = await testKernel();
  const root = `${out}.d`;
  fs.rmSync(root, { recursive: true, force: true });
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'proc', 'sys', 'dev', 'tmp', 'lib/modules'])
    fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.copyFileSync(busybox, path.join(root, 'bin/busybox'));
  fs.chmodSync(path.join(root, 'bin/busybox'), 0o755);
  const applets = (await run(['qemu-arm', '-cpu', 'arm926', busybox, '--list-full'])).stdout.trim().split('\n');
  for (const a of applets) {
    if (a === 'bin/busybox') continue;
    const depth = a.split('/').length - 1;
    fs.symlinkSync(`${'../'.repeat(depth)}bin/busybox`, path.join(root, a));
  }
  for (const m of FIRMWARE_MODULES) fs.copyFileSync(kernelModule(kernel, m), path.join(root, 'lib/modules', `${m}.ko`));
  fs.copyFileSync(path.join(FIRMWARE, 'common.sh'), path.join(root, 'etc/firmware-common.sh'));
  fs.copyFileSync(path.join(FIRMWARE, `${model}.sh`), path.join(root, 'sbin/stock-init'));
  fs.chmodSync(path.join(root, 'sbin/stock-init'), 0o755);
  const surface = await surfacePrograms();
  fs.copyFileSync(surface.launcher, path.join(root, 'init'));
  fs.copyFileSync(surface.probe, path.join(root, 'usr/bin/syscall-probe'));
  fs.chmodSync(path.join(root, 'init'), 0o755);
  fs.chmodSync(path.join(root, 'usr/bin/syscall-probe'), 0o755);
  fs.writeFileSync(path.join(root, 'etc/camera-syscalls'), allowedRanges(CAMERAS[model].kernel));
  const entries = ['.', ...(fs.readdirSync(root, { recursive: true }) as string[]).map((rel) => `./${rel}`)].sort();
  await run(['cpio', '-o', '-H', 'newc', '--quiet', '-R', '0:0'], { cwd: root, input: entries.join('\n') + '\n', stdoutFile: out, gzipLevel: 1 });
  fs.rmSync(root, { recursive: true, force: true });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface RunningCamera {
  /** The camera's web server, forwarded from host loopback. */
  url: string;
  consoleLog: string;
  console(): string;
  /** Waits until the console has a line matching `re`; returns the console. */
  consoleLine(re: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export interface BootOptions {
  /** Write to the card image itself (to test what the camera changes on it); default: a snapshot. */
  writable?: boolean;
  /** The emulated YI's home flash partition (JFFS2, 9088 KiB): block2mtd makes it an MTD device. */
  home?: string;
}

/**
 * Boots an emulated camera: the test kernel on `-M versatilepb` (an ARM926EJ-S, the
 * cameras' CPU), the initramfs, and the card image as a virtio disk on the PCI bus (a
 * snapshot unless `writable`: the image on disk is not changed). The network card is the
 * board's SMC91C111; guest port 80 is forwarded to a free port on 127.0.0.1.
 */
export async function bootCamera(model: 'fang' | 'yi', cardImage: string, busybox: string, opts: BootOptions = {}): Promise<RunningCamera> {
  const work = path.join(paths.output, 'qemu', `${model}-run`);
  fs.mkdirSync(work, { recursive: true });
  const initrd = path.join(work, 'initrd.gz');
  await buildInitramfs(model, busybox, initrd);
  const kernel = await testKernel();
  const port = await freePort();
  const consoleLog = path.join(work, 'console.log');
  fs.writeFileSync(consoleLog, '');
  const argv = [
    'qemu-system-arm', '-M', 'versatilepb', '-m', String(LINUX_RAM_MB[model]),
    '-kernel', kernel.zImage, '-dtb', kernel.dtb, '-initrd', initrd,
    '-append', 'console=ttyAMA0 panic=-1 rdinit=/init -- /etc/camera-syscalls /sbin/stock-init',
    '-drive', `file=${cardImage},format=raw,if=none,id=card${opts.writable ? '' : ',snapshot=on'}`,
    '-device', 'virtio-blk-pci,drive=card',
    ...(opts.home ? ['-drive', `file=${opts.home},format=raw,if=none,id=home`, '-device', 'virtio-blk-pci,drive=home'] : []),
    '-nic', `user,id=net0,model=smc91c111,hostfwd=tcp:127.0.0.1:${port}-:80`,
    // the board's sound chip (PL041) gets no host audio
    '-audiodev', 'none,id=noaudio', '-global', 'pl041.audiodev=noaudio',
    '-display', 'none', '-monitor', 'none', '-serial', `file:${consoleLog}`, '-no-reboot',
  ];
  const qemu = startBackground(argv);
  const readConsole = () => `${fs.readFileSync(consoleLog, 'utf8')}${qemu.stderr() ? `\n[qemu stderr]\n${qemu.stderr()}` : ''}`;
  return {
    url: `http://127.0.0.1:${port}/`,
    consoleLog,
    console: readConsole,
    async consoleLine(re, timeoutMs = 60_000) {
      const t0 = Date.now();
      while (Date.now() - t0 < timeoutMs) {
        if (re.test(readConsole())) return readConsole();
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`no ${re} on the console within ${timeoutMs / 1000}s:\n${readConsole().slice(-3000)}`);
    },
    stop: () => qemu.stop(),
  };
}

/** Polls `url` until it answers 200 or `timeoutMs` passes; returns the body and the time it took. */
export async function waitForPage(url: string, timeoutMs: number): Promise<{ body: string; ms: number }> {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const body = await res.text();
      if (res.ok) return { body, ms: Date.now() - t0 };
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no page at ${url} within ${timeoutMs / 1000}s (last: ${last})`);
}
