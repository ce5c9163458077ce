import fs from 'node:fs';
import path from 'node:path';
import { run } from '../../scripts/lib/run.ts';

/** Puts `busybox` at bin/busybox of the tree `root`, with a link for each of its applets where it installs them. */
export async function installBusybox(root: string, busybox: string): Promise<void> {
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin']) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.copyFileSync(busybox, path.join(root, 'bin/busybox'));
  fs.chmodSync(path.join(root, 'bin/busybox'), 0o755);
  const applets = (await run(['qemu-arm', '-cpu', 'arm926', busybox, '--list-full'])).stdout.trim().split('\n');
  for (const a of applets) {
    if (a === 'bin/busybox') continue;
    const depth = a.split('/').length - 1;
    fs.symlinkSync(`${'../'.repeat(depth)}bin/busybox`, path.join(root, a));
  }
}

/** Packs the tree `root` as a gzipped newc initramfs at `out`, owned by root, and removes the tree. */
export async function packInitramfs(root: string, out: string): Promise<void> {
  const entries = ['.', ...(fs.readdirSync(root, { recursive: true }) as string[]).map((rel) => `./${rel}`)].sort();
  await run(['cpio', '-o', '-H', 'newc', '--quiet', '-R', '0:0'], { cwd: root, input: entries.join('\n') + '\n', stdoutFile: out, gzipLevel: 1 });
  fs.rmSync(root, { recursive: true, force: true });
}
