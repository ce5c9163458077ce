import type { Recipe } from '../scripts/lib/recipe.ts';
import { avworkerMin } from './avworker-min/recipe.ts';
import { busybox } from './busybox/recipe.ts';
import { camfwApi } from './camfw-api/recipe.ts';
import { dropbear } from './dropbear/recipe.ts';
import { e2fsprogs } from './e2fsprogs/recipe.ts';
import { ffmpeg, ffmpegCli } from './ffmpeg/recipe.ts';
import { lighttpd } from './lighttpd/recipe.ts';
import { pcre2 } from './pcre2/recipe.ts';
import { webui } from './webui/recipe.ts';
import { wirelessTools } from './wireless-tools/recipe.ts';

/** Every recipe camfw knows. */
export const RECIPES: Recipe[] = [busybox, pcre2, lighttpd, ffmpeg, ffmpegCli, avworkerMin, camfwApi, webui, e2fsprogs, wirelessTools, dropbear];
