import fs from 'node:fs';
import path from 'node:path';
import { run } from '../run.ts';
import { walkTree } from './tree.ts';

export interface FatOptions {
  sizeMiB: number;
  label: string;
  /** 32-bit volume serial, as 8 hex digits. */
  volumeId: string;
  fatBits: 16 | 32;
  sourceDateEpoch: number;
}

/**
 * Writes `tree` into a new FAT image without mounting it. mkfs.vfat --invariant and a
 * fixed volume id make the boot sector constant; files are added one directory at a time
 * in sorted order (never `mcopy -s`, which follows readdir order) with TZ=UTC, and every
 * time stamp is SOURCE_DATE_EPOCH (mtools' own clock; the source files' times are not
 * read), so the same tree gives the same bytes. Symlinks cannot live on FAT.
 */
export async function makeFat(tree: string, img: string, o: FatOptions): Promise<void> {
  fs.rmSync(img, { force: true });
  fs.mkdirSync(path.dirname(img), { recursive: true });
  fs.closeSync(fs.openSync(img, 'w'));
  fs.truncateSync(img, o.sizeMiB * 1024 * 1024);
  const env = { TZ: 'UTC', LC_ALL: 'C', SOURCE_DATE_EPOCH: String(o.sourceDateEpoch), MTOOLS_SKIP_CHECK: '1' };
  await run(['mkfs.vfat', '--invariant', '-i', o.volumeId, '-n', o.label, '-F', String(o.fatBits), img], { env });
  const entries = walkTree(tree);
  const symlinks = entries.filter((e) => e.kind === 'symlink');
  if (symlinks.length) throw new Error(`FAT cannot store symlinks: ${symlinks.map((e) => e.rel).join(', ')}`);
  const dirs = ['', ...entries.filter((e) => e.kind === 'dir').map((e) => e.rel)];
  for (const dir of dirs) {
    if (dir) await run(['mmd', '-i', img, `::/${dir}`], { env });
    const files = entries.filter((e) => e.kind === 'file' && path.posix.dirname(e.rel) === (dir || '.'));
    if (files.length) await run(['mcopy', '-i', img, '-p', ...files.map((f) => f.abs), `::/${dir}${dir ? '/' : ''}`], { env });
  }
}
