// One QEMU system boot per camera: the card image users get, in an emulated camera whose
// initramfs plays the stock firmware; the page must come from the card's own lighttpd.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { MODEL_IDS } from '../scripts/lib/cameras.ts';
import { readCardRecord } from '../scripts/lib/card.ts';
import { paths } from '../scripts/lib/paths.ts';
import { bootCamera, waitForPage } from './qemu/camera.ts';
import { cardPrograms } from './helpers.ts';

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
        assert.match(cam.console(), model === 'fang' ? /hotplug runs \/media\/mmcblk0p1\/snx_autorun.sh/ : /init.sh runs \/home\/hd1\/test\/equip_test.sh/);
      } finally {
        await cam.stop();
      }
    });
  }
});
