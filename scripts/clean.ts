#!/usr/bin/env tsx
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { main } from './lib/cli.ts';
import { log } from './lib/log.ts';
import { paths } from './lib/paths.ts';

const HELP = `usage: npm run clean [-- --all]

Removes build trees, staging, images and logs under output/. The unpacked toolchains
and the private apt lists are kept unless --all is given. The cache of downloads and
test kernels (${paths.cache}) is never touched: remove it by hand.`;

main(async () => {
  const { values } = parseArgs({ options: { all: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) return console.log(HELP);
  if (values.all) {
    fs.rmSync(paths.output, { recursive: true, force: true });
    log.info(`removed ${paths.output}`);
    return;
  }
  const keep = new Set([paths.toolchains, paths.apt]);
  if (!fs.existsSync(paths.output)) return;
  for (const name of fs.readdirSync(paths.output)) {
    const p = `${paths.output}/${name}`;
    if (keep.has(p)) continue;
    fs.rmSync(p, { recursive: true, force: true });
    log.info(`removed ${p}`);
  }
});
