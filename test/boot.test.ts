// One QEMU system boot per camera: the card image users get, in an emulated camera whose
// initramfs plays the stock firmware; the page must come from the card's own lighttpd,
// which runs under the camera's kernel surface. What each camera's stock firmware asks of
// the card is tested in yi-stock-boot.test.ts and fang-stock-boot.test.ts.
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { describe, test } from 'node:test';
import { CAMERAS, MODEL_IDS } from '../scripts/lib/cameras.ts';
import { readCardRecord } from '../scripts/lib/card.ts';
import { paths } from '../scripts/lib/paths.ts';
import { bootCamera, HOME_DOMAIN } from './qemu/camera.ts';
import { hasSyscall } from './qemu/surface/surface.ts';
import { cameraRequest, cardPrograms } from './helpers.ts';

const BOOT_TIMEOUT_MS = 180_000;

describe('emulated camera boots the card and serves its page', () => {
  for (const model of MODEL_IDS) {
    test(model, async (t) => {
      const record = readCardRecord(model);
      const image = path.join(paths.model(model), `camfw-${model}.img`);
      const busybox = path.join((await cardPrograms(model)).built.get('busybox')!.stageDir, 'bin/busybox');
      const cam = await bootCamera(model, image, busybox);
      // the test configuration has no Wi-Fi settings: the Xiaofang's cloud app keeps the
      // network and its Boa port 80, and camfw's page is on 8080
      const guestPort = model === 'fang' ? 8080 : 80;
      const url = cam.urlOn(guestPort);
      try {
        const page = await cam.cardPage(guestPort, BOOT_TIMEOUT_MS);
        t.diagnostic(`${model}: boot to page ${(page.ms / 1000).toFixed(1)} s`);
        assert.match(page.body, new RegExp(`^model=${model}$`, 'm'));
        assert.ok(page.body.includes(`build=camfw ${record.version} (${record.revision})`), `page is not from this build:\n${page.body}`);
        // built without a password, as CI publishes it: the page sends everyone to the login,
        // which asks the camera's own network for the first password
        const ui = await fetch(url, { redirect: 'manual' });
        assert.equal(ui.status, 302, 'the web UI answers without a login');
        assert.equal(ui.headers.get('location'), '/public/login.html');
        assert.deepEqual(JSON.parse((await cameraRequest(cam, guestPort, 'session')).body), { setup_needed: true, logged_in: false, own_network: true });
        // the test host reaches the camera through QEMU's forward, whose source the camera
        // sees as its gateway: a port forward or hairpin NAT of a router, which makes the
        // internet look local. It learns nothing of the password and cannot set it
        assert.deepEqual(await (await fetch(`${url}api/session`)).json(), { logged_in: false, own_network: false });
        const claim = await fetch(`${url}api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'admin', password: 'a claimed camera 1' }) });
        assert.equal(claim.status, 403);
        // a page rebound to the camera's address (DNS rebinding) gets nothing either
        const rebound = await getWithHost(`${url}api/session`, 'rebind.attacker.example');
        assert.equal(rebound.status, 421, rebound.body);
        assert.match(await cam.fileLine('/tmp/camfw/log/web/current', /refused a request/), /camfw-api: refused a request from 10\.0\.2\.2 for Host "rebind\.attacker\.example"/);
        assert.equal((await getWithHost(`${url}api/session`, `camfw-${model}.local:${guestPort}`)).status, 200);
        // the name the router's DHCP gives it, once camfw has its own lease: the YI's (the
        // Xiaofang's cloud app keeps the network here, whose lease camfw does not read)
        const routerName = await getWithHost(`${url}api/session`, `camfw-${model}.${HOME_DOMAIN}`);
        assert.equal(routerName.status, model === 'yi' ? 200 : 421, routerName.body);
        assert.equal((JSON.parse((await cameraRequest(cam, guestPort, 'session')).body) as { setup_needed: boolean }).setup_needed, true);
        // the camera's kernel surface: getrandom (Linux 3.17) is not there, setns (3.0) only on the YI
        const has = (nr: number) => (hasSyscall(CAMERAS[model].kernel, nr) ? 'present' : 'ENOSYS');
        assert.equal(has(384), 'ENOSYS');
        assert.match(cam.console(), new RegExp(`kernel surface: 384:ENOSYS 375:${has(375)} 20:present 983042:present 983046:ENOSYS`));
        await cam.consoleLine(/camfw-test: \S*lighttpd .*Seccomp:\s+2$/m);
        // the stock firmware ran the card's entry hook (overlays/<model>/camera.ts)
        assert.ok(cam.console().includes(` runs ${CAMERAS[model].entry}`), `the stock firmware did not run ${CAMERAS[model].entry}`);
      } finally {
        await cam.stop();
      }
    });
  }
});

/** A GET with the Host header a browser sends for a page at `host` (fetch sets its own). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { host }, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url} with Host ${host}: no answer in 10 s`)));
    req.on('error', reject);
  });
}
