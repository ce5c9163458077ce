import fs from 'node:fs';
import path from 'node:path';
import { checkTreeBudget } from '../../scripts/lib/budgets.ts';
import type { Recipe } from '../../scripts/lib/recipe.ts';
import { paths } from '../../scripts/lib/paths.ts';

const ESBUILD = path.join(paths.root, 'node_modules/esbuild');
/** All of the UI, every page, script, style and icon: it goes over the camera's Wi-Fi to a phone. */
export const WEBUI_BUDGET = 50 * 1000;
/** esbuild's version is part of the cache key: another esbuild may bundle other bytes. */
const ESBUILD_VERSION = (JSON.parse(fs.readFileSync(path.join(ESBUILD, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The camera's web UI (src/, TypeScript and CSS of ours), bundled and minified by esbuild
 * into www/: index.html and app.js for the logged-in owner, and in www/public/ what the
 * login page needs. camfw-api serves everything outside www/public/ only after login.
 */
export const webui: Recipe = {
  name: 'webui',
  version: `0.1.0+esbuild.${ESBUILD_VERSION}`,
  license: 'GPL-2.0-only',
  licenseFiles: ['src/app.ts'],
  programs: [],
  files: ['www/index.html', 'www/app.js', 'www/public/login.html', 'www/public/login.js', 'www/public/app.css', 'www/public/favicon.svg'],
  async build(ctx) {
    const www = path.join(ctx.destDir, 'www');
    fs.mkdirSync(path.join(www, 'public'), { recursive: true });
    const esbuild = (step: string, entry: string, out: string, extra: string[] = []) =>
      ctx.run(step, [path.join(ESBUILD, 'bin/esbuild'), path.join(ctx.srcDir, entry), '--bundle', '--minify', '--charset=utf8', '--legal-comments=none', `--outfile=${out}`, ...extra]);
    await esbuild('bundle-app', 'src/app.ts', path.join(www, 'app.js'), ['--format=iife', '--target=es2019']);
    await esbuild('bundle-login', 'src/login.ts', path.join(www, 'public/login.js'), ['--format=iife', '--target=es2019']);
    await esbuild('bundle-css', 'src/app.css', path.join(www, 'public/app.css'));
    fs.copyFileSync(path.join(ctx.srcDir, 'index.html'), path.join(www, 'index.html'));
    fs.copyFileSync(path.join(ctx.srcDir, 'login.html'), path.join(www, 'public/login.html'));
    fs.copyFileSync(path.join(ctx.srcDir, 'favicon.svg'), path.join(www, 'public/favicon.svg'));
    checkTreeBudget('the web UI (www/)', www, WEBUI_BUDGET);
  },
};
