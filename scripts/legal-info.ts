#!/usr/bin/env tsx
// Gathers what a GPL source offer needs for the cards: the exact sources, licences, versions.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chooseToolchain, setupToolchain } from '../toolchain/index.ts';
import { buildInfo } from './lib/build-info.ts';
import { buildOrder, recipeDir } from './lib/builder.ts';
import { camera } from './lib/cameras.ts';
import { CARD_RECIPES } from './lib/card.ts';
import { main } from './lib/cli.ts';
import { sha256File } from './lib/hash.ts';
import { packageInfo, writeLicenses } from './lib/licenses.ts';
import { log } from './lib/log.ts';
import { paths } from './lib/paths.ts';
import { run } from './lib/run.ts';
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
  const recipes = buildOrder(CARD_RECIPES);
  const lines: string[] = [];
  for (const r of recipes) {
    const files: string[] = [];
    if (r.source) {
      files.push(path.join(out, 'sources', sourceFileName(r.source)));
      fs.copyFileSync(await fetchSource(r.source), files[0]);
    }
    // The recipe itself: how camfw configures and builds it (for our own code, its source).
    const recipeTar = path.join(out, 'sources', `${r.name}-${r.version}-camfw-recipe.tar.gz`);
    const dir = path.relative(paths.root, recipeDir(r));
    await run(['sh', '-c', 'tar --sort=name --mtime=@"$1" --owner=0 --group=0 --numeric-owner -C "$2" -cf - "$3" | gzip -n -9 > "$4"', 'sh', String(info.sourceDateEpoch), paths.root, dir, recipeTar]);
    files.push(recipeTar);
    const described = await Promise.all(files.map(async (f) => `  file:   sources/${path.basename(f)}\n  sha256: ${await sha256File(f)}`));
    lines.push(`${r.name} ${r.version}  ${r.license}\n${described.join('\n')}\n  from:   ${packageInfo(r).source}`);
  }
  await writeLicenses(path.join(out, 'licenses'), recipes, tc);
  fs.writeFileSync(
    path.join(out, 'SOURCES.txt'),
    `Sources of the programs on camfw ${info.version} (${info.revision}) cards, built with ${tc.description}.\n` +
      `The toolchain packages are pinned in toolchain/*.lock.json of the camfw repository.\n\n${lines.join('\n\n')}\n`,
  );
  log.info(`wrote ${path.relative(process.cwd(), out)}: ${recipes.length} packages`);
});
