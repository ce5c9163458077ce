#!/usr/bin/env tsx
import { parseArgs } from 'node:util';
import { MODEL_IDS } from './lib/cameras.ts';
import { compareOutputs } from './lib/compare.ts';
import { main } from './lib/cli.ts';

const HELP = `usage: npm run compare -- OUTPUT_A OUTPUT_B

Compares the images of two builds (two output directories) by their SHA256SUMS. For each
artifact that differs it says where: for disk images, which partition and which file (or
the first differing byte of the filesystem metadata); for other files, diffoscope's
report when diffoscope is installed. Exits 1 when anything differs.`;

main(async () => {
  const { values, positionals } = parseArgs({ options: { help: { type: 'boolean', short: 'h', default: false } }, allowPositionals: true });
  if (values.help) return console.log(HELP);
  if (positionals.length !== 2) throw new Error(`give two output directories\n${HELP}`);
  const diffs = await compareOutputs(positionals[0], positionals[1], [...MODEL_IDS]);
  if (!diffs.length) {
    console.log(`identical: every artifact of ${MODEL_IDS.join(', ')} has the same sha256 in both builds`);
    return;
  }
  for (const d of diffs) console.log(`${d.model}/${d.artifact} differs:\n${d.details.map((l) => `  ${l}`).join('\n')}`);
  process.exitCode = 1;
});
