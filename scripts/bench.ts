#!/usr/bin/env tsx
// Measures the build and the emulated cameras. Figures, not assertions: see README.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chooseToolchain, setupToolchain } from '../toolchain/index.ts';
import { buildRecipes } from './lib/builder.ts';
import { camera, MODEL_IDS } from './lib/cameras.ts';
import { CARD_RECIPES } from './lib/card-parts.ts';
import { main } from './lib/cli.ts';
import { paths } from './lib/paths.ts';
import { run } from './lib/run.ts';
import { bootCamera, waitForPage } from '../test/qemu/camera.ts';

const HELP = `usage: npm run bench [-- --clean] [--runs N]

Measures, on this machine:
  - program sizes (bytes, static and stripped)
  - a no-op \`npm run build\` (everything cached)
  - with --clean: a clean build of both images with a warm source cache (the download cache kept)
  - boot to page of each emulated camera, against the boot to the stock firmware's
    hand-over (kernel + initramfs, the baseline measured in the same boot)
Results go to output/bench/results.json.`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeBuild(): Promise<number> {
  const t0 = Date.now();
  await run([path.join(paths.root, 'node_modules/.bin/tsx'), path.join(paths.root, 'scripts/build.ts')], { logFile: path.join(paths.output, 'bench', 'build.log') });
  return (Date.now() - t0) / 1000;
}

main(async () => {
  const { values } = parseArgs({ options: { clean: { type: 'boolean', default: false }, runs: { type: 'string', default: '3' }, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) return console.log(HELP);
  const runs = Number(values.runs);
  const results: Record<string, unknown> = {};
  fs.mkdirSync(path.join(paths.output, 'bench'), { recursive: true });

  if (values.clean) {
    for (const d of [paths.stage, paths.build, ...MODEL_IDS.map((m) => paths.model(m))]) fs.rmSync(d, { recursive: true, force: true });
    results.cleanBuildSeconds = await timeBuild();
    console.log(`clean build, both images, warm source cache: ${results.cleanBuildSeconds} s`);
  }
  const noop = [];
  for (let i = 0; i < runs; i++) noop.push(await timeBuild());
  results.noopBuildSeconds = median(noop);
  console.log(`no-op build (median of ${runs}): ${results.noopBuildSeconds} s`);

  const tc = await setupToolchain(chooseToolchain(camera('fang')));
  const built = await buildRecipes(CARD_RECIPES, tc);
  const sizes: Record<string, number> = {};
  for (const b of built.values())
    for (const p of b.recipe.programs) sizes[path.basename(p.path)] = fs.statSync(path.join(b.stageDir, p.path)).size;
  results.programBytes = sizes;
  for (const [k, v] of Object.entries(sizes)) console.log(`${k}: ${v} bytes`);

  const busybox = path.join(built.get('busybox')!.stageDir, 'bin/busybox');
  const boots: Record<string, unknown> = {};
  for (const model of MODEL_IDS) {
    const page: number[] = [];
    const handover: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = Date.now();
      const cam = await bootCamera(model, path.join(paths.model(model), `camfw-${model}.img`), busybox);
      let firmwareUp = 0;
      const watch = setInterval(() => {
        if (!firmwareUp && cam.console().includes('camfw-test: stock firmware up')) firmwareUp = Date.now();
      }, 20);
      try {
        await waitForPage(`${cam.url}public/build.txt`, 180_000);
        page.push((Date.now() - t0) / 1000);
        handover.push(((firmwareUp || Date.now()) - t0) / 1000);
      } finally {
        clearInterval(watch);
        await cam.stop();
      }
    }
    boots[model] = { bootToPageSeconds: median(page), firmwareHandoverSeconds: median(handover), ratio: median(page) / median(handover) };
    console.log(`${model}: boot to page ${median(page).toFixed(2)} s = ${(median(page) / median(handover)).toFixed(2)} x the stock-firmware hand-over (${median(handover).toFixed(2)} s)`);
  }
  results.boot = boots;
  fs.writeFileSync(path.join(paths.output, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
});
