import fs from 'node:fs';
import path from 'node:path';
import { run } from '../run.ts';

export interface Partition {
  image: string;
  /** MBR type: c = FAT32 LBA, 83 = Linux. */
  type: 'c' | 'e' | '83';
  sizeMiB: number;
}

const SECTOR = 512;
const FIRST_MIB = 1; // partitions start at 1 MiB, as card tools expect

/**
 * Copies `size` bytes of `src` from `srcOffset` into `dst` at `dstOffset` (created if
 * missing, otherwise written in place), in 4 MiB steps.
 */
export function copyBytes(src: string, srcOffset: number, dst: string, dstOffset: number, size: number): void {
  const from = fs.openSync(src, 'r');
  const to = fs.openSync(dst, fs.existsSync(dst) ? 'r+' : 'w');
  const buf = Buffer.alloc(4 * 1024 * 1024);
  try {
    for (let done = 0; done < size; ) {
      const n = fs.readSync(from, buf, 0, Math.min(buf.length, size - done), srcOffset + done);
      if (n === 0) throw new Error(`${src} ends at byte ${srcOffset + done}, before the ${size} bytes to copy`);
      fs.writeSync(to, buf, 0, n, dstOffset + done);
      done += n;
    }
  } finally {
    fs.closeSync(from);
    fs.closeSync(to);
  }
}

/**
 * An MBR disk image: the partition table from sfdisk with a fixed disk signature, then
 * each partition image copied to its place.
 */
export async function makeMbrDisk(out: string, labelId: number, parts: Partition[]): Promise<void> {
  const totalMiB = FIRST_MIB + parts.reduce((s, p) => s + p.sizeMiB, 0);
  fs.rmSync(out, { force: true });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.closeSync(fs.openSync(out, 'w'));
  fs.truncateSync(out, totalMiB * 1024 * 1024);
  let startMiB = FIRST_MIB;
  const lines = ['label: dos', `label-id: 0x${labelId.toString(16).padStart(8, '0')}`, 'unit: sectors', ''];
  const placed: Array<{ image: string; offset: number; size: number }> = [];
  for (const p of parts) {
    const size = fs.statSync(p.image).size;
    if (size > p.sizeMiB * 1024 * 1024) throw new Error(`${p.image} (${size} bytes) is larger than its ${p.sizeMiB} MiB partition`);
    lines.push(`start=${(startMiB * 1024 * 1024) / SECTOR}, size=${(p.sizeMiB * 1024 * 1024) / SECTOR}, type=${p.type}`);
    placed.push({ image: p.image, offset: startMiB * 1024 * 1024, size });
    startMiB += p.sizeMiB;
  }
  await run(['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', out], { input: lines.join('\n') + '\n' });
  for (const p of placed) copyBytes(p.image, 0, out, p.offset, p.size);
}
