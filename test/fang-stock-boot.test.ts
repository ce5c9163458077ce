// The emulated Xiaofang is the stock 3.0.3.56 firmware as fang-hacks.md describes it: the
// cloud app iCamera owns Wi-Fi (the link goes when it goes), starts Boa on port 80 and
// feeds the Sonix watchdog (softdog here). These tests fail when the card would leave a
// real Xiaofang unreachable or rebooting.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { CAMERAS } from '../scripts/lib/cameras.ts';
import { readMbr } from '../scripts/lib/images/inspect.ts';
import { run } from '../scripts/lib/run.ts';
import { bootCamera, type RunningCamera } from './qemu/camera.ts';
import { FANG_PAIRED } from './qemu/fang/model.ts';
import { cardImage, cardPrograms, memAvailableKiB, memhogHolds, MTOOLS, ownerSession, probeRtsp, putOnFat, rtspAnswersInside, tmpDir } from './helpers.ts';

const BOOT_TIMEOUT_MS = 120_000;
/** camfw's network watchdog: NET_GRACE in overlays/common/etc/camfw/network.sh. */
const NET_GRACE_S = 60;

let busybox: string;
let dir: string;
let plainCard: string;
let wifiCard: string;

/** Whether Boa (the stock web server) answers on the camera's port 80. */
async function boaAnswers(cam: RunningCamera): Promise<boolean> {
  try {
    const r = await fetch(cam.url, { signal: AbortSignal.timeout(5000) });
    await r.text();
    return /^Boa\//.test(r.headers.get('server') ?? '');
  } catch {
    return false;
  }
}

async function cloudLeft(cam: RunningCamera): Promise<string> {
  return (await cam.exec('pidof iCamera miio_client boa')).output.trim();
}

before(async () => {
  busybox = path.join((await cardPrograms('fang')).built.get('busybox')!.stageDir, 'bin/busybox');
  dir = tmpDir('fang-stock');
  plainCard = await cardImage('fang', dir, 'plain');
  wifiCard = await cardImage('fang', dir, 'wifi', { wifi: { ssid: FANG_PAIRED.ssid, psk: FANG_PAIRED.passphrase, country: 'DE' } }, ['snx_rtsp_server']);
});

// The boots are independent and mostly wait (for the network watchdog's 60 s, for a
// reboot): they run two at a time.
describe('emulated Xiaofang: the cloud app owns Wi-Fi', { concurrency: 2 }, () => {
  test('without Wi-Fi settings the cloud apps keep the network, Boa keeps port 80, camfw serves 8080 and says why', async (t) => {
    const cam = await bootCamera('fang', plainCard, busybox);
    try {
      await cam.cardPage(8080);
      assert.ok(await boaAnswers(cam), 'the stock Boa does not answer on port 80');
      const log = await cam.fileLine('/tmp/camfw.log', /camfw: web: starting lighttpd on port 8080/);
      assert.match(log, /camfw: the cloud app keeps the network: no Wi-Fi settings in the build configuration/);
      const { cookie } = await ownerSession(cam, 8080);
      // the status page says who runs the network, and that the cloud apps run
      const status = (await (await fetch(`${cam.urlOn(8080)}api/status`, { headers: { cookie } })).json()) as { card: { network: string }; stock: string };
      assert.equal(status.card.network, CAMERAS.fang.network.withoutWifi);
      assert.equal(status.stock, 'the cloud apps run and keep the network: no Wi-Fi settings in the build configuration');
      // memory: a card program asking for more than the camera has left is OOM-killed
      const left = await memAvailableKiB(cam);
      t.diagnostic(`fang: MemAvailable with the cloud apps and camfw's services: ${left} kB`);
      assert.equal(await memhogHolds(cam, left + 2048), false, `a program asking for ${left + 2048} KiB (2 MiB more than is left) was not OOM-killed`);
      assert.match((await cam.exec('dmesg')).output, /Out of memory: Killed process \d+ \(memhog\)/);
      // the cloud app keeps feeding the watchdog and holding the link
      await new Promise((r) => setTimeout(r, 20_000));
      assert.match(await cloudLeft(cam), /^\d+ \d+ \d+$/);
      await cam.cardPage(8080, 5_000);
    } finally {
      await cam.stop();
    }
  });

  test('with Wi-Fi settings camfw joins first, then stops the cloud apps and Boa, takes port 80 and feeds the watchdog; a dead feeder reboots the camera', async (t) => {
    const cam = await bootCamera('fang', wifiCard, busybox);
    try {
      const p = await cam.cardPage(80);
      assert.match(p.body, /^model=fang$/m);
      const log = await cam.fileLine('/tmp/camfw.log', /camfw: feeding the watchdog \(BusyBox watchdog, pid \d+\)/);
      const feeder = /camfw: feeding the watchdog \(BusyBox watchdog, pid (\d+)\)/.exec(log)![1];
      const joined = log.indexOf("camfw: network: wlan0 reaches its gateway 10.0.2.2 (the card's Wi-Fi settings)");
      assert.ok(joined >= 0, log);
      // the address is camfw's own lease (its udhcpc's event script ran), not the cloud app's left over
      assert.ok(log.lastIndexOf('camfw: network: wlan0 has 10.0.2.15, gateway 10.0.2.2', joined) >= 0, log);
      for (const name of ['iCamera', 'miio_client', 'boa']) assert.ok(log.indexOf(`camfw: stopped ${name}`) > joined, `${name} was not stopped after camfw's network worked:\n${log}`);
      const calls = (await cam.exec('cat /tmp/stock-calls.log')).output;
      assert.match(calls, /stock-call: wpa_supplicant -B -i wlan0 -c \/media\/mmcblk0p2\/data\/etc\/wpa_supplicant\.conf/);
      // the Sonix RTSP server from the card, once the cloud app let go of the encoder, with the video settings (defaults)
      await cam.fileLine('/tmp/camfw.log', /camfw: rtsp: starting snx_rtsp_server, 1920x1080 at 15 fps and 2048 kbit\/s/, 90_000);
      assert.match((await cam.exec('cat /tmp/stock-calls.log')).output, /stock-call: snx_rtsp_server -W 1920 -H 1080 -F 15 -b 2048$/m);
      assert.ok(await rtspAnswersInside(cam, 'unicast', 30_000), 'rtsp://127.0.0.1:554/unicast does not answer inside the camera within 30 s');
      const rtsp = await probeRtsp(cam.rtspUrl('unicast'));
      assert.deepEqual(rtsp.map((st) => [st.codec_name, st.width, st.height]), [['h264', 1920, 1080]]);
      // the link stays with camfw's wpa_supplicant, and the watchdog is fed
      await new Promise((r) => setTimeout(r, 20_000));
      assert.equal(await cloudLeft(cam), '');
      assert.ok(cam.linkUp());
      t.diagnostic(`fang: MemAvailable with camfw's services and snx_rtsp_server, the cloud apps stopped: ${await memAvailableKiB(cam)} kB`);
      await cam.cardPage(80, 5_000);
      // nobody feeds snx_wdt (softdog, 8 s) once the feeder dies (SIGKILL: no magic close,
      // as when the OOM killer takes it), and it was not unloaded: the camera reboots
      // within the 60 s that camfw's feeder set (watchdog -T 60, stop-cloud.sh)
      assert.equal((await cam.exec(`kill -9 ${feeder}`)).code, 0);
      assert.ok(await cam.ended(75_000), 'the camera did not reboot when nothing fed its watchdog');
      assert.match(cam.console(), /softdog: Initiating system reboot/);
    } finally {
      await cam.stop();
    }
  });

  test(`a wrong passphrase: after ${NET_GRACE_S} s the cloud app keeps the network, camfw moves to 8080 and says why on the card`, async () => {
    const card = await cardImage('fang', dir, 'wrong-psk', { wifi: { ssid: FANG_PAIRED.ssid, psk: 'not the passphrase', country: 'DE' } });
    const cam = await bootCamera('fang', card, busybox, { writable: true });
    try {
      await cam.consoleLine(/stock-wifi: wlan0: WPA: 4-Way Handshake failed/, BOOT_TIMEOUT_MS);
      await cam.cardPage(8080, (NET_GRACE_S + 60) * 1000);
      const log = await cam.fileLine('/tmp/camfw.log', /camfw: network: the cloud app keeps the network/);
      assert.match(log, /no route to the gateway on wlan0 for 60 s with the card's Wi-Fi settings/);
      // the stock network answering is not camfw's settings working: the cloud app is kept,
      // and with it its watchdog feeder (a take-over now would leave a camera off its
      // network, feeding a watchdog nobody can reach)
      await cam.fileLine('/tmp/camfw.log', /camfw: network: wlan0 reaches its gateway 10\.0\.2\.2 \(the camera's stock network \(fallback\)\)/);
      await new Promise((r) => setTimeout(r, 12_000));
      const after = (await cam.exec('cat /tmp/camfw.log')).output;
      assert.doesNotMatch(after, /camfw's own Wi-Fi works|camfw: stopped/, after);
      // camfw's udhcpc cleared the cloud app's address when it started: it is given back
      assert.match(after, /camfw: network: the cloud app's addresses are back \(10\.0\.2\.15\)/);
      assert.match(await cloudLeft(cam), /^\d+ \d+ \d+$/);
      assert.doesNotMatch(cam.console(), /watchdog did not stop/);
      await cam.cardPage(8080, 5_000);
    } finally {
      await cam.stop();
    }
    const note = await run(['mtype', '-i', `${card}@@${readMbr(card)[0].offset}`, '::/NETWORK-FALLBACK.txt'], MTOOLS);
    assert.match(note.stdout, /no route to the gateway on wlan0 for 60 s with the card's Wi-Fi settings/);
    // the next boot leaves the network to the cloud app until the owner deletes the file
    const again = await bootCamera('fang', card, busybox);
    try {
      await again.cardPage(8080);
      const log = await again.fileLine('/tmp/camfw.log', /camfw: the cloud app keeps the network/);
      assert.match(log, /camfw's Wi-Fi settings failed before \(NETWORK-FALLBACK\.txt on the card\)/);
      assert.doesNotMatch(again.console(), /stock-call: wpa_supplicant/);
    } finally {
      await again.stop();
    }
  });

  test('Wi-Fi settings written on the card from a computer (camfw-wifi.txt): taken at boot, deleted, and camfw takes the network', async () => {
    const card = path.join(dir, 'wifi-file.img');
    fs.copyFileSync(plainCard, card);
    await putOnFat(card, 'camfw-wifi.txt', `ssid=${FANG_PAIRED.ssid}\r\npsk=${FANG_PAIRED.passphrase}\r\ncountry=DE\r\n`);
    await putOnFat(card, 'NETWORK-FALLBACK.txt', 'an earlier try failed\n');
    const cam = await bootCamera('fang', card, busybox, { writable: true });
    try {
      const log = await cam.fileLine('/tmp/camfw.log', /camfw: stopped iCamera/, BOOT_TIMEOUT_MS);
      assert.match(log, /camfw: network: Wi-Fi settings taken from camfw-wifi\.txt on the card \(network "paired-in-mi-home"\)/);
      assert.match((await cam.exec('ls -l /media/mmcblk0p2/data/etc/wpa_supplicant.conf')).output, /^-rw------- /m);
      await cam.cardPage(80);
    } finally {
      await cam.stop();
    }
    // the passphrase is not left on the FAT partition, and the fallback record is gone
    const p1 = (await run(['mdir', '-b', '-i', `${card}@@${readMbr(card)[0].offset}`, '::/'], MTOOLS)).stdout.split('\n').map((l) => path.posix.basename(l.trim()));
    assert.ok(!p1.includes('camfw-wifi.txt') && !p1.includes('NETWORK-FALLBACK.txt'), p1.join(' '));
    assert.ok(p1.includes('camfw-wifi.txt.example'), p1.join(' '));
  });

  test('KEEP-CLOUD on the card keeps the cloud apps even with Wi-Fi settings', async () => {
    const card = path.join(dir, 'keep-cloud.img');
    fs.copyFileSync(wifiCard, card);
    await putOnFat(card, 'KEEP-CLOUD', '');
    const cam = await bootCamera('fang', card, busybox);
    try {
      await cam.cardPage(8080);
      const log = await cam.fileLine('/tmp/camfw.log', /camfw: the cloud app keeps the network: KEEP-CLOUD on the card/);
      assert.doesNotMatch(log, /camfw: stopped/);
      assert.match(await cloudLeft(cam), /^\d+ \d+ \d+$/);
    } finally {
      await cam.stop();
    }
  });
});
