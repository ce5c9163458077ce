// Byte-reproducible images: the image stage run twice under different conditions (another
// directory, umask, time zone, locale, user name, parallelism and a faked clock) gives
// the same bytes for every artifact; a changed input is caught and located.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { MODEL_IDS } from '../scripts/lib/cameras.ts';
import { compareOutputs } from '../scripts/lib/compare.ts';
import { paths } from '../scripts/lib/paths.ts';
import { run } from '../scripts/lib/run.ts';
import { cardPrograms, hostPackages, tmpDir } from './helpers.ts';

const TSX = path.join(paths.root, 'node_modules/.bin/tsx');
const BUILD = path.join(paths.root, 'scripts/build.ts');
/** A fixed web password: a generated one is new in every build. */
const CONFIG = path.join(paths.root, 'test/fixtures/config.json');

/** An output directory that shares downloads, toolchains and compiled recipes with output/: only the image stage runs. */
function imageStageOutput(parent: string): string {
  const out = path.join(parent, 'out');
  fs.mkdirSync(out, { recursive: true });
  for (const d of [paths.dl, paths.apt, paths.toolchains, paths.stage]) fs.symlinkSync(d, path.join(out, path.basename(d)));
  return out;
}

/** Runs the build with `umask` and, when given, under `wrapper` (e.g. faketime). */
async function buildImages(out: string, umask: string, wrapper: string, env: Record<string, string>, cwd: string): Promise<void> {
  const r = await run(['sh', '-c', `umask ${umask}; exec ${wrapper} "$0" "$1" --config "$2" --jobs 1`, TSX, BUILD, CONFIG], {
    cwd,
    env: { CAMFW_OUTPUT: out, ...env },
    allowFail: true,
    timeoutMs: 600_000,
  });
  assert.equal(r.code, 0, r.stderr.slice(-3000));
}

let a: string;
let b: string;
before(async () => {
  await hostPackages();
  for (const m of MODEL_IDS) await cardPrograms(m);
  a = imageStageOutput(tmpDir('repro-a'));
  b = imageStageOutput(path.join(tmpDir('repro-b'), 'deeper', 'dir'));
  await buildImages(a, '022', '', { TZ: 'UTC', LC_ALL: 'C', USER: 'root', LOGNAME: 'root' }, paths.root);
  await buildImages(b, '077', "faketime '2031-02-03 04:05:06'", { TZ: 'Pacific/Auckland', LC_ALL: 'C.UTF-8', USER: 'camera', LOGNAME: 'camera' }, b);
});

describe('image stage', () => {
  test('gives identical artifacts under different conditions', async () => {
    const diffs = await compareOutputs(a, b, [...MODEL_IDS]);
    assert.deepEqual(diffs, [], JSON.stringify(diffs, null, 2));
    for (const m of MODEL_IDS) assert.ok(fs.readFileSync(path.join(a, m, 'SHA256SUMS'), 'utf8').trim().split('\n').length >= 1);
  });

  test('a different SOURCE_DATE_EPOCH is detected and located', async () => {
    const c = imageStageOutput(tmpDir('repro-c'));
    await buildImages(c, '022', '', { SOURCE_DATE_EPOCH: '1600000000' }, paths.root);
    const diffs = await compareOutputs(a, c, ['fang']);
    assert.equal(diffs.length, 1);
    assert.equal(diffs[0].artifact, 'camfw-fang.img');
    assert.match(diffs[0].details.join('\n'), /partition 1: same files; filesystem metadata differs/);
  });

  test('a changed file is named with its partition', async () => {
    const c = tmpDir('repro-d');
    fs.cpSync(path.join(a, 'fang'), path.join(c, 'fang'), { recursive: true });
    const img = path.join(c, 'fang', 'camfw-fang.img');
    const extra = path.join(c, 'extra.txt');
    fs.writeFileSync(extra, 'not from the build\n');
    await run(['mcopy', '-i', `${img}@@1M`, extra, '::/extra.txt'], { env: { MTOOLS_SKIP_CHECK: '1' } });
    const sums = fs.readFileSync(path.join(c, 'fang', 'SHA256SUMS'), 'utf8').replace(/^\w+(\s+camfw-fang\.img)$/m, `${'0'.repeat(64)}$1`);
    fs.writeFileSync(path.join(c, 'fang', 'SHA256SUMS'), sums);
    const diffs = await compareOutputs(a, c, ['fang']);
    assert.deepEqual(diffs[0]?.details, ['partition 1: /extra.txt: only in second']);
  });
});
