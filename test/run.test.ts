// The one tool-call module: a program's output piped to a file keeps the program's exit
// status (no `| gzip` hiding it), and build locks live in the kernel, so a crashed holder
// leaves nothing that blocks or misleads the next build.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, test } from 'node:test';
import { lockFile, run } from '../scripts/lib/run.ts';
import { tmpDir } from './helpers.ts';

describe('run with stdoutFile', () => {
  test('compresses what the program writes, reproducibly', async () => {
    const dir = tmpDir('run');
    fs.writeFileSync(path.join(dir, 'data'), 'camfw\n'.repeat(1000));
    const a = path.join(dir, 'a.tar.gz');
    const b = path.join(dir, 'b.tar.gz');
    for (const out of [a, b]) await run(['tar', '--mtime=@0', '--owner=0', '--group=0', '-C', dir, '-cf', '-', 'data'], { stdoutFile: out, gzipLevel: 9 });
    assert.deepEqual(fs.readFileSync(a), fs.readFileSync(b));
    assert.ok(zlib.gunzipSync(fs.readFileSync(a)).includes('camfw\ncamfw\n'));
  });

  test("fails with the program's exit status when the program fails, however much it wrote", async () => {
    const dir = tmpDir('run');
    const out = path.join(dir, 'out.tar.gz');
    await assert.rejects(
      run(['tar', '-C', dir, '-cf', '-', 'no-such-file'], { stdoutFile: out, gzipLevel: 9 }),
      (e: Error) => /command failed \(exit 2\): tar /.test(e.message) && /no-such-file: Cannot stat/.test(e.message),
    );
  });
});

describe('lockFile', () => {
  test('excludes a second holder until the first lets go, and is free when its holder is killed', async () => {
    const file = path.join(tmpDir('lock'), 'x.lock');
    const first = await lockFile(file);
    assert.ok(first);
    assert.equal(await lockFile(file, { wait: false }), undefined);
    await first.release();
    const again = await lockFile(file, { wait: false });
    assert.ok(again);
    await again.release();
    // a holder killed while it holds the lock (SIGKILL: no chance to clean up)
    const holder = run(['timeout', '--signal=KILL', '3', 'flock', '--no-fork', '--exclusive', file, 'sleep', '30'], { allowFail: true });
    let held = false;
    for (let i = 0; i < 50 && !held; i++) {
      const l = await lockFile(file, { wait: false });
      if (l) await l.release();
      else held = true;
      if (!held) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(held, 'the holder never took the lock');
    assert.notEqual((await holder).code, 0);
    const after = await lockFile(file, { wait: false });
    assert.ok(after, 'a killed holder left the lock taken');
    await after.release();
  });
});
