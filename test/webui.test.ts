// The web UI in a real browser (Debian's Chromium, driven by playwright-core) against each
// emulated camera, at a phone's width: the first visit's password (the card's login page
// served on loopback, the camera's own network), every page with its key parts visible
// and nothing wider than the screen, a stream target set and the push started and stopped at nginx-rtmp on the host
// with the bitrate chart moving, a recording made, played in the browser and deleted, the
// time zone changed, log out, and reboot. A screenshot of each page of each camera goes
// to output/screenshots/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { paths } from '../scripts/lib/paths.ts';
import { bootCamera, type RunningCamera } from './qemu/camera.ts';
import { FANG_PAIRED } from './qemu/fang/model.ts';
import { startRtmpServer, type RtmpServer } from './peers/nginx-rtmp.ts';
import { startCardWeb } from './card-web.ts';
import { cardImage, cardPrograms, OWNER_PASSWORD, ownerSession, renderCard, tmpDir } from './helpers.ts';
import { waitFor } from './wait.ts';

const HOST = '10.0.2.2';
const SCREENSHOTS = path.join(paths.output, 'screenshots');
/** A phone's screen, in CSS pixels. */
const PHONE = { width: 390, height: 844 };
const PAGES = ['status', 'services', 'network', 'time', 'video', 'streaming', 'recording', 'logs', 'system'];

let dir: string;
let nginx: RtmpServer;
let browser: Browser;

before(async () => {
  dir = tmpDir('webui');
  nginx = await startRtmpServer(path.join(dir, 'nginx'));
  // Debian's Chromium; nothing downloads a browser. As root it needs --no-sandbox. Its
  // sound library keeps a runtime directory: in one of the test's, not in /tmp.
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    env: { ...process.env, XDG_RUNTIME_DIR: tmpDir('chromium-runtime') },
  });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await nginx?.stop();
});

/** Opens a page of the UI by its menu entry and waits until it has shown its data. */
async function open(page: Page, name: string): Promise<void> {
  await page.click(`#nav-${name}`);
  await page.waitForSelector(`main[data-ready="${name}"]`, { timeout: 30_000 });
}

/** The page's note line once it has said something other than "Working...". */
async function noteSays(page: Page, re: RegExp): Promise<void> {
  const note = page.locator('main .note').first();
  await waitFor(`the note to say ${re}`, async () => {
    const text = (await note.textContent()) ?? '';
    if (/Working/.test(text)) return undefined;
    assert.match(text, re);
    return true;
  }, 120_000);
}

async function screenshot(page: Page, model: string, name: string): Promise<void> {
  // usable on a phone: nothing wider than the screen
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${model} ${name}: the page is ${overflow} px wider than a phone`);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${model}-${name}.png`), fullPage: true });
}

/** The bitrate chart's points of one series, as drawn. */
const chartPoints = (page: Page, series: number) => page.getAttribute(`#stream-chart polyline.series${series}`, 'points').then((p) => (p ?? '').split(' ').filter(Boolean));

/**
 * Everything an owner does on one camera, in order: first visit, every page, streaming,
 * recording, time zone, log out, log in again, reboot.
 */
async function ownerTour(
  t: { diagnostic(s: string): void },
  model: 'yi' | 'fang',
  cam: RunningCamera,
  cardDir: string,
  streamPath: string,
  /** The camera's own part of the Video page, opened. */
  video: (page: Page) => Promise<void>,
): Promise<void> {
  const context = await browser.newContext({ viewport: PHONE, acceptDownloads: true });
  const page = await context.newPage();
  const t0 = Date.now();
  // what the page's scripts threw or logged as errors: none is expected
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    // the browser logs every answer that is not 2xx; the YI's scan is a 502 by design here
    // (its driver in the emulator has no Wireless Extensions), which the page shows
    if (m.type() === 'error' && !(model === 'yi' && m.location().url.endsWith('/api/network/scan'))) errors.push(`${page.url()}: ${m.text()}`);
  });
  try {
    page.on('dialog', (d) => void d.accept());
    // the first password from the camera's own network (inside it: through QEMU's forward
    // the browser comes from the camera's gateway, which may not set it; the first visit
    // in a browser is the test below); then the login page
    await ownerSession(cam);
    await page.goto(cam.url);
    await page.waitForURL(/\/public\/login\.html$/);
    await page.waitForSelector('#form:not([hidden])');
    assert.ok(await page.isHidden('#again-row'));
    await screenshot(page, model, 'login');
    await page.fill('#user', 'admin');
    await page.fill('#password', OWNER_PASSWORD);
    await page.click('#submit');
    await page.waitForSelector('main[data-ready="status"]', { timeout: 60_000 });

    // status: the RTSP URL where people look for it, the services, the stream, the vendor files
    assert.match(await page.inputValue('#rtsp-url'), new RegExp(`^rtsp://127\\.0\\.0\\.1:554/${streamPath}$`));
    // (the status page refreshes every 5 s; the Xiaofang's RTSP server starts after the take-over)
    await page.waitForFunction(() => /web: running[^]*rtsp: running/.test(document.querySelector('#status-services')?.textContent ?? ''), undefined, { timeout: 90_000 });
    await screenshot(page, model, 'status');

    await open(page, 'services');
    await page.waitForSelector('#service-web');
    assert.ok(await page.isDisabled('#service-web button[data-action="stop"]'), 'the web server can be stopped from its own page');
    await page.click('#service-ntp button:text("log")');
    await page.waitForFunction(() => (document.querySelector('#service-log')?.textContent ?? '') !== '');
    await screenshot(page, model, 'services');

    // network: what the camera has now; the scan (the Xiaofang's stock iwlist lists the
    // networks in range, a name picked fills the form; the YI's driver cannot scan here)
    await open(page, 'network');
    assert.equal(await page.inputValue('#hostname'), `camfw-${model}`);
    assert.match((await page.textContent('#network-now')) ?? '', /10\.0\.2\.15 \/ 255\.255\.255\.0[^]*10\.0\.2\.2/);
    await page.click('#scan');
    await page.waitForFunction(() => !/^(Working\.\.\.)?$/.test(document.querySelector('#scan-note')?.textContent ?? ''), undefined, { timeout: 30_000 });
    if (model === 'fang') {
      await page.click(`#wifi-list li:has-text("${FANG_PAIRED.ssid}") button`);
      assert.equal(await page.inputValue('#ssid'), FANG_PAIRED.ssid);
      // its own network (the stock hostapd): a channel instead of addresses and the scan
      await page.selectOption('#wifi', 'ap');
      assert.ok((await page.isVisible('#channel')) && (await page.isHidden('#addressing')) && (await page.isHidden('#scan')));
      assert.equal(await page.inputValue('#channel'), '6');
      await screenshot(page, model, 'network-own');
      await page.selectOption('#wifi', 'client');
      assert.ok((await page.isHidden('#channel')) && (await page.isVisible('#addressing')));
    } else {
      assert.match((await page.textContent('#scan-note')) ?? '', /^the scan failed \(ra0 /);
      // the YI's stock firmware has no hostapd: Wi-Fi client only
      assert.equal(await page.locator('#wifi').count(), 0);
    }
    await screenshot(page, model, 'network');

    // time: a zone by name; the camera's time then shows that zone's abbreviation
    await open(page, 'time');
    await page.selectOption('#timezone', 'Europe/Berlin');
    await page.click('main form button[type=submit]');
    await noteSays(page, /^Saved\.$/);
    await page.waitForFunction(() => / CES?T$/.test(document.querySelector('#camera-time')?.textContent ?? ''), undefined, { timeout: 20_000 });
    assert.match((await cam.exec(`cat ${cardDir}/etc/camfw/settings.conf`)).output, /^CAMFW_TZ='CET-1CEST,M3\.5\.0,M10\.5\.0\/3'$/m);
    await screenshot(page, model, 'time');

    await open(page, 'video');
    await video(page);
    await screenshot(page, model, 'video');

    // streaming: the target, start, the chart moving, stop
    const key = `camfw-ui-${model}-7f3e`;
    await open(page, 'streaming');
    assert.ok(await page.isDisabled('#stream-start'), 'start without a target');
    await page.fill('#stream-url', `rtmp://${HOST}:${nginx.port}/live`);
    await page.fill('#stream-key', key);
    await page.click('main form button[type=submit]');
    await noteSays(page, /^Target saved\.$/);
    assert.equal(await page.inputValue('#stream-key'), '', 'the key stays in the form');
    assert.match((await page.textContent('#stream-target')) ?? '', new RegExp(`rtmp://${HOST.replace(/\./g, '\\.')}:${nginx.port} with a key that is set`));
    await page.click('#stream-start');
    await waitFor('the camera publishing to nginx', () => nginx.publishing(key), 120_000);
    t.diagnostic(`${model}: publishing ${((Date.now() - t0) / 1000).toFixed(0)} s after the first visit`);
    // the chart: the push's series gets points above zero, and moves
    await waitFor('the push drawn on the chart', async () => ((await chartPoints(page, 1)).some((p) => Number(p.split(',')[1]) < 99) ? true : undefined), 60_000);
    const before = await chartPoints(page, 1);
    await page.waitForTimeout(4500);
    assert.notDeepEqual(await chartPoints(page, 1), before, 'the chart did not move');
    assert.match((await page.textContent('#stream-state')) ?? '', /Staterunning/);
    const html = await page.content();
    assert.ok(!html.includes(key), 'the key is on the page');
    await screenshot(page, model, 'streaming');
    await page.click('#stream-stop');
    await noteSays(page, /^The push stopped\.$/);
    await waitFor('nginx sees the push end', async () => !(await nginx.publishing(key)), 30_000);

    // recording: 10 s segments, one played in the browser, one deleted (the card image
    // has 60 MB free: the default 64 MB to keep free would leave no room)
    await open(page, 'recording');
    await page.fill('#segment-seconds', '10');
    await page.fill('#keep-free-mb', '8');
    await page.click('main form button[type=submit]');
    await noteSays(page, /^Saved\.$/);
    await page.click('#record-start');
    await noteSays(page, /^Recording starts\.$/);
    // two segments (the header is the first row)
    await page.waitForSelector('#recordings tr[data-name]:nth-of-type(3)', { timeout: 90_000 });
    await page.click('#record-stop');
    await noteSays(page, /^Recording stopped\.$/);
    await page.waitForTimeout(5500);
    const names = await page.$$eval('#recordings tr[data-name]', (rows) => rows.map((r) => r.getAttribute('data-name')!));
    // the older, whole 10 s segment (the list is newest first; the newest one ended when
    // the recording stopped, and may be short)
    const played = names[1];
    await page.click(`#recordings tr[data-name="${played}"] button.play`);
    await page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('#player');
      return !!v && v.currentTime > 1 && v.videoWidth > 0;
    }, undefined, { timeout: 60_000 });
    const size = await page.$eval('#player', (v) => `${(v as HTMLVideoElement).videoWidth}x${(v as HTMLVideoElement).videoHeight}`);
    t.diagnostic(`${model}: played ${played} in the browser, ${size}`);
    const download = page.waitForEvent('download');
    await page.click(`#recordings tr[data-name="${played}"] a`);
    const file = path.join(dir, `${model}-${played}`);
    await (await download).saveAs(file);
    assert.ok(fs.statSync(file).size > 10_000);
    await screenshot(page, model, 'recording');
    const deleted = names[0];
    await page.click(`#recordings tr[data-name="${deleted}"] button.delete`);
    await noteSays(page, new RegExp(`^${deleted.replace('.', '\\.')} deleted\\.$`));
    assert.equal(await page.locator(`#recordings tr[data-name="${deleted}"]`).count(), 0);
    assert.doesNotMatch((await cam.exec(`ls ${cardDir}/../record`)).output, new RegExp(deleted.replace('.', '\\.')));

    await open(page, 'logs');
    await page.waitForFunction(() => /camfw: /.test(document.querySelector('#log-text')?.textContent ?? ''));
    await screenshot(page, model, 'logs');

    await open(page, 'system');
    // what the card did to the stock firmware, and how to undo it
    assert.match((await page.textContent('#stock-state')) ?? '', model === 'yi' ? /^The cloud programs are out of \/home[^]*UNDO-TRIM/ : /^The cloud apps \(iCamera, miio_client, Boa\.\.\.\) are stopped[^]*KEEP-CLOUD/);
    await screenshot(page, model, 'system');
    await page.click('#logout');
    await page.waitForURL(/\/public\/login\.html$/);
    assert.equal((await page.goto(`${cam.url}api/status`))?.status(), 401);

    // log in again, then reboot from the system page: the camera goes down
    await page.goto(`${cam.url}public/login.html`);
    await page.waitForSelector('#form:not([hidden])');
    assert.ok(await page.isHidden('#again-row'));
    await page.fill('#password', OWNER_PASSWORD);
    await page.click('#submit');
    await page.waitForSelector('main[data-ready="status"]', { timeout: 60_000 });
    await open(page, 'system');
    await page.click('#reboot');
    await noteSays(page, /^Rebooting\.\.\.$/);
    assert.ok(await cam.ended(90_000), 'the camera did not reboot');
    for (const name of PAGES) assert.ok(fs.existsSync(path.join(SCREENSHOTS, `${model}-${name}.png`)), `no screenshot of ${name}`);
    // the 401 after the logout is the one error a browser logs
    assert.deepEqual(errors.filter((e) => !/api\/status: Failed to load resource: .* 401/.test(e)), []);
  } catch (e) {
    if (errors.length) (e as Error).message += `\nin the browser:\n${errors.join('\n')}`;
    const state = await cam.exec(`tail -n 30 /tmp/camfw.log /tmp/camfw/log/stream/current /tmp/camfw/log/web/current; ls -l ${cardDir}/../record`).catch((x: Error) => ({ output: x.message }));
    (e as Error).message += `\n--- the camera ---\n${state.output}`;
    throw e;
    t.diagnostic(`${model}: the whole tour took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    await context.close();
  }
}

describe('the web UI in Chromium', () => {
  test("the first visit: the card's own login page asks the camera's own network for the password, and logs in with it", async () => {
    // the card's lighttpd and camfw-api under qemu-arm, reached on loopback: the camera's own network
    const web = await startCardWeb(await renderCard('yi', {}), tmpDir('webui-record'), 'yi');
    const context = await browser.newContext({ viewport: PHONE });
    try {
      const page = await context.newPage();
      await page.goto(web.url);
      await page.waitForURL(/\/public\/login\.html$/);
      await page.waitForSelector('#again-row:not([hidden])');
      assert.match((await page.textContent('#intro')) ?? '', /no password yet/);
      await screenshot(page, 'yi', 'first-visit');
      await page.fill('#user', 'admin');
      await page.fill('#password', OWNER_PASSWORD);
      await page.fill('#again', `${OWNER_PASSWORD}x`);
      await page.click('#submit');
      await page.waitForFunction(() => /differ/.test(document.querySelector('#message')?.textContent ?? ''));
      await page.fill('#again', OWNER_PASSWORD);
      await page.click('#submit');
      await page.waitForURL((u) => !u.pathname.startsWith('/public/'));
      const session = (await page.evaluate(() => fetch('/api/session').then((r) => r.json()))) as { logged_in: boolean; user: string };
      assert.deepEqual([session.logged_in, session.user], [true, 'admin']);
      assert.ok(fs.existsSync(path.join(web.runDir, 'sessions')));
    } finally {
      await context.close();
      await web.stop();
    }
  });

  test('emulated YI: every page, the push, a recording played in the browser, the time zone, log out, reboot', async (t) => {
    const busybox = path.join((await cardPrograms('yi')).built.get('busybox')!.stageDir, 'bin/busybox');
    const cam = await bootCamera('yi', await cardImage('yi', dir, 'yi-ui', {}, ['rtspsvr']), busybox);
    try {
      await cam.cardPage();
      await ownerTour(t, 'yi', cam, '/home/hd1/test', 'ch0_0\\.h264', async (page) => {
        // the stream pushed and recorded: HD or SD
        assert.equal(await page.inputValue('#stream-quality'), 'hd');
        assert.equal(await page.locator('#video-fps').count(), 0);
      });
    } finally {
      await cam.stop();
    }
  });

  test('emulated Xiaofang: the same, once camfw has the network and the RTSP server', async (t) => {
    const busybox = path.join((await cardPrograms('fang')).built.get('busybox')!.stageDir, 'bin/busybox');
    const wifi = { wifi: { ssid: FANG_PAIRED.ssid, psk: FANG_PAIRED.passphrase, country: 'DE' } };
    const cam = await bootCamera('fang', await cardImage('fang', dir, 'fang-ui', wifi, ['snx_rtsp_server', 'snx_isp_ctl']), busybox);
    try {
      await cam.cardPage(80, 240_000);
      await ownerTour(t, 'fang', cam, '/media/mmcblk0p2/data', 'unicast', async (page) => {
        // the picture's settings go to the ISP through snx_isp_ctl; day and night follow
        // the light sensor (gpio_aud read 2), as fang-ir-control.sh does
        const calls = () => cam.exec('cat /tmp/stock-calls.log').then((r) => r.output);
        await cam.fileLine('/tmp/camfw.log', /camfw: image: day: IR off, colour/, 60_000);
        await page.check('#video-timestamp');
        await page.check('#video-flip');
        await page.click('main form button[type=submit]');
        await noteSays(page, /^Saved and applied\.$/);
        await cam.fileLine('/tmp/camfw.log', /camfw: image: timestamp 1, flip 1, mirror 0, IR auto/, 60_000);
        assert.match(await calls(), /stock-call: snx_isp_ctl -c 0 --osdset-en 1 --osdset-ts 1\r?\n[^]*stock-call: snx_isp_ctl -c 0 --sensorset-flip 1 --sensorset-mir 0/);
        await cam.exec('echo 0 > /tmp/.stock/light');
        await cam.fileLine('/tmp/camfw.log', /camfw: image: night: IR on, black and white/, 30_000);
        // the night sequence: colour off, the filter pulsed, the IR LEDs on
        assert.match(await calls(), /snx_isp_ctl -c 0 --filterset-sat 0\r?\n[^]*gpio_ms1 -n 2 -m 1 -v 0\r?\n[^]*gpio_aud write 1 0 1\r?\n[^]*gpio_ms1 -n 2 -m 1 -v 1\r?\n/);
        assert.equal(await page.inputValue('#video-fps'), '15');
      });
    } finally {
      await cam.stop();
    }
  });
});
