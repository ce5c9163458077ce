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
  const fd = fs.openSync(out, 'r+');
  try {
    for (const p of placed) {
      const src = fs.openSync(p.image, 'r');
      const buf = Buffer.alloc(4 * 1024 * 1024);
      for (let done = 0; done < p.size; ) {
        const n = fs.readSync(src, buf, 0, buf.length, done);
        fs.writeSync(fd, buf, 0, n, p.offset + done);
        done += n;
      }
      fs.closeSync(src);
    }
  } finally {
    fs.closeSync(fd);
  }
}
