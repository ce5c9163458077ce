#!/usr/bin/env tsx
// `npm test`: the type check passed; now every test file under Node's test runner, in a
// temporary directory of its own that must be empty when they are done: tests leave
// nothing behind. Two lanes run side by side, each one file at a time: the tests that boot
// an emulated camera (each wants a core for QEMU and its peers, so never two at once),
// and the others (host code, qemu-arm user mode).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
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
const bootsCamera = (f: string) => fs.readFileSync(path.join(paths.root, f), 'utf8').includes('./qemu/camera.ts');

interface Lane {
  name: string;
  files: string[];
}

main(async () => {
  await step('host packages', () => ensureHostPackages('test'));
  const lanes: Lane[] = [
    { name: 'cameras', files: files.filter(bootsCamera) },
    { name: 'host', files: files.filter((f) => !bootsCamera(f)) },
  ].filter((l) => l.files.length);
  // the emulated cameras' kernel comes from the cache, or is built here, once, with its progress shown
  if (lanes.some((l) => l.name === 'cameras')) await testKernel();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'camfw-tests-'));
  const codes = await Promise.all(lanes.map((l) => runLane(l, tmp, lanes.length > 1)));
  // tsx keeps its compile cache in the temporary directory (tsx-UID): not a test's
  const left = fs.readdirSync(tmp).filter((f) => !/^tsx-\d+$/.test(f));
  const keep = Boolean(process.env.CAMFW_KEEP_TMP);
  if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
  if (left.length && !keep) {
    console.error(`\ntests left ${left.length} entries in their temporary directory ${tmp}: ${left.join(', ')}`);
    process.exit(1);
  }
  for (const [i, l] of lanes.entries()) console.log(`lane ${l.name}: ${l.files.length} files, ${codes[i] === 0 ? 'passed' : `failed (exit ${codes[i]})`}`);
  process.exit(codes.every((c) => c === 0) ? 0 : 1);
});

/** One `node --test` over the lane's files, its lines prefixed with the lane's name when lanes share the terminal. */
function runLane(lane: Lane, tmp: string, prefix: boolean): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...flags, ...lane.files], {
    cwd: paths.root,
    stdio: ['ignore', prefix ? 'pipe' : 'inherit', prefix ? 'pipe' : 'inherit'],
    env: { ...process.env, TMPDIR: tmp },
  });
  if (prefix) {
    for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
      readline.createInterface({ input: from! }).on('line', (line) => to.write(`[${lane.name}] ${line}\n`));
    }
  }
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
}
