// Firmware mode for the YI: a fake stock home made here (a tree, mkfs.jffs2, a uImage
// header) goes through camfw's own JFFS2 reader, the trim and the repack, and comes
// back out as exactly the stock tree less the trimmed programs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { CAMERAS } from '../scripts/lib/cameras.ts';
import { unpackJffs2 } from '../scripts/lib/firmware/jffs2.ts';
import { buildTrimmedHome, trimManifest, unpackStockHome } from '../scripts/lib/firmware/home.ts';
import { parseUImage } from '../scripts/lib/firmware/uimage.ts';
import { compareTrees } from '../scripts/lib/images/inspect.ts';
import { sha256File } from '../scripts/lib/hash.ts';
import { run } from '../scripts/lib/run.ts';
import type { ManifestEntry } from '../scripts/lib/manifest.ts';
import { buildImages, cardPrograms, hostPackages, imageStageOutput, tmpDir } from './helpers.ts';
import { makeStockHomeTree } from './fixtures/stock-home.ts';

const SDE = 1700000000;
/** The YI's home partition (overlays/yi/camera.ts). */
const HOME_BUDGET = CAMERAS.yi.budgets.home;

async function makeStockImage(tree: string, out: string): Promise<void> {
  await run(['mkfs.jffs2', '-l', '-e', '64KiB', '-r', tree, '-o', `${out}.jffs2`]);
  await run(['mkimage', '-A', 'arm', '-O', 'linux', '-T', 'filesystem', '-C', 'none', '-n', '0001-hi3518-home', '-d', `${out}.jffs2`, out]);
}

let dir: string;
let stockTree: string;
let stockImage: string;

before(async () => {
  await hostPackages();
  dir = tmpDir('home');
  stockTree = path.join(dir, 'stock');
  makeStockHomeTree(stockTree);
  stockImage = path.join(dir, 'home-stock');
  await makeStockImage(stockTree, stockImage);
});

describe('stock home image', () => {
  test('is read without root: header and CRCs checked, JFFS2 unpacked to exactly the tree', async () => {
    const { header, data } = parseUImage(fs.readFileSync(stockImage), 'home');
    assert.equal(header.name, '0001-hi3518-home');
    const out = path.join(dir, 'unpacked');
    const stats = unpackJffs2(data, out);
    assert.equal(stats.badNodes, 0);
    assert.deepEqual(await compareTrees(stockTree, out, { modes: true }), []);
    assert.equal(fs.readlinkSync(path.join(out, 'libstdc++.so')), 'libusr/libstdc++.so.6');
  });

  test('damage is refused with what is wrong', () => {
    const good = fs.readFileSync(stockImage);
    const flip = (at: number) => {
      const b = Buffer.from(good);
      b[at] ^= 0xff;
      return b;
    };
    assert.throws(() => parseUImage(flip(40), 'home'), /home: uImage header CRC is 0x[0-9a-f]+, computed 0x[0-9a-f]+: the header is damaged/);
    assert.throws(() => parseUImage(flip(200), 'home'), /home: data CRC is 0x[0-9a-f]+, the header says 0x[0-9a-f]+: the image is damaged/);
    assert.throws(() => parseUImage(good.subarray(0, 1000), 'home'), /the header says \d+ bytes of data but the file has 936: truncated/);
    assert.throws(() => parseUImage(Buffer.alloc(100), 'home'), /no uImage header \(magic 0x00000000/);
  });
});

describe('firmware mode', () => {
  test('trims the manifest paths, keeps everything else, and repacks reproducibly', async () => {
    const a = path.join(dir, 'home-a');
    const b = path.join(dir, 'home-b');
    const trim = await buildTrimmedHome(stockImage, a, path.join(dir, 'work-a'), SDE, HOME_BUDGET);
    assert.deepEqual(trim.removed.sort(), trimManifest().remove.map((r) => r.path).sort());
    assert.deepEqual(trim.absent, []);
    // from the extracted tree instead of the image: same result, same bytes
    await buildTrimmedHome(stockTree, b, path.join(dir, 'work-b'), SDE, HOME_BUDGET);
    assert.equal(await sha256File(a), await sha256File(b));

    const again = path.join(dir, 'again');
    unpackStockHome(a, again);
    const expected = path.join(dir, 'expected');
    fs.cpSync(stockTree, expected, { recursive: true, verbatimSymlinks: true });
    for (const item of trimManifest().remove) fs.rmSync(path.join(expected, item.path), { recursive: true, force: true });
    const diffs = await compareTrees(expected, again, { modes: true });
    assert.deepEqual(diffs, [{ path: 'camfw', what: 'only in second' }, { path: 'camfw/README.txt', what: 'only in second' }]);
    assert.match(fs.readFileSync(path.join(again, 'camfw/README.txt'), 'utf8'), /\/home\/cloud: cloud client/);
    assert.equal(parseUImage(fs.readFileSync(a), 'trimmed').header.time, SDE);
  });

  test('a home that would not fit the 9088 KiB partition fails, listing the largest files', async () => {
    const big = path.join(dir, 'big-stock');
    fs.cpSync(stockTree, big, { recursive: true, verbatimSymlinks: true });
    fs.writeFileSync(path.join(big, 'huge.bin'), crypto.randomBytes(9500 * 1024));
    await assert.rejects(buildTrimmedHome(big, path.join(dir, 'home-big'), path.join(dir, 'work-big'), SDE, HOME_BUDGET), /yi home \(files\) is 9\.\d+ MiB, over its budget of 8\.88 MiB[\s\S]*huge\.bin/);
  });

  test('puts the trimmed home on the yi card as a vendor file', async () => {
    await cardPrograms('yi');
    const out = imageStageOutput(tmpDir('home-card'));
    await buildImages(out, { args: ['--model', 'yi', '--stock-home', stockImage] });
    const files = (JSON.parse(fs.readFileSync(path.join(out, 'yi/manifest.json'), 'utf8')) as { files: ManifestEntry[] }).files;
    assert.deepEqual(files.find((f) => f.path === 'home')?.origin, { vendor: 'stock home, trimmed', known: false });
    const home = fs.readFileSync(path.join(out, 'yi/tree/home'));
    assert.equal(parseUImage(home, 'card home').header.name, 'camfw-trimmed-home');
  });
});
