// Verified, cached downloads: every file checked by sha256, concurrent fetches safe.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import os from 'node:os';
import { after, before, describe, test } from 'node:test';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'camfw-dl-'));
process.env.CAMFW_OUTPUT = out;
process.env.CAMFW_CACHE = out;
// paths.ts reads CAMFW_OUTPUT and CAMFW_CACHE when first loaded
const { ensureDownload, httpOrigin } = await import('../scripts/lib/download.ts');

const body = crypto.randomBytes(3 * 1024 * 1024 + 17);
const sha = crypto.createHash('sha256').update(body).digest('hex');
let hits = 0;
let server: http.Server;
let base: string;

before(async () => {
  server = http.createServer((req, res) => {
    hits++;
    if (req.url === '/other') {
      res.end('other bytes');
      return;
    }
    res.writeHead(200, { 'content-length': body.length });
    // slow enough that concurrent fetches overlap
    res.write(body.subarray(0, body.length >> 1));
    setTimeout(() => res.end(body.subarray(body.length >> 1)), 50);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
  // made here rather than with tmpDir: helpers.ts would load paths.ts before CAMFW_CACHE is set
  if (!process.env.CAMFW_KEEP_TMP) fs.rmSync(out, { recursive: true, force: true });
});

describe('ensureDownload', () => {
  test('fetches, verifies and caches; the cache is used after', async () => {
    const file = await ensureDownload('blob.bin', sha, [httpOrigin(`${base}/blob`)]);
    assert.equal(file, path.join(out, 'dl', 'blob.bin'));
    assert.ok(fs.readFileSync(file).equals(body));
    const before = hits;
    await ensureDownload('blob.bin', sha, [httpOrigin(`${base}/blob`)]);
    assert.equal(hits, before);
  });

  test('four fetches of one file at once all get the whole file', async () => {
    const files = await Promise.all([1, 2, 3, 4].map(() => ensureDownload('same.bin', sha, [httpOrigin(`${base}/blob`)])));
    for (const f of files) assert.ok(fs.readFileSync(f).equals(body));
    assert.deepEqual(fs.readdirSync(path.join(out, 'dl')).filter((f) => f.endsWith('.part')), []);
  });

  test('a corrupted cache entry is set aside and fetched again', async () => {
    fs.writeFileSync(path.join(out, 'dl', 'blob.bin'), 'garbage');
    const file = await ensureDownload('blob.bin', sha, [httpOrigin(`${base}/blob`)]);
    assert.ok(fs.readFileSync(file).equals(body));
    assert.equal(fs.readdirSync(path.join(out, 'dl')).filter((f) => f.startsWith('blob.bin.bad-')).length, 1);
  });

  test('a wrong file from one origin falls back to the next, and all failures are named', async () => {
    const file = await ensureDownload('fallback.bin', sha, [httpOrigin(`${base}/other`), httpOrigin(`${base}/blob`)]);
    assert.ok(fs.readFileSync(file).equals(body));
    await assert.rejects(
      ensureDownload('never.bin', sha, [httpOrigin(`${base}/other`), httpOrigin('http://127.0.0.1:1/x')]),
      (e: Error) => e.message.includes('sha256 mismatch for never.bin') && e.message.includes(`expected ${sha}`) && e.message.includes('cannot reach http://127.0.0.1:1/x'),
    );
  });

  test('refuses a malformed sha256', async () => {
    await assert.rejects(ensureDownload('x', 'abc', []), /"abc" is not a sha256/);
  });
});
