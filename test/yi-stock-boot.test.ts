// The emulated YI is the stock 1.8.5.1L firmware as yi.md describes it: init.sh runs the
// card's hook and exits, so Wi-Fi, DHCP, rmm, rtspsvr and watch_process are the card's
// job; the radio link is down until the camera's wpa_supplicant associates; the vendor
// programs hold the memory the real ones do. These tests fail when the card would leave a
// real YI unreachable, without video, or out of memory.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { readMbr } from '../scripts/lib/images/inspect.ts';
import { paths } from '../scripts/lib/paths.ts';
import { run } from '../scripts/lib/run.ts';
import { bootCamera, waitForPage, type RunningCamera } from './qemu/camera.ts';
import type { AccessPoint } from './qemu/model.ts';
import { YI_PAIRED } from './qemu/yi/model.ts';
import { cardImage, cardPrograms, memAvailableKiB, memhogHolds, probeRtsp, rtspAnswersInside, tmpDir } from './helpers.ts';

const BOOT_TIMEOUT_MS = 120_000;
/** camfw's network watchdog: NET_GRACE in overlays/common/etc/camfw/network.sh. */
const NET_GRACE_S = 60;
/**
 * What a remuxer that decodes 720p frames to probe the stream needs at its peak: camfw's
 * avworker-min did so before it read the SPS instead, and pulling ch0_0.h264 in the
 * emulated YI it had VmHWM 7312 kB (README, "The emulated cameras"). YI stream's HD failure
 * is this demand against what is left; today's avworker-min is in avworker-camera.test.ts.
 */
const HD_PROBE_KIB = 7400;

let busybox: string;
let dir: string;

const mtools = { env: { MTOOLS_SKIP_CHECK: '1' } };

async function boot(card: string, opts: { writable?: boolean; accessPoint?: AccessPoint } = {}): Promise<RunningCamera> {
  return bootCamera('yi', card, busybox, opts);
}

before(async () => {
  busybox = path.join((await cardPrograms('yi')).built.get('busybox')!.stageDir, 'bin/busybox');
  dir = tmpDir('yi-stock');
});

// The boots are independent and mostly wait (for the network watchdog's 60 s, for a
// reboot): they run two at a time.
describe('emulated YI: the card continues the stock boot after the hook', { concurrency: 2 }, () => {
  test('Wi-Fi with the paired network, DHCP, rmm before rtspsvr, the stock RTSP URLs, memory, watch_process', async (t) => {
    // rtspsvr is not stock (yi.md §5): the card brings it, a vendor file
    const cam = await boot(await cardImage('yi', dir, 'rtsp', {}, ['rtspsvr']));
    try {
      const p = await cam.cardPage();
      t.diagnostic(`yi: boot to page ${(p.ms / 1000).toFixed(1)} s`);
      const calls = (await cam.exec('cat /tmp/stock-calls.log')).output.split('\n').filter(Boolean);
      const at = (re: RegExp) => calls.findIndex((c) => re.test(c));
      // no configured Wi-Fi: the network the camera was paired with, through its own wpa_supplicant
      assert.ok(at(/^stock-call: wpa_supplicant -B -i ra0 -c \/home\/wpa_supplicant\.conf/) >= 0, calls.join('\n'));
      assert.ok(cam.console().indexOf('camfw-test: wifi link up') > cam.console().indexOf('stock-call: wpa_supplicant'), 'the link came up before wpa_supplicant ran');
      assert.ok(at(/^stock-call: load3518_left -i$/) >= 0 && at(/^stock-call: load3518_left/) < at(/^stock-call: rmm$/), calls.join('\n'));
      assert.ok(at(/^stock-call: rmm$/) < at(/^stock-call: rtspsvr$/), `rmm must run before rtspsvr:\n${calls.join('\n')}`);
      assert.ok(at(/^stock-call: watch_process$/) >= 0, calls.join('\n'));
      for (const left of ['log_server', 'led_ctl', 'monitor_wifi', 'cloud', 'p2p_tnp']) assert.equal(at(new RegExp(`^stock-call: ${left}\\b`)), -1, `${left} was started`);
      await cam.fileLine('/tmp/camfw.log', /camfw: network: ra0 reaches its gateway 10\.0\.2\.2 \(the camera's own Wi-Fi settings\)/);

      // the stock RTSP URLs (yi.md §5), as an owner's player reaches them
      const hd = await probeRtsp(cam.rtspUrl('ch0_0.h264'));
      assert.deepEqual(hd.map((s) => [s.codec_name, s.width ?? s.sample_rate]), [['h264', 1280], ['aac', '8000']]);
      assert.equal(hd[0].height, 720);
      assert.ok(await rtspAnswersInside(cam, 'ch0_0.h264'), 'rtsp://127.0.0.1:554/ch0_0.h264 does not answer inside the camera (loopback up?)');
      const sd = await probeRtsp(cam.rtspUrl('ch0_1.h264'));
      assert.deepEqual([sd[0].codec_name, sd[0].width, sd[0].height], ['h264', 640, 360]);

      // memory: what the seed saw (HD remux killed while YI stream's extra daemons run,
      // fine once they are stopped) and a card program asking for more than is left
      const left = await memAvailableKiB(cam);
      t.diagnostic(`yi: MemAvailable with the card's services: ${left} kB`);
      assert.ok(await memhogHolds(cam, HD_PROBE_KIB), `camfw's set of stock daemons leaves room for ${HD_PROBE_KIB} KiB`);
      assert.equal(await memhogHolds(cam, left + 2048), false, `a program asking for ${left + 2048} KiB (2 MiB more than is left) was not OOM-killed`);
      assert.match((await cam.exec('dmesg')).output, /Out of memory: Killed process \d+ \(memhog\)/);
      // YI stream's daemons, by pid: the vendor rtspsvr relays through a tcpsvd of its own
      await cam.exec('/home/monitor_wifi & for d in /home/log_server /home/led_ctl "telnetd -F" "tcpsvd 0 21 ftpd -w /"; do $d & echo $! >> /tmp/yistream.pids; done; sleep 2');
      const withDaemons = await memAvailableKiB(cam);
      assert.equal(await memhogHolds(cam, HD_PROBE_KIB), false, `with YI stream's daemons running (MemAvailable ${withDaemons} kB), the HD probe fits (the seed says it did not)`);
      await cam.exec('kill $(cat /tmp/yistream.pids); killall watch_process; sleep 2');
      const without = await memAvailableKiB(cam);
      t.diagnostic(`yi: MemAvailable with YI stream's daemons ${withDaemons} kB, without the five the seed stopped ${without} kB`);
      assert.ok(await memhogHolds(cam, HD_PROBE_KIB), `with log_server, watch_process, led_ctl, tcpsvd and telnetd stopped (MemAvailable ${without} kB), the HD probe does not fit (the seed says it did):\n${(await cam.exec('dmesg | grep -A3 -i "out of memory\\|killed process"; ps')).output}`);
      await cam.exec('/home/watch_process &');

      // watch_process reboots the camera when rmm dies (yi.md §2c, wp_cmd)
      await cam.exec('killall rmm');
      await cam.consoleLine(/watch_process: rmm is gone: reboot/, 30_000);
      assert.ok(await cam.ended(20_000), 'the camera did not reboot after rmm died');
    } finally {
      await cam.stop();
    }
  });

  test('a card that only starts the web server leaves the YI unreachable', async () => {
    const card = path.join(dir, 'broken.img');
    fs.copyFileSync(path.join(paths.model('yi'), 'camfw-yi.img'), card);
    const script = path.join(dir, 'equip_test.sh');
    fs.writeFileSync(script, '#!/bin/sh\nexec >>/tmp/camfw.log 2>&1\nexec /home/hd1/test/bin/busybox sh /home/hd1/test/etc/camfw/start.sh /home/hd1/test\n');
    await run(['mcopy', '-o', '-i', `${card}@@${readMbr(card)[0].offset}`, script, '::/test/equip_test.sh'], mtools);
    const cam = await boot(card);
    try {
      await cam.consoleLine(/camfw: web: starting lighttpd on port 80/, BOOT_TIMEOUT_MS);
      const reached = await waitForPage(`${cam.url}public/build.txt`, 30_000).then(
        () => true,
        () => false,
      );
      assert.equal(reached, false, 'the page answered although the card never brought Wi-Fi up: the emulated YI is kinder than the camera');
      assert.doesNotMatch(cam.console(), /camfw-test: wifi link up/);
      assert.equal(cam.linkUp(), false);
    } finally {
      await cam.stop();
    }
  });

  test('an SSID with a quote and a tab reaches wpa_supplicant exactly', async () => {
    const ap = { ssid: 'cam "fw"\tnet', passphrase: 'correct horse battery' };
    const card = await cardImage('yi', dir, 'wifi', { wifi: { ssid: ap.ssid, psk: ap.passphrase, country: 'DE' } });
    const cam = await boot(card, { accessPoint: ap });
    try {
      await cam.cardPage();
      const calls = (await cam.exec('cat /tmp/stock-calls.log')).output;
      assert.match(calls, /stock-call: wpa_supplicant -B -i ra0 -c \/home\/hd1\/test\/etc\/wpa_supplicant\.conf/);
      assert.match(cam.console(), /stock-wifi: ra0: CTRL-EVENT-CONNECTED - Connection to [0-9a-f]+ completed/);
    } finally {
      await cam.stop();
    }
  });

  test(`a wrong passphrase: back on the paired network after ${NET_GRACE_S} s, and the card says why`, async () => {
    const card = await cardImage('yi', dir, 'wrong-psk', { wifi: { ssid: YI_PAIRED.ssid, psk: 'not the passphrase', country: 'DE' } });
    const cam = await boot(card, { writable: true, accessPoint: YI_PAIRED });
    try {
      await cam.consoleLine(/stock-wifi: ra0: WPA: 4-Way Handshake failed/, BOOT_TIMEOUT_MS);
      assert.equal(cam.linkUp(), false);
      const p = await cam.cardPage(80, (NET_GRACE_S + 60) * 1000);
      assert.match(p.body, /^model=yi$/m);
      const log = await cam.fileLine('/tmp/camfw.log', /reaches its gateway 10\.0\.2\.2 \(the camera's own Wi-Fi settings \(fallback\)\)/);
      assert.match(log, /camfw: network: no route to the gateway on ra0 for 60 s with the card's Wi-Fi settings: falling back to the camera's stock network/);
    } finally {
      await cam.stop();
    }
    const note = await run(['mtype', '-i', `${card}@@${readMbr(card)[0].offset}`, '::/test/NETWORK-FALLBACK.txt'], mtools);
    assert.match(note.stdout, /no route to the gateway on ra0 for 60 s with the card's Wi-Fi settings/);
  });
});
