#!/usr/bin/env tsx
// Gathers what a GPL source offer needs for the cards: the exact sources, licences, versions.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chooseToolchain, setupToolchain } from '../toolchain/index.ts';
import { buildInfo } from './lib/build-info.ts';
import { buildOrder, recipeDir } from './lib/builder.ts';
import { camera } from './lib/cameras.ts';
import { cardRecipes } from './lib/card-parts.ts';
import { main } from './lib/cli.ts';
import { sha256File } from './lib/hash.ts';
import { packageInfo, writeLicenses } from './lib/licenses.ts';
import { log } from './lib/log.ts';
import { paths } from './lib/paths.ts';
import { run } from './lib/run.ts';
import { fetchDebianPatches } from './lib/patches.ts';
import { fetchSource, sourceFileName } from './lib/sources.ts';

const HELP = `usage: npm run legal-info [-- --model fang|yi]

Writes output/legal-info/: sources/ (the exact source archives of every program on the
cards, verified by sha256, and camfw's own code), licenses/ and SOURCES.txt.`;

main(async () => {
  const { values } = parseArgs({ options: { model: { type: 'string', default: 'fang' }, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) return console.log(HELP);
  const out = path.join(paths.output, 'legal-info');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'sources'), { recursive: true });
  const info = await buildInfo();
  const tc = await setupToolchain(chooseToolchain(camera(values.model!)));
  const recipes = buildOrder(cardRecipes(camera(values.model!)));
  const lines: string[] = [];
  for (const r of recipes) {
    const files: string[] = [];
    if (r.source) {
      files.push(path.join(out, 'sources', sourceFileName(r.source)));
      fs.copyFileSync(await fetchSource(r.source), files[0]);
    }
    if (r.debianPatches?.apply.length) {
      // the patches applied are in its debian/patches/, named in the recipe and below
      files.push(path.join(out, 'sources', r.debianPatches.file));
      fs.copyFileSync(await fetchDebianPatches(r.debianPatches), files.at(-1)!);
    }
    // The recipe itself: how camfw configures and builds it (for our own code, its source).
    const recipeTar = path.join(out, 'sources', `${r.name}-${r.version}-camfw-recipe.tar.gz`);
    const dir = path.relative(paths.root, recipeDir(r));
    await run(['tar', '--sort=name', `--mtime=@${info.sourceDateEpoch}`, '--owner=0', '--group=0', '--numeric-owner', '-C', paths.root, '-cf', '-', dir], {
      stdoutFile: recipeTar,
      gzipLevel: 9,
    });
    files.push(recipeTar);
    const described = await Promise.all(files.map(async (f) => `  file:   sources/${path.basename(f)}\n  sha256: ${await sha256File(f)}`));
    const pkg = packageInfo(r);
    lines.push(`${r.name} ${r.version}  ${r.license}\n${described.join('\n')}\n  from:   ${pkg.source}${pkg.patches ? `\n  patches: ${pkg.patches}` : ''}`);
  }
  await writeLicenses(path.join(out, 'licenses'), recipes, tc);
  fs.writeFileSync(
    path.join(out, 'SOURCES.txt'),
    `Sources of the programs on camfw ${info.version} (${info.revision}) cards, built with ${tc.description}.\n` +
      `The toolchain packages are pinned in toolchain/*.lock.json of the camfw repository.\n\n${lines.join('\n\n')}\n`,
  );
  log.info(`wrote ${path.relative(process.cwd(), out)}: ${recipes.length} packages`);
});
