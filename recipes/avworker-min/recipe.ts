import { ownCProgram, ownCSources } from '../../scripts/lib/builders.ts';
import { RTMP_TARGET_MAX } from '../../scripts/lib/config.ts';
import type { Recipe } from '../../scripts/lib/recipe.ts';

/** Our own stream worker (the C files beside this one): RTSP in, RTMP push and recordings out, stream copy. */
export const avworkerMin: Recipe = {
  name: 'avworker-min',
  version: '0.1.0',
  license: 'GPL-2.0-only',
  licenseFiles: ['main.c'],
  depends: ['ffmpeg'],
  programs: [{ path: 'usr/bin/avworker-min' }],
  cDefines: { RTMP_TARGET_MAX },
  async build(ctx) {
    await ownCProgram(ctx, { path: 'usr/bin/avworker-min', sources: ownCSources(ctx), libs: ['avformat', 'avcodec', 'avutil', 'm'], flags: ['-pthread'] });
  },
};
