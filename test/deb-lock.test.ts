// Pinned Debian packages: a pin the archive no longer has is an error that names the fix.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fetchDebs, readLock, type DebSet } from '../scripts/lib/deb-lock.ts';
import { muslDebs } from '../toolchain/musl-armv5te.ts';
import { hostPackages, tmpDir } from './helpers.ts';

describe('deb lock', () => {
  test('the toolchain lock pins every package by version and sha256', () => {
    const lock = readLock(muslDebs);
    assert.equal(lock.packages.length, 18);
    for (const p of lock.packages) {
      assert.match(p.sha256, /^[0-9a-f]{64}$/, p.package);
      assert.ok(p.filename.startsWith(`${p.package}_`) && p.filename.endsWith('.deb'), p.filename);
    }
  });

  test('a missing lock file names the command that makes it', () => {
    const set: DebSet = { id: 'nolock', lockFile: path.join(tmpDir('lock'), 'none.json'), resolve: async () => [] };
    assert.throws(() => readLock(set), /lock file .*none\.json is missing: run `npm run lock`/);
  });

  test('a version the archive no longer has names `npm run lock`', async () => {
    await hostPackages();
    const lockFile = path.join(tmpDir('lock'), 'gone.lock.json');
    const gone = { package: 'musl', architecture: 'armel', version: '0.0.0-camfw1', filename: 'musl_0.0.0-camfw1_armel.deb', sha256: 'f'.repeat(64), size: 1 };
    fs.writeFileSync(lockFile, JSON.stringify({ comment: 'test', packages: [gone] }));
    await assert.rejects(
      fetchDebs({ id: 'gone', lockFile, resolve: async () => [] }),
      /musl 0\.0\.0-camfw1 \(armel\) is pinned in the lock but the Debian archive no longer has it: run `npm run lock`/,
    );
  });
});
