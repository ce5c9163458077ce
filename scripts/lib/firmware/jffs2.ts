import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { FirmwareError } from './uimage.ts';

/**
 * A JFFS2 reader: camfw unpacks the YI's stock /home without root, kernel modules or
 * mounting. Nodes are read from the whole image; for each inode the data nodes are
 * applied in version order, and for each directory entry the highest version wins
 * (version 0 included: Debian's jffs2reader loses such entries).
 */

const MAGIC = 0x1985;
const NODE_DIRENT = 0xe001;
const NODE_INODE = 0xe002;
const DIRENT_HEADER = 40;
const INODE_HEADER = 68;
const ROOT_INO = 1;

const COMPR_NONE = 0x00;
const COMPR_ZERO = 0x01;
const COMPR_RTIME = 0x02;
const COMPR_ZLIB = 0x06;
const COMPR_NAMES: Record<number, string> = { 3: 'rubinmips', 4: 'copy', 5: 'dynrubin', 7: 'lzo', 8: 'lzma' };

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

interface Dirent {
  pino: number;
  version: number;
  ino: number;
  name: string;
}

interface InodeNode {
  version: number;
  mode: number;
  uid: number;
  gid: number;
  isize: number;
  mtime: number;
  offset: number;
  dsize: number;
  compr: number;
  data: Buffer;
}

export interface Jffs2Stats {
  nodes: number;
  badNodes: number;
  files: number;
  dirs: number;
  symlinks: number;
  skipped: string[];
}

/** JFFS2's CRC32: the kernel's crc32_le with seed 0 (no pre- or post-inversion). */
function jffs2Crc(buf: Buffer): number {
  return (zlib.crc32(buf, 0xffffffff) ^ 0xffffffff) >>> 0;
}

/** The "rtime" compressor's decoder: (byte, repeat) pairs that copy from that byte's last position. */
function rtimeDecompress(src: Buffer, size: number): Buffer {
  const out = Buffer.alloc(size);
  const positions = new Array<number>(256).fill(0);
  let outpos = 0;
  let pos = 0;
  while (outpos < size && pos < src.length) {
    const value = src[pos++];
    out[outpos++] = value;
    let repeat = src[pos++] ?? 0;
    let back = positions[value];
    positions[value] = outpos;
    while (repeat-- > 0 && outpos < size) out[outpos++] = out[back++];
  }
  return out;
}

function decompress(n: InodeNode, where: string): Buffer {
  switch (n.compr) {
    case COMPR_NONE:
      return n.data.subarray(0, n.dsize);
    case COMPR_ZERO:
      return Buffer.alloc(n.dsize);
    case COMPR_RTIME:
      return rtimeDecompress(n.data, n.dsize);
    case COMPR_ZLIB:
      return zlib.inflateSync(n.data);
    default:
      throw new FirmwareError(`${where}: compression ${COMPR_NAMES[n.compr] ?? n.compr} is not supported (camfw reads none, zero, rtime and zlib)`);
  }
}

/** Reads every valid node of a JFFS2 image. */
function readNodes(img: Buffer): { dirents: Dirent[]; inodes: Map<number, InodeNode[]>; nodes: number; bad: number } {
  const dirents: Dirent[] = [];
  const inodes = new Map<number, InodeNode[]>();
  let nodes = 0;
  let bad = 0;
  let pos = 0;
  while (pos + 12 <= img.length) {
    if (img.readUInt16LE(pos) !== MAGIC) {
      pos += 4;
      continue;
    }
    const type = img.readUInt16LE(pos + 2);
    const totlen = img.readUInt32LE(pos + 4);
    if (jffs2Crc(img.subarray(pos, pos + 8)) !== img.readUInt32LE(pos + 8) || totlen < 12 || pos + totlen > img.length) {
      bad++;
      pos += 4;
      continue;
    }
    nodes++;
    if (type === NODE_DIRENT && totlen >= DIRENT_HEADER) {
      const nsize = img[pos + 28];
      const nodeCrcOk = jffs2Crc(img.subarray(pos, pos + 32)) === img.readUInt32LE(pos + 32);
      const name = img.subarray(pos + DIRENT_HEADER, pos + DIRENT_HEADER + nsize);
      if (nodeCrcOk && jffs2Crc(name) === img.readUInt32LE(pos + 36))
        dirents.push({ pino: img.readUInt32LE(pos + 12), version: img.readUInt32LE(pos + 16), ino: img.readUInt32LE(pos + 20), name: name.toString('utf8') });
      else bad++;
    } else if (type === NODE_INODE && totlen >= INODE_HEADER) {
      const csize = img.readUInt32LE(pos + 48);
      const data = img.subarray(pos + INODE_HEADER, pos + INODE_HEADER + csize);
      const ok = jffs2Crc(img.subarray(pos, pos + 60)) === img.readUInt32LE(pos + 64) && (csize === 0 || jffs2Crc(data) === img.readUInt32LE(pos + 60));
      if (ok) {
        const ino = img.readUInt32LE(pos + 12);
        const list = inodes.get(ino) ?? [];
        list.push({
          version: img.readUInt32LE(pos + 16),
          mode: img.readUInt32LE(pos + 20),
          uid: img.readUInt16LE(pos + 24),
          gid: img.readUInt16LE(pos + 26),
          isize: img.readUInt32LE(pos + 28),
          mtime: img.readUInt32LE(pos + 36),
          offset: img.readUInt32LE(pos + 44),
          dsize: img.readUInt32LE(pos + 52),
          compr: img[pos + 56],
          data,
        });
        inodes.set(ino, list);
      } else bad++;
    }
    pos += (totlen + 3) & ~3;
  }
  return { dirents, inodes, nodes, bad };
}

/**
 * Unpacks a JFFS2 image (little endian, as the Hi3518's) into `dest`, keeping modes, mtimes
 * and symlinks. Device nodes, FIFOs and sockets are not files a card can carry: they are
 * listed in `skipped`.
 */
export function unpackJffs2(image: Buffer, dest: string, what = 'JFFS2 image'): Jffs2Stats {
  if (image.length >= 2 && image.readUInt16BE(0) === MAGIC && image.readUInt16LE(0) !== MAGIC)
    throw new FirmwareError(`${what}: big-endian JFFS2; the YI's flash is little endian`);
  const { dirents, inodes, nodes, bad } = readNodes(image);
  if (nodes === 0) throw new FirmwareError(`${what}: no JFFS2 node found (is this the home image's payload?)`);

  // The live directory entries: per (parent, name) the highest version; ino 0 marks a deletion.
  const latest = new Map<string, Dirent>();
  for (const d of dirents) {
    const key = `${d.pino}/${d.name}`;
    const cur = latest.get(key);
    if (!cur || d.version >= cur.version) latest.set(key, d);
  }
  const children = new Map<number, Dirent[]>();
  for (const d of latest.values()) {
    if (d.ino === 0) continue;
    const list = children.get(d.pino) ?? [];
    list.push(d);
    children.set(d.pino, list);
  }

  const stats: Jffs2Stats = { nodes, badNodes: bad, files: 0, dirs: 0, symlinks: 0, skipped: [] };
  const contentOf = (ino: number, where: string): { meta: InodeNode; data: Buffer } => {
    const list = [...(inodes.get(ino) ?? [])].sort((a, b) => a.version - b.version);
    if (!list.length) throw new FirmwareError(`${what}: ${where} has a directory entry but no inode ${ino}`);
    const meta = list[list.length - 1];
    const data = Buffer.alloc(meta.isize);
    for (const n of list) {
      if (n.dsize === 0) continue;
      const chunk = decompress(n, `${what}: ${where}`);
      chunk.copy(data, n.offset, 0, Math.min(chunk.length, Math.max(0, meta.isize - n.offset)));
    }
    return { meta, data };
  };

  fs.mkdirSync(dest, { recursive: true });
  const dirTimes: Array<[string, number]> = [];
  const walk = (ino: number, dir: string, rel: string, depth: number) => {
    if (depth > 64) throw new FirmwareError(`${what}: directories nest deeper than 64 at ${rel}`);
    for (const d of (children.get(ino) ?? []).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (d.name.includes('/') || d.name === '.' || d.name === '..') throw new FirmwareError(`${what}: bad name ${JSON.stringify(d.name)} in ${rel || '/'}`);
      const where = `${rel}/${d.name}`;
      const target = path.join(dir, d.name);
      const { meta, data } = contentOf(d.ino, where);
      const type = meta.mode & S_IFMT;
      if (type === S_IFDIR) {
        fs.mkdirSync(target);
        stats.dirs++;
        walk(d.ino, target, where, depth + 1);
        fs.chmodSync(target, meta.mode & 0o7777);
        dirTimes.push([target, meta.mtime]);
      } else if (type === S_IFREG) {
        fs.writeFileSync(target, data, { mode: meta.mode & 0o7777 });
        fs.chmodSync(target, meta.mode & 0o7777);
        fs.utimesSync(target, meta.mtime, meta.mtime);
        stats.files++;
      } else if (type === S_IFLNK) {
        fs.symlinkSync(data.toString('utf8'), target);
        fs.lutimesSync(target, meta.mtime, meta.mtime);
        stats.symlinks++;
      } else stats.skipped.push(`${where} (mode ${meta.mode.toString(8)})`);
    }
  };
  walk(ROOT_INO, dest, '', 0);
  for (const [dir, t] of dirTimes.reverse()) fs.utimesSync(dir, t, t);
  return stats;
}
