import fs from 'node:fs';
import path from 'node:path';
import { run } from '../run.ts';
import { walkTree } from './tree.ts';

export interface Ext2Options {
  sizeMiB: number;
  label: string;
  uuid: string;
  sourceDateEpoch: number;
}

/**
 * Writes `tree` into a new ext2 image (symlinks, modes and exec bits kept, all owned by
 * root). mke2fs -d still stamps host atime/ctime in e2fsprogs 1.47.0, so a debugfs pass
 * sets every inode's times and owner afterwards: the same tree gives the same bytes.
 */
export async function makeExt2(tree: string, img: string, o: Ext2Options): Promise<void> {
  fs.rmSync(img, { force: true });
  fs.mkdirSync(path.dirname(img), { recursive: true });
  const sde = String(o.sourceDateEpoch);
  const env = { TZ: 'UTC', LC_ALL: 'C', E2FSPROGS_FAKE_TIME: sde, SOURCE_DATE_EPOCH: sde };
  await run(
    [
      'mke2fs', '-q', '-F', '-t', 'ext2', '-b', '1024', '-I', '256', '-m', '0',
      '-L', o.label, '-U', o.uuid,
      '-E', `hash_seed=${o.uuid},root_owner=0:0,lazy_itable_init=0`,
      '-d', tree, img, `${o.sizeMiB * 1024}`,
    ],
    { env },
  );
  const inodes = ['/', '/lost+found', ...walkTree(tree).map((e) => `/${e.rel}`)];
  const cmds = inodes.flatMap((p) => [
    ...['atime', 'ctime', 'mtime', 'crtime'].map((f) => `set_inode_field "${p}" ${f} @${sde}`),
    `set_inode_field "${p}" uid 0`,
    `set_inode_field "${p}" gid 0`,
  ]);
  const cmdFile = `${img}.debugfs`;
  fs.writeFileSync(cmdFile, cmds.join('\n') + '\n');
  try {
    await run(['debugfs', '-w', '-f', cmdFile, img], { env });
  } finally {
    fs.rmSync(cmdFile, { force: true });
  }
}
