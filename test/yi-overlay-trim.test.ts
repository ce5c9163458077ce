// Overlay mode on an emulated YI with a stock-like /home on its own disk: the first boot
// moves the cloud programs to tar backups on the card, the next boot changes nothing,
// and UNDO-TRIM on the card brings /home back exactly as it was.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { trimManifest } from '../scripts/lib/firmware/home.ts';
import { unpackJffs2 } from '../scripts/lib/firmware/jffs2.ts';
import { compareTrees, extractPartition, readMbr } from '../scripts/lib/images/inspect.ts';
import { paths } from '../scripts/lib/paths.ts';
import { run } from '../scripts/lib/run.ts';
import { makeHomeFlash } from './fixtures/stock-home.ts';
import { makeYiHomeTree } from './qemu/yi/model.ts';
import { bootCamera } from './qemu/camera.ts';
import { cardPrograms, tmpDir } from './helpers.ts';

let dir: string;
let card: string;
let homeImg: string;
let stock: string;
let busybox: string;

/** Boots the emulated YI on the working copies and returns what camfw logged. */
async function boot(): Promise<string> {
  const cam = await bootCamera('yi', card, busybox, { writable: true, flash: homeImg });
  try {
    await cam.cardPage(80, 180_000);
    // the page can answer before the stock init shows the card's log
    return await cam.consoleLine(/camfw-test: card log shown/);
  } finally {
    await cam.stop();
  }
}

async function homeNow(name: string): Promise<string> {
  const out = path.join(dir, name);
  // what the camera's JFFS2 driver wrote, read back by camfw's own JFFS2 reader
  unpackJffs2(fs.readFileSync(homeImg), out, 'the emulated YI home flash');
  return out;
}

async function cardFiles(sub: string): Promise<string[]> {
  const part = path.join(dir, 'card-p1.img');
  extractPartition(card, readMbr(card)[0], part);
  const r = await run(['mdir', '-b', '-i', part, `::/${sub}`], { env: { MTOOLS_SKIP_CHECK: '1' }, allowFail: true });
  return r.stdout.split('\n').filter(Boolean).map((l) => path.posix.basename(l)).sort();
}

before(async () => {
  busybox = path.join((await cardPrograms('yi')).built.get('busybox')!.stageDir, 'bin/busybox');
  dir = tmpDir('yi-trim');
  card = path.join(dir, 'card.img');
  fs.copyFileSync(path.join(paths.model('yi'), 'camfw-yi.img'), card);
  stock = path.join(dir, 'stock');
  makeYiHomeTree(stock);
  homeImg = path.join(dir, 'home.flash');
  await makeHomeFlash(stock, homeImg);
});

describe('yi overlay mode trims /home on the camera', () => {
  const trimmed = trimManifest().remove.map((r) => r.path);

  test('first boot: cloud programs moved to backups on the card, the rest untouched', async () => {
    const log = await boot();
    for (const p of trimmed) assert.match(log, new RegExp(`camfw: trimmed /home/${p} \\(backup: `), p);
    const expected = path.join(dir, 'expected');
    fs.cpSync(stock, expected, { recursive: true, verbatimSymlinks: true });
    for (const p of trimmed) fs.rmSync(path.join(expected, p), { recursive: true, force: true });
    assert.deepEqual(await compareTrees(expected, await homeNow('home-1'), { modes: true }), []);
    const backups = await cardFiles('test/backup/home');
    assert.equal(backups.length, trimmed.length, backups.join(' '));
  });

  test('second boot: nothing more to do', async () => {
    const log = await boot();
    assert.match(log, /camfw: \/home already trimmed/);
    assert.doesNotMatch(log, /camfw: trimmed /);
  });

  test('UNDO-TRIM restores /home exactly and keeps the trim off', async () => {
    const part = readMbr(card)[0];
    const empty = path.join(dir, 'UNDO-TRIM');
    fs.writeFileSync(empty, '');
    await run(['mcopy', '-i', `${card}@@${part.offset}`, empty, '::/test/UNDO-TRIM'], { env: { MTOOLS_SKIP_CHECK: '1' } });
    const log = await boot();
    assert.match(log, new RegExp(`camfw: trim undone \\(${trimmed.length} restored\\)`));
    assert.deepEqual(await compareTrees(stock, await homeNow('home-3'), { modes: true }), []);
    assert.deepEqual(await cardFiles('test/backup/home'), []);
    const again = await boot();
    assert.match(again, /camfw: trim is off \(TRIM-UNDONE on the card\)/);
  });
});
