#!/usr/bin/env tsx
import { parseArgs } from 'node:util';
import { chooseToolchain, setupToolchain } from '../toolchain/index.ts';
import { camera } from './lib/cameras.ts';
import { main, toolchainChoice, TOOLCHAIN_HELP, TOOLCHAIN_OPTIONS } from './lib/cli.ts';
import { run } from './lib/run.ts';

const HELP = `usage: npm run toolchain -- [--model fang|yi] [OPTIONS]

Fetches, verifies (sha256) and unpacks the toolchain a build would use, then says what
it found. Use it to check a vendor SDK archive before a full build.

options:
  --model fang|yi              camera whose default toolchain to resolve (default: yi)
${TOOLCHAIN_HELP}
  --json                       print the result as JSON
  -h, --help                   this text`;

main(async () => {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'yi' },
      ...TOOLCHAIN_OPTIONS,
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(HELP);
  const choice = toolchainChoice(values);
  const tc = await setupToolchain(chooseToolchain(camera(values.model!), choice), choice.vendorSource);
  const gcc = (await run([`${tc.crossPrefix}gcc`, '-dumpversion'])).stdout.trim();
  const result = { ...tc, gccVersion: gcc };
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(12)} ${v}`);
});
