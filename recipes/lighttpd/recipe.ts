import fs from 'node:fs';
import path from 'node:path';
import { cmakeBuild } from '../../scripts/lib/builders.ts';
import type { Recipe } from '../../scripts/lib/recipe.ts';

/**
 * Modules linked into the static binary, in load order (mod_indexfile before
 * mod_staticfile, or `/` answers 403). The login is camfw-api's (a CGI), not mod_auth's.
 */
export const LIGHTTPD_MODULES = [
  'mod_access',
  'mod_rewrite',
  'mod_alias',
  'mod_setenv',
  'mod_cgi',
  'mod_accesslog',
  'mod_indexfile',
  'mod_staticfile',
];

export const lighttpd: Recipe = {
  name: 'lighttpd',
  version: '1.4.69',
  license: 'BSD-3-Clause',
  licenseFiles: ['COPYING'],
  source: {
    url: 'https://download.lighttpd.net/lighttpd/releases-1.4.x/lighttpd-1.4.69.tar.xz',
    sha256: '16ac8db95e719629ba61949b99f8a26feba946a81d185215b28379bb4116b0b4',
    debian: 'lighttpd',
  },
  debianPatches: {
    package: 'lighttpd',
    version: '1.4.69-1',
    file: 'lighttpd_1.4.69-1.debian.tar.xz',
    sha256: '9fc7cdaf9fb1eaea2965b4817cf466cf0c7c86d90dd78ecc31b9176e013ce177',
    apply: [],
    note: "Debian 12's lighttpd 1.4.69-1 has no security update and an empty patch series",
  },
  ownPatches: [{ file: 'owner-connections.patch', why: 'at most 16 connections per client address, and 10 s for a first request header: slow clients cannot take every connection from the owner' }],
  depends: ['pcre2'],
  programs: [{ path: 'usr/sbin/lighttpd', smoke: ['-V'] }],
  async build(ctx) {
    // A static lighttpd registers exactly the modules this header lists.
    fs.writeFileSync(path.join(ctx.srcDir, 'src/plugin-static.h'), LIGHTTPD_MODULES.map((m) => `PLUGIN_INIT(${m})\n`).join(''));
    await cmakeBuild(ctx, {
      cflags: [`-I${path.join(ctx.recipeDir, 'compat')}`, '-DPCRE2_STATIC'],
      defines: {
        BUILD_STATIC: true,
        WITH_PCRE2: true,
        WITH_ZLIB: false,
      },
    });
  },
};
