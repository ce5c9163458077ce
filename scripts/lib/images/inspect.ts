import fs from 'node:fs';
import path from 'node:path';
import { run } from '../run.ts';
import { sha256File } from '../hash.ts';
import { copyBytes } from './disk.ts';
import { walkTree } from './tree.ts';

/** One entry of an MBR partition table. */
export interface MbrPartition {
  index: number;
  type: number;
  offset: number;
  size: number;
}

/** The primary partitions of an MBR disk image. */
export function readMbr(image: string): MbrPartition[] {
  const fd = fs.openSync(image, 'r');
  const mbr = Buffer.alloc(512);
  fs.readSync(fd, mbr, 0, 512, 0);
  fs.closeSync(fd);
  if (mbr.readUInt16LE(510) !== 0xaa55) throw new Error(`${image}: no MBR boot signature`);
  const parts: MbrPartition[] = [];
  for (let i = 0; i < 4; i++) {
    const e = 446 + i * 16;
    const type = mbr[e + 4];
    if (type === 0) continue;
    parts.push({ index: i + 1, type, offset: mbr.readUInt32LE(e + 8) * 512, size: mbr.readUInt32LE(e + 12) * 512 });
  }
  return parts;
}

/** Copies one partition of a disk image to its own file. */
export function extractPartition(image: string, p: MbrPartition, out: string): void {
  fs.rmSync(out, { force: true });
  copyBytes(image, p.offset, out, 0, p.size);
}

const FAT_TYPES = new Set([0x01, 0x04, 0x06, 0x0b, 0x0c, 0x0e]);

/** Unpacks a FAT or ext2 filesystem image into `dest`, without mounting it. */
export async function unpackFilesystem(fsImage: string, type: number, dest: string): Promise<void> {
  fs.mkdirSync(dest, { recursive: true });
  if (FAT_TYPES.has(type)) {
    await run(['mcopy', '-s', '-p', '-m', '-n', '-i', fsImage, '::/', dest], { env: { MTOOLS_SKIP_CHECK: '1', TZ: 'UTC' } });
  } else {
    await run(['debugfs', '-R', `rdump / ${dest}`, fsImage]);
    fs.rmSync(path.join(dest, 'lost+found'), { recursive: true, force: true });
  }
}

export interface TreeDifference {
  path: string;
  what: string;
}

/** Compares two trees entry by entry: kind, executable bit, symlink target and content. */
export async function compareTrees(a: string, b: string, opts: { modes?: boolean } = {}): Promise<TreeDifference[]> {
  const index = (root: string) => new Map(walkTree(root).map((e) => [e.rel, e]));
  const ea = index(a);
  const eb = index(b);
  const out: TreeDifference[] = [];
  for (const rel of [...new Set([...ea.keys(), ...eb.keys()])].sort()) {
    const x = ea.get(rel);
    const y = eb.get(rel);
    if (!x || !y) {
      out.push({ path: rel, what: `only in ${x ? 'first' : 'second'}` });
      continue;
    }
    if (x.kind !== y.kind) out.push({ path: rel, what: `${x.kind} vs ${y.kind}` });
    else if (x.kind === 'symlink' && fs.readlinkSync(x.abs) !== fs.readlinkSync(y.abs))
      out.push({ path: rel, what: `link to ${fs.readlinkSync(x.abs)} vs ${fs.readlinkSync(y.abs)}` });
    else if (x.kind === 'file' && (await sha256File(x.abs)) !== (await sha256File(y.abs))) out.push({ path: rel, what: 'content differs' });
    else if (opts.modes && x.mode !== y.mode) out.push({ path: rel, what: `mode ${x.mode.toString(8)} vs ${y.mode.toString(8)}` });
  }
  return out;
}

/** Offset of the first byte where two files differ, or -1. */
export function firstDifference(a: string, b: string): number {
  const fa = fs.openSync(a, 'r');
  const fb = fs.openSync(b, 'r');
  const ba = Buffer.alloc(1 << 20);
  const bb = Buffer.alloc(1 << 20);
  try {
    for (let pos = 0; ; pos += ba.length) {
      const na = fs.readSync(fa, ba, 0, ba.length, pos);
      const nb = fs.readSync(fb, bb, 0, bb.length, pos);
      const n = Math.min(na, nb);
      for (let i = 0; i < n; i++) if (ba[i] !== bb[i]) return pos + i;
      if (na !== nb) return pos + n;
      if (na === 0) return -1;
    }
  } finally {
    fs.closeSync(fa);
    fs.closeSync(fb);
  }
}
