import fs from 'node:fs';
import path from 'node:path';
import type { Recipe } from '../../scripts/lib/recipe.ts';

/**
 * The C standard of our own code: what the vendor SDKs' gcc 4.4 and 4.5 accept. Every
 * build checks it with Debian's gcc and -pedantic-errors, whichever toolchain compiles it,
 * so a C11-only construct fails here before it reaches a vendor toolchain. Library headers
 * come in with -isystem: theirs are not ours to hold to it.
 */
export const OWN_C_FLAGS = ['-std=gnu99', '-pedantic-errors', '-Wall', '-Wextra', '-Werror'];

/** Our own stream worker (the C files beside this one): RTSP in, RTMP push and recordings out, stream copy. */
export const avworkerMin: Recipe = {
  name: 'avworker-min',
  version: '0.1.0',
  license: 'GPL-2.0-only',
  licenseFiles: ['main.c'],
  depends: ['ffmpeg'],
  programs: [{ path: 'usr/bin/avworker-min' }],
  async build(ctx) {
    const out = path.join(ctx.destDir, 'usr/bin/avworker-min');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const sources = fs.readdirSync(ctx.srcDir).filter((f) => f.endsWith('.c')).sort().map((f) => path.join(ctx.srcDir, f));
    await ctx.run('check-c99', ['gcc', '-fsyntax-only', ...OWN_C_FLAGS, '-isystem', path.join(ctx.sysroot, 'usr/include'), ...sources]);
    await ctx.run('build', [
      ctx.env.CC,
      ...ctx.env.CFLAGS.split(' '),
      ...OWN_C_FLAGS,
      '-isystem',
      path.join(ctx.sysroot, 'usr/include'),
      ...sources,
      '-pthread',
      `-L${path.join(ctx.sysroot, 'usr/lib')}`,
      ...ctx.env.LDFLAGS.split(' '),
      '-lavformat',
      '-lavcodec',
      '-lavutil',
      '-lm',
      '-pthread',
      '-o',
      out,
    ]);
  },
};
