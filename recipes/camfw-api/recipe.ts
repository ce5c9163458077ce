import fs from 'node:fs';
import path from 'node:path';
import type { Recipe } from '../../scripts/lib/recipe.ts';
import { OWN_C_FLAGS } from '../avworker-min/recipe.ts';

/** The C files of each program: camfw-login shares the password file's code with camfw-api. */
const LOGIN = ['login.c', 'passwd.c', 'sha256.c', 'util.c'];

/**
 * Our own web API and login gate (the C files beside this one), run by lighttpd as a CGI,
 * and camfw-login, the telnet service's login, which takes the same password.
 */
export const camfwApi: Recipe = {
  name: 'camfw-api',
  version: '0.1.0',
  license: 'GPL-2.0-only',
  licenseFiles: ['main.c'],
  programs: [{ path: 'usr/lib/camfw/camfw-api' }, { path: 'usr/lib/camfw/camfw-login' }],
  async build(ctx) {
    const dest = path.join(ctx.destDir, 'usr/lib/camfw');
    fs.mkdirSync(dest, { recursive: true });
    const all = fs.readdirSync(ctx.srcDir).filter((f) => f.endsWith('.c')).sort();
    const programs: Array<[string, string[]]> = [
      ['camfw-api', all.filter((f) => f !== 'login.c')],
      ['camfw-login', LOGIN],
    ];
    for (const [name, files] of programs) {
      const sources = files.map((f) => path.join(ctx.srcDir, f));
      await ctx.run(`check-c99-${name}`, ['gcc', '-fsyntax-only', ...OWN_C_FLAGS, ...sources]);
      await ctx.run(`build-${name}`, [ctx.env.CC, ...ctx.env.CFLAGS.split(' '), ...OWN_C_FLAGS, ...sources, ...ctx.env.LDFLAGS.split(' '), '-o', path.join(dest, name)]);
    }
  },
};
