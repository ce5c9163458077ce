// Growing the Xiaofang's data partition (p2, ext2) to the card. camfw-grow-part, which
// rewrites p2's MBR entry, refuses every table that is not the card's layout (under
// qemu-arm, on crafted images); the card's own e2fsck and resize2fs check and grow an ext2
// image under qemu-arm; and on an emulated Xiaofang whose card is larger than the image,
// the web API grows p2, the camera reboots, grows the filesystem at boot before camfw runs
// from it, and comes back with the space, after which there is nothing left to grow (409);
// the owner asks with the System page's button, in Chromium.
// A grow that fails at boot says so on p1 and on the web page, and the card still boots.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CAMERAS } from '../scripts/lib/cameras.ts';
import { extractPartition, readMbr } from '../scripts/lib/images/inspect.ts';
import { run } from '../scripts/lib/run.ts';
import { cgi, cookieOf } from './cgi.ts';
import { bootCamera, type RunningCamera } from './qemu/camera.ts';
import { cardImage, cardPrograms, ownerSession, renderCard, tmpDir } from './helpers.ts';

const MiB = 1024 * 1024;
const KERNEL = CAMERAS.fang.kernel;
const mtools = { env: { MTOOLS_SKIP_CHECK: '1' } };

let dir: string;
let busybox: string;
let growPart: string;
let e2fsck: string;
let resize2fs: string;

before(async () => {
  const { built } = await cardPrograms('fang');
  busybox = path.join(built.get('busybox')!.stageDir, 'bin/busybox');
  growPart = path.join(built.get('camfw-api')!.stageDir, 'usr/lib/camfw/camfw-grow-part');
  e2fsck = path.join(built.get('e2fsprogs')!.stageDir, 'sbin/e2fsck');
  resize2fs = path.join(built.get('e2fsprogs')!.stageDir, 'sbin/resize2fs');
  dir = tmpDir('fang-grow');
});

/** An ARM program of the card as an ARM926 with the Xiaofang's kernel version. */
function arm(program: string, args: string[]) {
  return run(['qemu-arm', '-cpu', 'arm926', '-r', KERNEL, program, ...args], { allowFail: true, timeoutMs: 120_000 });
}

/** A disk image of `sizeMiB` with the partition table an sfdisk script describes. */
async function disk(name: string, sizeMiB: number, table: string): Promise<string> {
  const file = path.join(dir, `${name}.img`);
  fs.writeFileSync(file, '');
  fs.truncateSync(file, sizeMiB * MiB);
  await run(['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', file], { input: `unit: sectors\n${table}` });
  return file;
}

/** The card's layout at a small scale: p1 FAT32 from 1 MiB, p2 Linux from 11 MiB to 15 MiB. */
const CARD = 'label: dos\nstart=2048, size=20480, type=c\nstart=22528, size=8192, type=83\n';

describe('camfw-grow-part', () => {
  test("grows p2 of the card's layout to the end of the disk, changing nothing else, and then has nothing to grow", async () => {
    const img = await disk('card', 64, CARD);
    const before = fs.readFileSync(img).subarray(0, 512);
    const check = await arm(growPart, ['--check', img]);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /^new_sectors=108544$/m);
    assert.deepEqual(fs.readFileSync(img).subarray(0, 512), before, '--check changed the table');
    const grow = await arm(growPart, [img]);
    assert.equal(grow.code, 0, grow.stderr);
    assert.match(grow.stdout, /partition 2 grown from 8192 to 108544 sectors \(53 MiB\)/);
    const [p1, p2] = readMbr(img);
    assert.deepEqual([p1.offset, p1.size, p1.type], [MiB, 10 * MiB, 0x0c]);
    assert.deepEqual([p2.offset, p2.offset + p2.size, p2.type], [11 * MiB, 64 * MiB, 0x83]);
    // only p2's size and its end in CHS changed: bytes 446+16+5..7 and +12..15
    const after = fs.readFileSync(img).subarray(0, 512);
    const changed = [...after.keys()].filter((i) => after[i] !== before[i]);
    assert.ok(changed.every((i) => [467, 468, 469, 474, 475, 476, 477].includes(i)), `bytes changed: ${changed.join(' ')}`);
    // sfdisk reads the same table
    const dump = (await run(['sfdisk', '--dump', img])).stdout;
    assert.match(dump, /img2 : start=\s*22528, size=\s*108544, type=83/);
    const again = await arm(growPart, [img]);
    assert.equal(again.code, 3, again.stderr);
    assert.match(again.stdout, /nothing to grow: partition 2 ends at the end of the disk/);
  });

  const refusals: Array<[string, () => Promise<string>, RegExp]> = [
    ['no partition table', async () => {
      const f = path.join(dir, 'blank.img');
      fs.writeFileSync(f, Buffer.alloc(4 * MiB));
      return f;
    }, /no MBR partition table/],
    ['a GPT disk', () => disk('gpt', 32, 'label: gpt\nstart=2048, size=8192\nstart=10240, size=8192\n'), /a GPT disk/],
    ['p2 not Linux', () => disk('type', 32, 'label: dos\nstart=2048, size=20480, type=c\nstart=22528, size=8192, type=c\n'), /partition 2 is of type 0x0c, not Linux \(0x83\)/],
    ['a p3 after p2', () => disk('p3', 32, `${CARD}start=30720, size=4096, type=83\n`), /partition 3 or 4 exists/],
    ['an extended partition', () => disk('extended', 32, 'label: dos\nstart=2048, size=20480, type=c\nstart=22528, size=8192, type=5\n'), /an extended partition/],
    ['p1 after p2', () => disk('order', 32, 'label: dos\nstart=22528, size=8192, type=c\nstart=2048, size=8192, type=83\n'), /partition 1 does not end before partition 2/],
    ['p2 beyond the end of a cut image', async () => {
      const f = await disk('cut', 32, CARD);
      fs.truncateSync(f, 13 * MiB);
      return f;
    }, /partition 2 ends beyond the disk/],
    ['a directory', async () => dir, /not a disk or an image file/],
    ['a character device', async () => '/dev/null', /not a disk or an image file/],
  ];
  for (const [what, make, why] of refusals)
    test(`refuses ${what}, and leaves it as it was`, async () => {
      const file = await make();
      const before = fs.statSync(file).isFile() ? fs.readFileSync(file) : undefined;
      const r = await arm(growPart, [file]);
      assert.equal(r.code, 2, `${r.stdout}${r.stderr}`);
      assert.match(r.stderr, why);
      if (before) assert.deepEqual(fs.readFileSync(file), before);
    });

  test('a disk it already fills: nothing to grow (3)', async () => {
    const r = await arm(growPart, ['--check', await disk('full', 15, CARD)]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /^new_sectors=8192$/m);
  });
});

describe("the card's e2fsck and resize2fs", () => {
  test('check an ext2 image made as the card makes it and grow it to its file; the host e2fsck finds it clean', async () => {
    const tree = path.join(dir, 'tree');
    fs.mkdirSync(path.join(tree, 'data/etc'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'data/etc/settings.conf'), 'CAMFW_HOSTNAME=camfw-fang\n');
    fs.symlinkSync('etc/settings.conf', path.join(tree, 'data/link'));
    const img = path.join(dir, 'p2.ext2');
    await run(['mke2fs', '-q', '-F', '-t', 'ext2', '-b', '1024', '-I', '256', '-m', '0', '-d', tree, img, '8192']);
    fs.truncateSync(img, 24 * MiB);
    const check = await arm(e2fsck, ['-f', '-p', img]);
    assert.equal(check.code, 0, `${check.stdout}${check.stderr}`);
    const grow = await arm(resize2fs, ['-f', img]);
    assert.equal(grow.code, 0, `${grow.stdout}${grow.stderr}`);
    assert.match(grow.stdout, /The filesystem on .* is now 24576 \(1k\) blocks long/);
    const host = await run(['e2fsck', '-fn', img], { allowFail: true });
    assert.equal(host.code, 0, host.stdout + host.stderr);
    assert.match((await run(['dumpe2fs', '-h', img])).stdout, /^Block count:\s+24576$/m);
    assert.equal((await run(['debugfs', '-R', 'cat /data/etc/settings.conf', img])).stdout, 'CAMFW_HOSTNAME=camfw-fang\n');
  });
});

describe('the storage API', () => {
  test('the YI has no data partition to grow: 404 on both calls, after the session and CSRF checks', async () => {
    const card = await renderCard('yi', { web: { user: 'owner', password: 'a long enough test password' } });
    const runDir = tmpDir('grow-run');
    const login = await cgi(card, runDir, '/login', { body: { user: 'owner', password: 'a long enough test password' } });
    const s = { cookie: cookieOf(login)!, csrf: String(login.json.csrf) };
    for (const [call, method] of [['/storage', 'GET'], ['/storage/grow', 'POST']] as const) {
      const r = await cgi(card, runDir, call, { method, body: method === 'POST' ? {} : undefined, cookie: s.cookie, csrf: s.csrf });
      assert.equal(r.status, 404, `${call}: ${r.text}`);
      assert.match(String(r.json.error), /this camera's card has no data partition to grow/);
    }
    // the route's own checks come first: no session, no CSRF token
    assert.equal((await cgi(card, runDir, '/storage')).status, 401);
    assert.equal((await cgi(card, runDir, '/storage/grow', { method: 'POST', body: {}, cookie: s.cookie })).status, 403);
  });
});

interface Storage {
  disk_bytes: number;
  partition_bytes: number;
  filesystem_bytes: number;
  growable_bytes: number;
  state: string;
  error: string | null;
}

/** A call of the camera's API with the session; its status and JSON. */
async function api<T>(cam: RunningCamera, call: string, s: { cookie: string; csrf: string }, method = 'GET'): Promise<{ status: number; body: T }> {
  const post = method === 'POST';
  const r = await fetch(`${cam.urlOn(8080)}api/${call}`, {
    method,
    headers: { cookie: s.cookie, ...(post ? { 'content-type': 'application/json', 'x-csrf-token': s.csrf } : {}) },
    body: post ? '{}' : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: r.status, body: (await r.json()) as T };
}

/** A file on the card image's p1 (FAT), or undefined when it is not there. */
async function onP1(card: string, name: string): Promise<string | undefined> {
  const r = await run(['mtype', '-i', `${card}@@${readMbr(card)[0].offset}`, `::/${name}`], { ...mtools, allowFail: true });
  return r.code === 0 ? r.stdout : undefined;
}

/**
 * The System page in Chromium with the owner's session: what it says of the card, its grow
 * button, the confirmation asked (accepted), once the page says it reboots.
 */
async function growOnSystemPage(cam: RunningCamera, cookie: string): Promise<{ size: string; button: string; confirm: string }> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    env: { ...process.env, XDG_RUNTIME_DIR: tmpDir('chromium-runtime') },
  });
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.addCookies([{ name: 'camfw_session', value: cookie.slice(cookie.indexOf('=') + 1), url: cam.urlOn(8080) }]);
    const page = await context.newPage();
    let confirm = '';
    page.on('dialog', (d) => {
      confirm = d.message();
      void d.accept();
    });
    await page.goto(`${cam.urlOn(8080)}#system`);
    await page.waitForSelector('main[data-ready="system"]', { timeout: 60_000 });
    const size = (await page.textContent('#card-size')) ?? '';
    const button = (await page.textContent('#grow')) ?? '';
    await page.click('#grow');
    await page.waitForFunction(() => /Rebooting to grow the data partition/.test(document.querySelector('main')?.textContent ?? ''), undefined, { timeout: 30_000 });
    return { size, button, confirm };
  } finally {
    await browser.close();
  }
}

describe('emulated Xiaofang with a card larger than its image', () => {
  test('the web page grows p2 to the card: a reboot, the filesystem grown at boot, the space on the status page, then nothing to grow', async (t) => {
    const card = await cardImage('fang', dir, 'grow');
    const [, p2] = readMbr(card);
    const image = fs.statSync(card).size;
    assert.equal(p2.offset + p2.size, image);
    fs.truncateSync(card, image + 96 * MiB);

    const cam = await bootCamera('fang', card, busybox, { writable: true });
    let totalBefore: number;
    try {
      await cam.cardPage(8080);
      const s = await ownerSession(cam, 8080);
      const st = await api<Storage>(cam, 'storage', s);
      assert.equal(st.status, 200, JSON.stringify(st.body));
      assert.deepEqual(st.body, {
        disk_bytes: image + 96 * MiB,
        partition_bytes: p2.size,
        filesystem_bytes: p2.size,
        growable_bytes: 96 * MiB,
        grow_min_bytes: MiB,
        state: 'none',
        error: null,
      });
      totalBefore = (await api<{ storage: { total_mb: number } }>(cam, 'status', s)).body.storage.total_mb;
      assert.equal((await api(cam, 'storage/grow', { ...s, csrf: 'wrong' }, 'POST')).status, 403);
      // the owner's way: the System page's button, and its confirmation
      const said = await growOnSystemPage(cam, s.cookie);
      assert.equal(said.size, `Card ${(image + 96 * MiB) / MiB} MB, data partition ${p2.size / MiB} MB.`);
      assert.equal(said.button, `Grow the data partition to fill the card (${p2.size / MiB + 96} MB)`);
      assert.match(said.confirm, /^Grow the data partition to fill the card \(\d+ MB\)\? The camera reboots/);
      assert.ok(await cam.ended(60_000), 'the camera did not reboot after the grow');
    } finally {
      await cam.stop();
    }
    // the table on the card: p2 where it was, to the last sector; the note for the boot on p1
    const [, grown] = readMbr(card);
    assert.deepEqual([grown.offset, grown.offset + grown.size], [p2.offset, image + 96 * MiB]);
    assert.ok(await onP1(card, 'camfw-resize'), 'no note camfw-resize on p1');

    const again = await bootCamera('fang', card, busybox, { writable: true });
    try {
      await again.cardPage(8080);
      const log = await again.fileLine('/tmp/camfw.log', /camfw: storage: The filesystem on \S+ is now \d+ \(1k\) blocks long/);
      t.diagnostic(log.split('\n').filter((l) => l.includes('storage')).join('\n'));
      // camfw started after the grow, from the grown partition
      assert.ok(log.indexOf('camfw: storage: The filesystem') < log.indexOf('camfw: web: starting lighttpd'), log);
      const s = await ownerSession(again, 8080);
      const st = await api<Storage>(again, 'storage', s);
      assert.equal(st.status, 200, JSON.stringify(st.body));
      assert.equal(st.body.partition_bytes, grown.size);
      assert.equal(st.body.filesystem_bytes, grown.size);
      assert.equal(st.body.growable_bytes, 0);
      assert.equal(st.body.state, 'none');
      const total = (await api<{ storage: { total_mb: number } }>(again, 'status', s)).body.storage.total_mb;
      assert.ok(total >= totalBefore + 80, `card space on the status page: ${totalBefore} MB, then ${total} MB`);
      const nothing = await api<{ error: string }>(again, 'storage/grow', s, 'POST');
      assert.equal(nothing.status, 409);
      assert.match(nothing.body.error, /^nothing to grow: the data partition fills the card \(\d+ MB of \d+ MB\)$/);
      // a refused grow does not reboot (the reboot starts 2 s after a grow's answer)
      assert.equal(await again.ended(5_000), false, 'the camera rebooted after a refused grow');
    } finally {
      await again.stop();
    }
    // on the host: the note is gone, p2 is clean and as large as its partition
    assert.equal(await onP1(card, 'camfw-resize'), undefined, 'the note camfw-resize is still on p1');
    assert.equal(await onP1(card, 'camfw-resize-error.txt'), undefined);
    const p2file = path.join(dir, 'grown-p2.ext2');
    extractPartition(card, grown, p2file);
    const fsck = await run(['e2fsck', '-fn', p2file], { allowFail: true });
    assert.equal(fsck.code, 0, fsck.stdout + fsck.stderr);
    assert.match((await run(['dumpe2fs', '-h', p2file])).stdout, new RegExp(`^Block count:\\s+${grown.size / 1024}$`, 'm'));
  });

  test('a grow that fails at boot (no resize2fs on p1) says why on p1 and on the web page, and the card boots with p2 as it was', async () => {
    const card = await cardImage('fang', dir, 'grow-fails');
    const [p1, p2] = readMbr(card);
    fs.truncateSync(card, fs.statSync(card).size + 16 * MiB);
    const note = path.join(dir, 'camfw-resize');
    fs.writeFileSync(note, 'grow\n');
    await run(['mcopy', '-i', `${card}@@${p1.offset}`, note, '::/camfw-resize'], mtools);
    await run(['mdel', '-i', `${card}@@${p1.offset}`, '::/bootstrap/sbin/resize2fs'], mtools);
    const cam = await bootCamera('fang', card, busybox, { writable: true });
    try {
      await cam.cardPage(8080);
      const log = await cam.fileLine('/tmp/camfw.log', /camfw: storage: cannot copy resize2fs/);
      assert.doesNotMatch(log, /e2fsck/);
      const s = await ownerSession(cam, 8080);
      const st = await api<Storage>(cam, 'storage', s);
      assert.equal(st.body.state, 'failed');
      assert.match(st.body.error ?? '', /camfw could not grow the data partition: cannot copy resize2fs from bootstrap\/sbin on the card/);
      assert.equal(st.body.filesystem_bytes, p2.size);
      assert.equal(st.body.growable_bytes, 16 * MiB);
    } finally {
      await cam.stop();
    }
    assert.match((await onP1(card, 'camfw-resize-error.txt')) ?? '', /cannot copy resize2fs/);
    assert.ok(await onP1(card, 'camfw-resize'), 'the note went although the grow failed');
  });
});
