// The build names its revision truthfully: +dirty whenever what reaches the cards is not
// the commit, untracked files in the directories the build takes whole included.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { buildInfo } from '../scripts/lib/build-info.ts';
import { paths } from '../scripts/lib/paths.ts';
import { run } from '../scripts/lib/run.ts';
import { tmpDir } from './helpers.ts';

let clone: string;
before(async () => {
  clone = path.join(tmpDir('build-info'), 'camfw');
  await run(['git', 'clone', '--quiet', paths.root, clone]);
});

describe('build revision', () => {
  test('of a clean checkout is the commit', async () => {
    assert.match((await buildInfo(clone)).revision, /^[0-9a-f]{7,}$/);
  });

  test('is dirty with an untracked file in overlays/ or recipes/, which reaches the card or the build', async () => {
    for (const file of ['overlays/common/www/extra.html', 'recipes/busybox/extra.patch']) {
      fs.writeFileSync(path.join(clone, file), 'not committed\n');
      try {
        assert.match((await buildInfo(clone)).revision, /\+dirty$/, file);
      } finally {
        fs.rmSync(path.join(clone, file));
      }
    }
  });

  test('is dirty with a changed tracked file, and not with an untracked one elsewhere', async () => {
    fs.writeFileSync(path.join(clone, 'my-camera.json'), '{}\n');
    assert.doesNotMatch((await buildInfo(clone)).revision, /dirty/);
    fs.appendFileSync(path.join(clone, 'README.md'), '\n');
    assert.match((await buildInfo(clone)).revision, /\+dirty$/);
  });
});
