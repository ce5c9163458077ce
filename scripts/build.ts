#!/usr/bin/env tsx
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { chooseToolchain, setupToolchain } from '../toolchain/index.ts';
import { buildInfo } from './lib/build-info.ts';
import { buildOrder, buildRecipes } from './lib/builder.ts';
import { camera, MODEL_IDS } from './lib/cameras.ts';
import { buildCard } from './lib/card.ts';
import { cardRecipes } from './lib/card-parts.ts';
import { main, toolchainChoice, TOOLCHAIN_HELP, TOOLCHAIN_OPTIONS } from './lib/cli.ts';
import { RECIPES } from '../recipes/index.ts';
import { ensureHostPackages } from './lib/host-deps.ts';
import { ConfigError, loadConfigFile, refusedSettings } from './lib/config.ts';
import { elapsed, log, step } from './lib/log.ts';
import { paths } from './lib/paths.ts';

const HELP = `usage: npm run build [-- OPTIONS]      (or build:fang, build:yi)

Builds camfw's SD-card images from source into output/<model>/.

options:
  --config FILE                the card configuration (JSON; see config/example.json and
                               config/camfw.schema.json); without it, the defaults: no
                               web password, each camera asks for one on its first visit
  --model fang|yi|all          camera to build for (default: all)
                                 fang  Xiaomi Xiaofang (Sonix SN98660): MBR image, vfat + ext2
                                 yi    YI Home (Hi3518): card tree as FAT32 image and zip
${TOOLCHAIN_HELP}
  --vendor-dir DIR             the camera's proprietary files (fang: snx_rtsp_server,
                               snx_isp_ctl, libsnx_vc.so, libsnx_rc.so; see overlays/<model>/vendor.json);
                               checked by sha256, never shipped by camfw itself
  --stock-home FILE|DIR        yi firmware mode: the stock 'home' image (uImage + JFFS2) or an
                               extracted /home; camfw trims its cloud programs
                               (overlays/yi/home-trim.json) and puts the result on the card
                               as 'home'. Without it (overlay mode) no vendor bytes go on the
                               card and the camera trims /home itself.
  --recipes NAME[,NAME...]     build only these recipes (and what they need), no card images;
                               known: ${RECIPES.map((r) => r.name).join(', ')}
  --ffmpeg-cli                 also build the ffmpeg program (recipe ffmpeg-cli, its own build
                               tree: the cards' libraries and programs do not change)
  --jobs N                     parallel compile jobs (default: number of CPUs, ${os.availableParallelism()} here)
  --verbose                    print every command camfw runs
  -h, --help                   this text

environment:
  SOURCE_DATE_EPOCH            timestamp for every file in the images (default: last commit)
  CAMFW_OUTPUT                 output directory (default: output/ in the repository)
  CAMFW_CACHE                  downloads and test kernels kept across clones (default: $XDG_CACHE_HOME/camfw)

Downloads are verified by sha256 and cached in $XDG_CACHE_HOME/camfw/dl/; build logs are in output/logs/.`;

main(async () => {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      model: { type: 'string', default: 'all' },
      ...TOOLCHAIN_OPTIONS,
      recipes: { type: 'string' },
      'vendor-dir': { type: 'string' },
      'stock-home': { type: 'string' },
      'ffmpeg-cli': { type: 'boolean', default: false },
      jobs: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (values.verbose) process.env.CAMFW_VERBOSE = '1';
  const { config, given } = loadConfigFile(values.config);
  const models = values.model === 'all' ? [...MODEL_IDS] : [camera(values.model!).id];
  const jobs = values.jobs === undefined ? os.availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs ${values.jobs}: give a whole number of at least 1`);
  const choice = toolchainChoice(values);
  const only = values.recipes?.split(',').filter(Boolean);
  if (only) buildOrder(only); // an unknown recipe name fails here, before any work
  if (values['stock-home'] && !models.includes('yi')) throw new Error('--stock-home is for the yi card: add --model yi');
  for (const [flag, p] of [['--vendor-dir', values['vendor-dir']], ['--stock-home', values['stock-home']]])
    if (p && !fs.existsSync(p)) throw new Error(`${flag} ${p}: no such file or directory`);
  // nothing in the configuration is silently ignored: what a card cannot honour yet is refused, before any work
  const refused = models.flatMap((id) => refusedSettings(given, id, camera(id).unsupported));
  if (refused.length) throw new ConfigError(`${values.config}: settings the card cannot honour:\n  ${refused.join('\n  ')}`);

  const t0 = Date.now();
  await step('host packages', () => ensureHostPackages('build'));
  const info = await buildInfo();
  const summary: string[] = [];
  for (const id of models) {
    const cam = camera(id);
    const tcId = chooseToolchain(cam, choice);
    const tc = await step(`toolchain ${tcId}`, () => setupToolchain(tcId, choice.vendorSource));
    log.info(`${id}: ${cam.name} with ${tc.description}`);
    if (only) {
      const built = await buildRecipes(only, tc, jobs);
      for (const b of built.values()) summary.push(`  ${path.relative(process.cwd(), b.stageDir)}  ${b.recipe.name} ${b.recipe.version} [${tc.id}]`);
      continue;
    }
    const built = await buildRecipes([...cardRecipes(cam), ...(values['ffmpeg-cli'] ? ['ffmpeg-cli'] : [])], tc, jobs);
    const artifacts = await buildCard({ camera: cam, tc, built, info, config, vendorDir: values['vendor-dir'], stockHome: id === 'yi' ? values['stock-home'] : undefined });
    for (const a of artifacts)
      summary.push(`  ${path.relative(process.cwd(), a.file)}  ${(fs.statSync(a.file).size / 1048576).toFixed(1)} MiB  ${a.what}`);
  }
  log.info(`done in ${elapsed(t0)}: camfw ${info.version} (${info.revision})`);
  if (only) console.log(`\nstaging trees:\n${summary.join('\n')}`);
  else
    console.log(
      `\ncamfw ${info.version} (${info.revision}) images:\n${summary.join('\n')}\n` +
        models
          .map((m) => `${m}: checksums, manifest and licences in ${path.relative(process.cwd(), paths.model(m))}/ (SHA256SUMS, manifest.json, licenses/)`)
          .join('\n'),
    );
  if (!only && !config.web.password)
    console.log('\nweb UI login: the cards have no password (web.password is not set); each camera asks for one on its first visit, from its own network only.');
});
