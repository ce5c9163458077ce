// Byte-reproducible images: the image stage run twice under different conditions (another
// directory, umask, time zone, locale, user name, parallelism and a faked clock) gives
// the same bytes for every artifact; a changed input is caught and located.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { MODEL_IDS } from '../scripts/lib/cameras.ts';
import { compareOutputs } from '../scripts/lib/compare.ts';
import { run } from '../scripts/lib/run.ts';
import { buildImages, cardPrograms, hostPackages, imageStageOutput, tmpDir } from './helpers.ts';

let a: string;
let b: string;
before(async () => {
  await hostPackages();
  for (const m of MODEL_IDS) await cardPrograms(m);
  a = imageStageOutput(tmpDir('repro-a'));
  b = imageStageOutput(path.join(tmpDir('repro-b'), 'deeper', 'dir'));
  await buildImages(a, { env: { TZ: 'UTC', LC_ALL: 'C', USER: 'root', LOGNAME: 'root' } });
  await buildImages(b, { umask: '077', wrapper: ['faketime', '2031-02-03 04:05:06'], env: { TZ: 'Pacific/Auckland', LC_ALL: 'C.UTF-8', USER: 'camera', LOGNAME: 'camera' }, cwd: b });
});

describe('image stage', () => {
  test('gives identical artifacts under different conditions', async () => {
    const diffs = await compareOutputs(a, b, [...MODEL_IDS]);
    assert.deepEqual(diffs, [], JSON.stringify(diffs, null, 2));
    for (const m of MODEL_IDS) assert.ok(fs.readFileSync(path.join(a, m, 'SHA256SUMS'), 'utf8').trim().split('\n').length >= 1);
  });

  test('a different SOURCE_DATE_EPOCH is detected and located', async () => {
    const c = imageStageOutput(tmpDir('repro-c'));
    await buildImages(c, { env: { SOURCE_DATE_EPOCH: '1600000000' } });
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
