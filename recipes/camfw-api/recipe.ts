import fs from 'node:fs';
import path from 'node:path';
import type { Recipe } from '../../scripts/lib/recipe.ts';
import { OWN_C_FLAGS } from '../avworker-min/recipe.ts';

/** Our own web API and login gate (the C files beside this one), run by lighttpd as a CGI. */
export const camfwApi: Recipe = {
  name: 'camfw-api',
  version: '0.1.0',
  license: 'GPL-2.0-only',
  licenseFiles: ['main.c'],
  programs: [{ path: 'usr/lib/camfw/camfw-api' }],
  async build(ctx) {
    const out = path.join(ctx.destDir, 'usr/lib/camfw/camfw-api');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const sources = fs.readdirSync(ctx.srcDir).filter((f) => f.endsWith('.c')).sort().map((f) => path.join(ctx.srcDir, f));
    await ctx.run('check-c99', ['gcc', '-fsyntax-only', ...OWN_C_FLAGS, ...sources]);
    await ctx.run('build', [ctx.env.CC, ...ctx.env.CFLAGS.split(' '), ...OWN_C_FLAGS, ...sources, ...ctx.env.LDFLAGS.split(' '), '-o', out]);
  },
};
