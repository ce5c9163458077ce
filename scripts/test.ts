#!/usr/bin/env tsx
// `npm test`: the type check passed; now every test file under Node's test runner, one at
// a time (they share the build cache and boot emulated cameras), in a temporary directory
// of their own that must be empty when they are done: tests leave nothing behind.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from './lib/cli.ts';
import { ensureHostPackages } from './lib/host-deps.ts';
import { step } from './lib/log.ts';
import { paths } from './lib/paths.ts';
import { testKernel } from '../test/qemu/kernel/kernel.ts';

// node's own test options (--test-name-pattern=...) pass through
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = named.length
  ? named
  : fs.readdirSync(path.join(paths.root, 'test')).filter((f) => f.endsWith('.test.ts')).sort().map((f) => path.join('test', f));
main(async () => {
  await step('host packages', () => ensureHostPackages('test'));
  // the emulated cameras' kernel comes from the cache, or is built here, once, with its progress shown
  if (files.some((f) => fs.readFileSync(path.join(paths.root, f), 'utf8').includes('./qemu/camera.ts'))) await testKernel();
  runTests();
});

function runTests(): never {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'camfw-tests-'));
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...flags, ...files], {
    cwd: paths.root,
    stdio: 'inherit',
    env: { ...process.env, TMPDIR: tmp },
  });
  // tsx keeps its compile cache in the temporary directory (tsx-UID): not a test's
  const left = fs.readdirSync(tmp).filter((f) => !/^tsx-\d+$/.test(f));
  if (left.length && !process.env.CAMFW_KEEP_TMP) {
    console.error(`\ntests left ${left.length} entries in their temporary directory ${tmp}: ${left.join(', ')}`);
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(1);
  }
  if (!process.env.CAMFW_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(r.status ?? 1);
}
