import fs from 'node:fs';
import yazl from 'yazl';
import { walkTree } from './tree.ts';

/**
 * A zip of `tree` whose bytes depend only on the tree: entries in sorted order, every
 * time set to SOURCE_DATE_EPOCH, unix modes stored (the caller normalises them), no
 * extra fields.
 */
export async function makeZip(tree: string, out: string, sourceDateEpoch: number): Promise<void> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(sourceDateEpoch * 1000);
  // DOS timestamps are local time: compute them in UTC whatever the machine's zone.
  const tz = process.env.TZ;
  process.env.TZ = 'UTC';
  try {
    for (const e of walkTree(tree)) {
      if (e.kind === 'symlink') throw new Error(`zip for a FAT card cannot hold symlink ${e.rel}`);
      if (e.kind === 'dir') zip.addEmptyDirectory(e.rel, { mtime, mode: 0o40755, forceDosTimestamp: true });
      else zip.addFile(e.abs, e.rel, { mtime, mode: 0o100000 | e.mode, compress: true, forceDosTimestamp: true });
    }
  } finally {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(out)).on('close', () => resolve()).on('error', reject);
  });
}
