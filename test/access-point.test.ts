// The Xiaofang's own Wi-Fi network (access point), made by its stock hostapd
// (driver=rtl871xdrv, fang-hacks.md §1.4 and §2.6) with BusyBox's udhcpd, from the network
// page. A phone in range (a second emulated machine on the air link) joins the network
// whose name and passphrase it was given, the way an owner joins from a phone; the test
// host reaches the camera only through that phone while the camera runs its own network.
// These fail when the owner could be locked out: a network nobody can join is saved, the
// camera does not come back from it, or a wrong Wi-Fi passphrase typed on the camera's
// own network leaves it on neither.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { bootCamera, waitForPage, type RunningCamera } from './qemu/camera.ts';
import { FANG_PAIRED } from './qemu/fang/model.ts';
import { cardImage, cardPrograms, DHCP, owner, tmpDir, tryResult } from './helpers.ts';

/** AP_TRY_SECONDS and TRY_SECONDS of overlays/common/etc/camfw/net-try.sh and recipes/camfw-api/network.c. */
const AP_TRY_S = 120;
const TRY_S = 30;
/** The network the owner makes, and the phone joins. */
const OWN = { ssid: 'camfw own network', passphrase: 'phone knows this 7' };
const OWN_FORM = { ...DHCP, wifi: 'ap', ssid: OWN.ssid, country: 'DE', channel: '11' };
const CARD_DIR = '/media/mmcblk0p2/data';

let busybox: string;
let dir: string;
let cam: RunningCamera | undefined;
before(async () => {
  busybox = path.join((await cardPrograms('fang')).built.get('busybox')!.stageDir, 'bin/busybox');
  dir = tmpDir('access-point');
});
after(() => cam?.stop());

test("Xiaofang: its own network is saved only once a phone joined it, runs at boot without the cloud app, and a wrong Wi-Fi passphrase typed on it brings it back", async () => {
  const card = await cardImage('fang', dir, 'fang');
  cam = await bootCamera('fang', card, busybox, { writable: true, phone: OWN });
  // the cloud app holds Wi-Fi and Boa port 80: camfw's page is on 8080
  await cam.cardPage(8080);
  const o = await owner(cam, 8080);
  const n = await o.get<{ mode: string; wifi: string; access_point: boolean }>('network');
  assert.deepEqual([n.json.mode, n.json.wifi, n.json.access_point], ['cloud', 'client', true]);

  // a Xiaofang whose Wi-Fi chip the stock hostapd cannot drive (a build for another
  // driver stands in for it): hostapd refuses, and the try ends at once, nothing saved
  const settings = `${CARD_DIR}/etc/camfw/settings.conf`;
  assert.equal((await cam.exec(`sed -i "s/^CAMFW_HOSTAPD_DRIVER='rtl871xdrv'$/CAMFW_HOSTAPD_DRIVER='nl80211'/" ${settings}`)).code, 0);
  assert.equal((await o.post('network', { ...OWN_FORM, psk: OWN.passphrase })).status, 202);
  assert.deepEqual(await tryResult(cam, o, AP_TRY_S, 60_000), {
    state: 'failed',
    reason: "the camera's hostapd did not start its own network (see the boot log): the cloud app keeps the network, nothing was saved",
  });
  await cam.consoleLine(/stock-hostapd: Line 3: invalid\/unknown driver 'nl80211'/, 5_000);
  assert.equal((await cam.exec(`sed -i "s/^CAMFW_HOSTAPD_DRIVER='nl80211'$/CAMFW_HOSTAPD_DRIVER='rtl871xdrv'/" ${settings}`)).code, 0);
  await cam.cardPage(8080, 10_000);

  // a passphrase the phone does not have: nobody joins, and after the try the cloud app's
  // network is back, with nothing saved
  const nobody = await o.post('network', { ...OWN_FORM, psk: 'not what the phone has' });
  assert.equal(nobody.status, 202, JSON.stringify(nobody.json));
  assert.equal(nobody.json.seconds, AP_TRY_S);
  await cam.consoleLine(/stock-hostapd: Using interface wlan0 with ssid 'camfw own network' on channel 11/, 30_000);
  assert.deepEqual(await tryResult(cam, o, AP_TRY_S), {
    state: 'failed',
    reason: `no device joined the camera's own network within ${AP_TRY_S} s: the cloud app keeps the network, nothing was saved`,
  });
  assert.doesNotMatch(cam.phone!.console(), /phone: joined/);
  assert.equal((await cam.exec(`test -e ${CARD_DIR}/etc/camfw/hostapd.conf`)).code, 1);
  assert.match((await cam.exec('pidof iCamera miio_client boa; pidof hostapd udhcpd || echo none')).output, /^\d+ \d+ \d+\nnone\n$/);
  await cam.cardPage(8080, 10_000);

  // the phone's passphrase: the phone joins and takes an address from the camera, and the
  // network is saved; the camera restarts to take the network from the cloud app
  const joined = await o.post('network', { ...OWN_FORM, psk: OWN.passphrase });
  assert.equal(joined.status, 202, JSON.stringify(joined.json));
  await cam.phone!.consoleLine(/phone: joined: address 192\.168\.0\.1\d\d router 192\.168\.0\.1$/m, 60_000);
  assert.ok(await cam.ended(60_000), 'the camera did not restart to run its own network');
  await cam.stop();

  // the next boot: camfw runs the camera's own network, then stops the cloud apps; the host
  // cannot reach the camera now, the phone can (and logs in through it)
  cam = await bootCamera('fang', card, busybox, { writable: true, phone: OWN });
  await cam.phone!.consoleLine(/phone: joined: address 192\.168\.0\.1\d\d router 192\.168\.0\.1$/m, 240_000);
  const page = await waitForPage(`${cam.phone!.urlOn(80)}public/build.txt`, 120_000, (body) => /^model=fang$/m.test(body));
  assert.match(page.body, /^model=fang$/m);
  await cam.fileLine('/tmp/camfw.log', /camfw: network: wlan0: the camera's own Wi-Fi network runs, at 192\.168\.0\.1/);
  await cam.fileLine('/tmp/camfw.log', /camfw: stopped iCamera/);
  assert.equal(cam.linkUp(), false);
  await assert.rejects(fetch(`${cam.url}public/build.txt`, { signal: AbortSignal.timeout(3000) }));
  const viaPhone = await owner(cam, 80, cam.phone!.urlOn(80));
  const ap = await viaPhone.get<{ mode: string; wifi: string; ap: { ssid: string; channel: number }; now: { address: string } }>('network');
  assert.deepEqual([ap.json.mode, ap.json.wifi, ap.json.ap, ap.json.now.address], ['card', 'ap', { ssid: OWN.ssid, channel: 11 }, '192.168.0.1']);
  assert.match((await cam.exec(`ls -l ${CARD_DIR}/etc/camfw/hostapd.conf`)).output, /^-rw------- /);

  // back to the owner's Wi-Fi from the phone: a wrong passphrase gets no gateway, and the
  // camera's own network comes back, where the phone is
  const wrong = await viaPhone.post('network', { ...DHCP, ssid: FANG_PAIRED.ssid, psk: 'not the passphrase', country: 'DE' });
  assert.equal(wrong.status, 202, JSON.stringify(wrong.json));
  assert.deepEqual(await tryResult(cam, viaPhone, TRY_S), { state: 'failed', reason: `no answer from a gateway within ${TRY_S} s with the new settings: back on the saved ones, nothing was saved` });
  assert.equal((await viaPhone.get<{ wifi: string }>('network')).json.wifi, 'ap');
  // the right one: saved, and the camera is on the owner's Wi-Fi, reached from the host again
  const home = await viaPhone.post('network', { ...DHCP, ssid: FANG_PAIRED.ssid, psk: FANG_PAIRED.passphrase, country: 'DE' });
  assert.equal(home.status, 202, JSON.stringify(home.json));
  await cam.cardPage(80, (TRY_S + 30) * 1000);
  const back = await owner(cam);
  assert.deepEqual(await tryResult(cam, back, TRY_S), { state: 'saved', reason: 'the gateway 10.0.2.2 answered: the new settings are saved' });
  const client = await back.get<{ wifi: string; ssid: string }>('network');
  assert.deepEqual([client.json.wifi, client.json.ssid], ['client', FANG_PAIRED.ssid]);
  assert.equal((await cam.exec(`test -e ${CARD_DIR}/etc/camfw/hostapd.conf`)).code, 1);
  assert.equal((await cam.exec('pidof hostapd udhcpd || echo none')).output, 'none\n');
});
