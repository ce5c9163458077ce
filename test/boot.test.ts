// One QEMU system boot per camera: the card image users get, in an emulated camera whose
// initramfs plays the stock firmware; the page must come from the card's own lighttpd.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { CAMERAS, MODEL_IDS } from '../scripts/lib/cameras.ts';
import { readCardRecord } from '../scripts/lib/card.ts';
import { paths } from '../scripts/lib/paths.ts';
import fs from 'node:fs';
import { readMbr } from '../scripts/lib/images/inspect.ts';
import { run } from '../scripts/lib/run.ts';
import { bootCamera, waitForPage } from './qemu/camera.ts';
import { hasSyscall } from './qemu/surface/surface.ts';
import { cardPrograms, tmpDir } from './helpers.ts';

const BOOT_TIMEOUT_MS = 180_000;

describe('emulated camera boots the card and serves its page', () => {
  for (const model of MODEL_IDS) {
    test(model, async (t) => {
      const record = readCardRecord(model);
      const image = path.join(paths.model(model), `camfw-${model}.img`);
      const busybox = path.join((await cardPrograms(model)).built.get('busybox')!.stageDir, 'bin/busybox');
      const cam = await bootCamera(model, image, busybox);
      try {
        const page = await waitForPage(`${cam.url}public/build.txt`, BOOT_TIMEOUT_MS).catch((e: Error) => {
          throw new Error(`${e.message}\n--- console ---\n${cam.console().slice(-4000)}`);
        });
        t.diagnostic(`${model}: boot to page ${(page.ms / 1000).toFixed(1)} s`);
        assert.match(page.body, new RegExp(`^model=${model}$`, 'm'));
        assert.ok(page.body.includes(`build=camfw ${record.version} (${record.revision})`), `page is not from this build:\n${page.body}`);
        const ui = await fetch(cam.url);
        assert.equal(ui.status, 401, 'the web UI answers without a login');
        assert.match(ui.headers.get('www-authenticate') ?? '', /Basic realm="camfw"/);
        // the camera's kernel surface: getrandom (Linux 3.17) is not there, setns (3.0) only on the YI
        const has = (nr: number) => (hasSyscall(CAMERAS[model].kernel, nr) ? 'present' : 'ENOSYS');
        assert.equal(has(384), 'ENOSYS');
        assert.match(cam.console(), new RegExp(`kernel surface: 384:ENOSYS 375:${has(375)} 20:present 983042:present 983046:ENOSYS`));
        await cam.consoleLine(/camfw-test: \S*lighttpd .*Seccomp:\s+2$/m);
        assert.match(cam.console(), model === 'fang' ? /hotplug runs \/media\/mmcblk0p1\/snx_autorun.sh/ : /init.sh runs \/home\/hd1\/test\/equip_test.sh/);
        if (model === 'fang') {
          const log = await cam.consoleLine(/camfw-test: cloud left: \[.*\]/);
          for (const p of ['iCamera', 'miio_client']) assert.match(log, new RegExp(`camfw: stopped ${p}`));
          assert.match(log, /camfw-test: cloud left: \[\]/);
          // iCamera fed the watchdog: with nobody feeding it, the camera reboots within 8 s
          assert.match(log, /camfw: feeding the watchdog \(BusyBox watchdog, pid \d+\)/);
          await new Promise((r) => setTimeout(r, 20_000));
          const still = await waitForPage(`${cam.url}public/build.txt`, 5_000).catch((e: Error) => {
            throw new Error(`the camera went away after its cloud app stopped feeding the watchdog: ${e.message}\n${cam.console().slice(-2000)}`);
          });
          assert.match(still.body, new RegExp(`^model=${model}$`, 'm'));
        }
      } finally {
        await cam.stop();
      }
    });
  }
});

describe('fang cloud programs', () => {
  test('KEEP-CLOUD on the card keeps them running', async () => {
    const card = path.join(tmpDir('keep-cloud'), 'card.img');
    fs.copyFileSync(path.join(paths.model('fang'), 'camfw-fang.img'), card);
    const flag = path.join(path.dirname(card), 'KEEP-CLOUD');
    fs.writeFileSync(flag, '');
    await run(['mcopy', '-i', `${card}@@${readMbr(card)[0].offset}`, flag, '::/KEEP-CLOUD'], { env: { MTOOLS_SKIP_CHECK: '1' } });
    const busybox = path.join((await cardPrograms('fang')).built.get('busybox')!.stageDir, 'bin/busybox');
    const cam = await bootCamera('fang', card, busybox, { writable: true });
    try {
      await waitForPage(`${cam.url}public/build.txt`, BOOT_TIMEOUT_MS);
      const log = await cam.consoleLine(/camfw-test: cloud left: \[.*\]/);
      assert.match(log, /camfw: cloud programs kept \(KEEP-CLOUD on the card\)/);
      assert.match(log, /camfw-test: cloud left: \[\d+ \d+\]/);
    } finally {
      await cam.stop();
    }
  });
});
