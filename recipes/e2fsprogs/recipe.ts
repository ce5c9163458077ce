import fs from 'node:fs';
import path from 'node:path';
import { crossArgs } from '../../scripts/lib/builders.ts';
import type { Recipe } from '../../scripts/lib/recipe.ts';

/** What the Xiaofang's card carries: the checker and the resizer of its ext2 data partition. */
const PROGRAMS = [
  { dir: 'e2fsck', name: 'e2fsck' },
  { dir: 'resize', name: 'resize2fs' },
];

/**
 * e2fsck and resize2fs, and nothing else of e2fsprogs: the Xiaofang's card grows its ext2
 * partition to the card at boot, while the partition is not mounted (overlays/fang/p1/
 * bootstrap/grow-data.sh). Static, with e2fsprogs' own small blkid and uuid libraries
 * (no util-linux), no translations, no threads, no undo files, no debugfs, fuse2fs,
 * e2image, e4defrag or uuidd.
 */
export const e2fsprogs: Recipe = {
  name: 'e2fsprogs',
  version: '1.47.0',
  // the programs GPL-2, libext2fs, libe2p and libblkid LGPL-2, libuuid BSD, libcom_err MIT-style (NOTICE)
  license: 'GPL-2.0-only AND LGPL-2.0-only AND BSD-3-Clause AND MIT',
  licenseFiles: ['NOTICE', 'lib/uuid/COPYING'],
  source: {
    url: 'https://mirrors.edge.kernel.org/pub/linux/kernel/people/tytso/e2fsprogs/v1.47.0/e2fsprogs-1.47.0.tar.gz',
    sha256: '6667afde56eef0c6af26684974400e4d2288ea49e9441bf5e6229195d51a3578',
    debian: 'e2fsprogs',
  },
  debianPatches: {
    package: 'e2fsprogs',
    version: '1.47.0-2',
    file: 'e2fsprogs_1.47.0-2.debian.tar.xz',
    sha256: '3a756e08d300666039e34577293d11d70c7a1da7850fad478580a81af6348277',
    apply: [],
    note:
      "Debian 12's e2fsprogs 1.47.0-2 has no security update; its one patch changes mke2fs.conf's defaults (no metadata_csum_seed, no orphan_file), " +
      'which e2fsck and resize2fs do not read. CVE-2022-1304 (e2fsck, out-of-bounds read and write) was fixed upstream in 1.46.6',
  },
  programs: [
    { path: 'sbin/e2fsck', smoke: ['-V'] },
    { path: 'sbin/resize2fs' },
  ],
  async build(ctx) {
    await ctx.run('configure', [
      path.join(ctx.srcDir, 'configure'),
      '--prefix=/usr',
      ...(await crossArgs(ctx)),
      '--disable-elf-shlibs',
      '--disable-nls',
      '--disable-fuse2fs',
      '--disable-debugfs',
      '--disable-imager',
      '--disable-defrag',
      '--disable-uuidd',
      '--disable-tdb',
      '--disable-mmp',
      '--disable-bmap-stats',
      // execinfo.h is glibc's
      '--disable-backtrace',
      '--disable-tls',
      '--without-pthread',
      '--disable-rpath',
      '--disable-testio-debug',
      // e2fsprogs' own blkid and uuid: util-linux is not on the card
      '--enable-libblkid',
      '--enable-libuuid',
      '--with-udev-rules-dir=no',
      '--with-crond-dir=no',
      '--with-systemd-unit-dir=no',
    ]);
    await ctx.run('build-libs', ['make', `-j${ctx.jobs}`, 'libs']);
    for (const p of PROGRAMS) {
      await ctx.run(`build-${p.name}`, ['make', `-j${ctx.jobs}`, '-C', p.dir, p.name]);
      fs.mkdirSync(path.join(ctx.destDir, 'sbin'), { recursive: true });
      fs.copyFileSync(path.join(ctx.buildDir, p.dir, p.name), path.join(ctx.destDir, 'sbin', p.name));
      fs.chmodSync(path.join(ctx.destDir, 'sbin', p.name), 0o755);
    }
  },
};
