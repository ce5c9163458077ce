#!/usr/bin/env tsx
// `npm test`: the type check passed; now every test file under Node's test runner, in a
// temporary directory of its own that must be empty when they are done: tests leave
// nothing behind. The files that boot emulated cameras mostly wait (for boots, backoffs,
// network tries): two of them run at a time, each in its own `node --test`, taken from one
// queue; beside them, the other files (host code, qemu-arm user mode) run one at a time.
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

/** Emulated-camera files that run at once. */
const CAMERA_LANES = 2;

// node's own test options (--test-name-pattern=...) pass through
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = named.length
  ? named
  : fs.readdirSync(path.join(paths.root, 'test')).filter((f) => f.endsWith('.test.ts')).sort().map((f) => path.join('test', f));
const bootsCamera = (f: string) => /\bbootCamera\(/.test(fs.readFileSync(path.join(paths.root, f), 'utf8'));

main(async () => {
  await step('host packages', () => ensureHostPackages('test'));
  const cameraFiles = files.filter(bootsCamera);
  const hostFiles = files.filter((f) => !bootsCamera(f));
  // the emulated cameras' kernel comes from the cache, or is built here, once, with its progress shown
  if (cameraFiles.length) await testKernel();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'camfw-tests-'));
  const failed: string[] = [];
  // more than one runs at once: each line says whose it is
  const mark = cameraFiles.length + (hostFiles.length ? 1 : 0) > 1;
  const lanes: Array<Promise<void>> = [];
  if (hostFiles.length)
    lanes.push(runNodeTest('host', hostFiles, tmp, mark).then((code) => void (code && failed.push(`the host files (exit ${code})`))));
  const queue = [...cameraFiles];
  for (let i = 0; i < Math.min(CAMERA_LANES, cameraFiles.length); i++) {
    const name = `cameras${i + 1}`;
    lanes.push(
      (async () => {
        for (let f = queue.shift(); f; f = queue.shift()) {
          const code = await runNodeTest(name, [f], tmp, mark);
          if (code) failed.push(`${f} (exit ${code})`);
        }
      })(),
    );
  }
  await Promise.all(lanes);
  // tsx keeps its compile cache in the temporary directory (tsx-UID): not a test's
  const left = fs.readdirSync(tmp).filter((f) => !/^tsx-\d+$/.test(f));
  const keep = Boolean(process.env.CAMFW_KEEP_TMP);
  if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
  if (left.length && !keep) {
    console.error(`\ntests left ${left.length} entries in their temporary directory ${tmp}: ${left.join(', ')}`);
    process.exit(1);
  }
  console.log(`${files.length} test files: ${failed.length ? `failed: ${failed.join(', ')}` : 'all passed'}`);
  process.exit(failed.length ? 1 : 0);
});

/** One `node --test` over `testFiles`, one at a time, its lines marked `[lane]` when lanes share the terminal. */
function runNodeTest(lane: string, testFiles: string[], tmp: string, mark: boolean): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...flags, ...testFiles], {
    cwd: paths.root,
    stdio: ['ignore', mark ? 'pipe' : 'inherit', mark ? 'pipe' : 'inherit'],
    env: { ...process.env, TMPDIR: tmp },
  });
  if (mark) {
    for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
      readline.createInterface({ input: from! }).on('line', (line) => to.write(`[${lane}] ${line}\n`));
    }
  }
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
}
