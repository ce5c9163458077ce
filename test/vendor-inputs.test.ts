// Vendor inputs: the camera's proprietary files come from the user's directory, checked by
// sha256 and listed as vendor files; missing ones leave a card that says what is missing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { ManifestEntry } from '../scripts/lib/manifest.ts';
import { vendorList } from '../scripts/lib/vendor.ts';
import { buildImages, cardPrograms, hostPackages, imageStageOutput, runBuild, tmpDir } from './helpers.ts';

const files = (out: string) => (JSON.parse(fs.readFileSync(path.join(out, 'fang/manifest.json'), 'utf8')) as { files: ManifestEntry[] }).files;
/** etc/camfw/vendor-files, which the status page shows: path, what, and what the build had. */
const vendorFiles = (out: string) =>
  fs.readFileSync(path.join(out, 'fang/tree/p2/data/etc/camfw/vendor-files'), 'utf8').trim().split('\n').map((l) => l.split('\t'));

before(async () => {
  await hostPackages();
  await cardPrograms('fang');
});

describe('fang vendor files', () => {
  test('without a vendor directory the card says what is missing and where it goes', async () => {
    const out = imageStageOutput(tmpDir('vendor-none'));
    await buildImages(out, { args: ['--model', 'fang'] });
    assert.deepEqual(vendorFiles(out), vendorList('fang')!.files.map((f) => [f.path, f.what, 'missing']));
    assert.equal(files(out).filter((e) => e.origin && 'vendor' in e.origin).length, 0);
  });

  test('given files are copied, listed as vendor files, and unknown builds warned about', async () => {
    const dir = tmpDir('vendor-some');
    const vendor = path.join(dir, 'vendor');
    fs.mkdirSync(vendor);
    fs.writeFileSync(path.join(vendor, 'snx_rtsp_server'), 'not really the Sonix server\n');
    fs.writeFileSync(path.join(vendor, 'libsnx_vc.so'), 'not really a library\n');
    const out = imageStageOutput(dir);
    const r = await runBuild(out, { args: ['--model', 'fang', '--vendor-dir', vendor] });
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    assert.match(r.stderr, /vendor file snx_rtsp_server \(sha256 [0-9a-f]{64}\) is not a build camfw knows/);
    const server = files(out).find((e) => e.path === 'p2/data/usr/bin/snx_rtsp_server');
    assert.deepEqual(server?.origin, { vendor: 'snx_rtsp_server', known: false });
    assert.equal(server?.mode, '0755');
    assert.equal(files(out).find((e) => e.path === 'p2/data/usr/lib/libsnx_vc.so')?.mode, '0644');
    const built = Object.fromEntries(vendorFiles(out).map(([p, , state]) => [p.split('/').pop(), state]));
    assert.deepEqual(built, { snx_rtsp_server: 'unknown', snx_isp_ctl: 'missing', 'libsnx_vc.so': 'unknown', 'libsnx_rc.so': 'missing' });
  });

  test('a vendor directory that does not exist is refused', async () => {
    const dir = tmpDir('vendor-bad');
    const r = await runBuild(imageStageOutput(dir), { args: ['--model', 'fang', '--vendor-dir', path.join(dir, 'nowhere')] });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--vendor-dir .*nowhere: no such (file or )?directory/);
  });
});
