import fs from 'node:fs';
import path from 'node:path';
import type { Recipe } from '../../scripts/lib/recipe.ts';

/**
 * iwlist from the Wireless Tools, for the network page's scan (camfw-api's network.c runs
 * `iwlist IFACE scan`), on the YI's card (overlays/yi/camera.ts): its MT7601 driver
 * (mt7601Usta) is a Wireless Extensions driver, and its stock firmware has no iwlist that
 * the reference documents. The Xiaofang's stock firmware has its own, which fang-hacks'
 * network page used (fang-hacks.md §3.1), and camfw-api prefers the stock one.
 */
export const wirelessTools: Recipe = {
  name: 'wireless-tools',
  version: '30.pre9',
  license: 'GPL-2.0-only',
  licenseFiles: ['COPYING'],
  source: {
    url: 'https://hewlettpackard.github.io/wireless-tools/wireless_tools.30.pre9.tar.gz',
    sha256: 'abd9c5c98abf1fdd11892ac2f8a56737544fe101e1be27c6241a564948f34c63',
    debian: 'wireless-tools',
  },
  debianPatches: {
    package: 'wireless-tools',
    version: '30~pre9-14',
    file: 'wireless-tools_30~pre9-14.debian.tar.xz',
    sha256: '6ea98ba07b640b55b40f463f3b5fd206c03aa643b3ab43f1d3c7878ed711a418',
    apply: [{ name: 'zero-struct-iwr.diff', why: 'iw_get_basic_config passed an uninitialised struct iwreq to the driver' }],
    note: "Debian's other patches change its Makefile, documentation and udev rules; camfw compiles iwlist.c and iwlib.c itself",
  },
  programs: [{ path: 'usr/sbin/iwlist', smoke: ['--version'] }],
  async build(ctx) {
    const out = path.join(ctx.destDir, 'usr/sbin/iwlist');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // what its Makefile does: the Wireless Extensions header of version 22, the last one
    fs.copyFileSync(path.join(ctx.srcDir, 'wireless.22.h'), path.join(ctx.srcDir, 'wireless.h'));
    await ctx.run('build', [
      ctx.env.CC,
      ...ctx.env.CFLAGS.split(' '),
      '-I',
      ctx.srcDir,
      path.join(ctx.srcDir, 'iwlist.c'),
      path.join(ctx.srcDir, 'iwlib.c'),
      ...ctx.env.LDFLAGS.split(' '),
      '-lm',
      '-o',
      out,
    ]);
  },
};
