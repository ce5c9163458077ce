import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { paths } from '../../scripts/lib/paths.ts';
import { run, startBackground } from '../../scripts/lib/run.ts';
import { moduleLoadOrder, prepareKernel } from './kernel.ts';

const FIRMWARE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'firmware');

/** Kernel modules the emulated cameras load: the card disk, the network, the card's filesystems. */
const MODULES = ['virtio_mmio', 'virtio_blk', 'virtio_net', 'vfat', 'nls_cp437', 'nls_ascii', 'nls_iso8859-1', 'crc32c_generic', 'ext4'];
/** Modules a stock firmware model loads itself: softdog stands in for a camera's hardware watchdog. */
const FIRMWARE_MODULES = ['softdog'];

/**
 * The initramfs of an emulated camera: camfw's own busybox as the stock system's tools,
 * the kernel modules, and /init playing the stock firmware of `model`.
 */
export async function buildInitramfs(model: 'fang' | 'yi', busybox: string, out: string): Promise<void> {
  const kernel = await prepareKernel();
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
  const modules = moduleLoadOrder(kernel, MODULES);
  for (const ko of [...modules, ...moduleLoadOrder(kernel, FIRMWARE_MODULES)]) fs.copyFileSync(ko, path.join(root, 'lib/modules', path.basename(ko)));
  fs.writeFileSync(path.join(root, 'etc/modules'), modules.map((m) => path.basename(m)).join('\n') + '\n');
  fs.copyFileSync(path.join(FIRMWARE, 'common.sh'), path.join(root, 'etc/firmware-common.sh'));
  fs.copyFileSync(path.join(FIRMWARE, `${model}.sh`), path.join(root, 'init'));
  fs.chmodSync(path.join(root, 'init'), 0o755);
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
  stop(): Promise<void>;
}

/**
 * Boots an emulated camera: the armmp kernel on `-M virt`, the initramfs, and the card
 * image as a virtio disk (a snapshot unless `writable`: the image on disk is not changed).
 * Guest port 80 is forwarded to a free port on 127.0.0.1.
 */
export interface BootOptions {
  /** Write to the card image itself (to test what the camera changes on it); default: a snapshot. */
  writable?: boolean;
  /** An ext2 image the emulated YI mounts as its flash /home (its stock programs). */
  home?: string;
}

export async function bootCamera(model: 'fang' | 'yi', cardImage: string, busybox: string, opts: BootOptions = {}): Promise<RunningCamera> {
  const work = path.join(paths.output, 'qemu', `${model}-run`);
  fs.mkdirSync(work, { recursive: true });
  const initrd = path.join(work, 'initrd.gz');
  await buildInitramfs(model, busybox, initrd);
  const kernel = await prepareKernel();
  const port = await freePort();
  const consoleLog = path.join(work, 'console.log');
  fs.writeFileSync(consoleLog, '');
  const argv = [
    'qemu-system-arm', '-M', 'virt', '-cpu', 'cortex-a15', '-m', '256',
    '-kernel', kernel.vmlinuz, '-initrd', initrd,
    '-append', 'console=ttyAMA0 panic=-1 rdinit=/init',
    '-drive', `file=${cardImage},format=raw,if=none,id=card${opts.writable ? '' : ',snapshot=on'}`,
    '-device', 'virtio-blk-device,drive=card',
    ...(opts.home ? ['-drive', `file=${opts.home},format=raw,if=none,id=home`, '-device', 'virtio-blk-device,drive=home'] : []),
    '-netdev', `user,id=net0,hostfwd=tcp:127.0.0.1:${port}-:80`,
    '-device', 'virtio-net-device,netdev=net0',
    '-display', 'none', '-monitor', 'none', '-serial', `file:${consoleLog}`, '-no-reboot',
  ];
  const qemu = startBackground(argv);
  return {
    url: `http://127.0.0.1:${port}/`,
    consoleLog,
    console: () => `${fs.readFileSync(consoleLog, 'utf8')}${qemu.stderr() ? `\n[qemu stderr]\n${qemu.stderr()}` : ''}`,
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
