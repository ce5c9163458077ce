#!/usr/bin/env tsx
// Measures the build and the emulated cameras. Figures, not assertions: see README.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chooseToolchain, setupToolchain } from '../toolchain/index.ts';
import { buildRecipes } from './lib/builder.ts';
import { camera, MODEL_IDS } from './lib/cameras.ts';
import { benchLogin } from './lib/bench-login.ts';
import { benchStreamWorker } from './lib/bench-stream.ts';
import { CARD_RECIPES } from './lib/card-parts.ts';
import { ensureHostPackages } from './lib/host-deps.ts';
import { main } from './lib/cli.ts';
import { paths } from './lib/paths.ts';
import { run } from './lib/run.ts';
import { bootCamera, waitForPage } from '../test/qemu/camera.ts';

const PARTS = ['build', 'boot', 'stream', 'login'];

const HELP = `usage: npm run bench [-- --clean] [--runs N] [--parts ${PARTS.join(',')}]

Measures, on this machine:
  build:  program sizes (bytes, static and stripped); a no-op \`npm run build\` (everything
          cached); with --clean, a clean build of both images with a warm source cache
  boot:   boot to page of each emulated camera, against the boot to the stock firmware's
          hand-over (kernel + initramfs, the baseline measured in the same boot)
  stream: avworker-min against the ffmpeg program doing the same job (RTSP to nginx-rtmp and
          fragmented MP4 segments) at 360p, 720p and 1080p: sizes, peak memory and CPU per
          minute under qemu-arm and inside the emulated YI
  login:  the owner's web login and SSH login alone and while strangers attack (slow
          connections on every slot, parallel web guesses, wrong SSH logins), on the card's
          lighttpd, camfw-api, dropbear and camfw-login under qemu-arm
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
  const { values } = parseArgs({
    options: {
      clean: { type: 'boolean', default: false },
      runs: { type: 'string', default: '3' },
      parts: { type: 'string', default: PARTS.join(',') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(HELP);
  const parts = new Set(values.parts.split(','));
  for (const p of parts) if (!PARTS.includes(p)) throw new Error(`--parts: no part '${p}' (the parts are ${PARTS.join(', ')})`);
  await ensureHostPackages('test');
  const runs = Number(values.runs);
  const results: Record<string, unknown> = {};
  fs.mkdirSync(path.join(paths.output, 'bench'), { recursive: true });

  if (parts.has('build') && values.clean) {
    for (const d of [paths.stage, paths.build, ...MODEL_IDS.map((m) => paths.model(m))]) fs.rmSync(d, { recursive: true, force: true });
    results.cleanBuildSeconds = await timeBuild();
    console.log(`clean build, both images, warm source cache: ${results.cleanBuildSeconds} s`);
  }
  if (parts.has('build')) {
    const noop = [];
    for (let i = 0; i < runs; i++) noop.push(await timeBuild());
    results.noopBuildSeconds = median(noop);
    console.log(`no-op build (median of ${runs}): ${results.noopBuildSeconds} s`);
  }

  const tc = await setupToolchain(chooseToolchain(camera('yi')));
  const built = await buildRecipes(parts.has('stream') ? [...CARD_RECIPES, 'ffmpeg-cli'] : CARD_RECIPES, tc);
  const busybox = path.join(built.get('busybox')!.stageDir, 'bin/busybox');
  if (parts.has('build')) {
    const sizes: Record<string, number> = {};
    for (const name of CARD_RECIPES)
      for (const p of built.get(name)!.recipe.programs) sizes[path.basename(p.path)] = fs.statSync(path.join(built.get(name)!.stageDir, p.path)).size;
    results.programBytes = sizes;
    for (const [k, v] of Object.entries(sizes)) console.log(`${k}: ${v} bytes`);
  }
  if (parts.has('stream')) results.streamWorker = await benchStreamWorker(busybox, path.join(paths.model('yi'), 'camfw-yi.img'), built);
  if (parts.has('boot')) results.boot = await benchBoots(busybox, runs);
  if (parts.has('login')) results.login = await benchLogin(runs);
  fs.writeFileSync(path.join(paths.output, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
});

async function benchBoots(busybox: string, runs: number): Promise<Record<string, unknown>> {
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
  return boots;
}
