// The network page's changes on the emulated cameras: new Wi-Fi settings and addresses
// are tried before they are saved (net-try.sh), and a wrong one brings the camera back to
// the network it had, where the owner's browser is. The YI runs camfw's own Wi-Fi; the
// Xiaofang without Wi-Fi in the build has the cloud app's, which camfw takes over only
// once the owner's network works. These fail when a typo in the UI would lock the owner
// out of a real camera.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { bootCamera, type RunningCamera } from './qemu/camera.ts';
import { FANG_PAIRED } from './qemu/fang/model.ts';
import { YI_PAIRED } from './qemu/yi/model.ts';
import { cameraRequest, cardImage, cardPrograms, DHCP, NO_WIFI, OWNER_PASSWORD, owner, putOnFat, ssh, telnet, tmpDir, tryResult } from './helpers.ts';

/** TRY_SECONDS of overlays/common/etc/camfw/net-try.sh and recipes/camfw-api/network.c. */
const TRY_S = 30;

let busybox: { yi: string; fang: string };
let dir: string;
before(async () => {
  busybox = {
    yi: path.join((await cardPrograms('yi')).built.get('busybox')!.stageDir, 'bin/busybox'),
    fang: path.join((await cardPrograms('fang')).built.get('busybox')!.stageDir, 'bin/busybox'),
  };
  dir = tmpDir('network');
});

// independent boots that mostly wait for tries: two at a time
describe('the network page on the emulated cameras', { concurrency: 2 }, () => {
  test("YI: a wrong passphrase and an unreachable gateway are tried and undone; static addresses are saved once they work", async () => {
    const card = await cardImage('yi', dir, 'yi', { wifi: { ssid: YI_PAIRED.ssid, psk: YI_PAIRED.passphrase, country: 'DE' } });
    const cam = await bootCamera('yi', card, busybox.yi);
    try {
      await cam.cardPage();
      const o = await owner(cam);
      const n = await o.get<{ mode: string; ssid: string; now: { link: boolean; address: string; gateway: string } }>('network');
      assert.equal(n.json.mode, 'card');
      assert.equal(n.json.now.link, true);
      assert.equal(n.json.ssid, YI_PAIRED.ssid);
      assert.equal(n.json.now.address, '10.0.2.15');
      assert.equal(n.json.now.gateway, '10.0.2.2');
      // camfw's own iwlist on an interface whose driver has no Wireless Extensions (the
      // emulated one): the scan says iwlist's reason and the owner types the name
      const scan = await o.get<{ error: string }>('network/scan');
      assert.equal(scan.status, 502);
      assert.match(scan.json.error, /^the scan failed \(ra0 .*\): type the network's name$/);

      const saved = (await cam.exec('cat /home/hd1/test/etc/wpa_supplicant.conf')).output;
      const wrong = await o.post('network', { ...DHCP, ssid: YI_PAIRED.ssid, psk: 'not the passphrase', country: 'DE' });
      assert.equal(wrong.status, 202, JSON.stringify(wrong.json));
      await cam.consoleLine(/stock-wifi: ra0: WPA: 4-Way Handshake failed/, 20_000);
      const failed = await tryResult(cam, o, TRY_S);
      assert.deepEqual(failed, { state: 'failed', reason: `no answer from a gateway within ${TRY_S} s with the new settings: back on the saved ones, nothing was saved` });
      assert.equal((await cam.exec('cat /home/hd1/test/etc/wpa_supplicant.conf')).output, saved);
      assert.ok(cam.linkUp());

      const fixed = { ...DHCP, ...NO_WIFI, addressing: 'static', address: '10.0.2.15', netmask: '255.255.255.0', gateway: '10.0.2.2', dns: '10.0.2.3' };
      assert.equal((await o.post('network', fixed)).status, 202);
      assert.deepEqual(await tryResult(cam, o, TRY_S), { state: 'saved', reason: 'the gateway 10.0.2.2 answered: the new settings are saved' });
      const conf = await cam.exec('. /home/hd1/test/etc/camfw/network.conf && echo "$CAMFW_NET_ADDRESS $CAMFW_NET_GATEWAY $CAMFW_NET_DNS" && cat /tmp/resolv.conf && pidof udhcpc');
      assert.match(conf.output, /^10\.0\.2\.15 10\.0\.2\.2 10\.0\.2\.3\nnameserver 10\.0\.2\.3\n$/);
      const st = await o.get<{ saved: { addressing: string } }>('network');
      assert.equal(st.json.saved.addressing, 'static');

      // a gateway nobody answers for: back on the static settings just saved
      assert.equal((await o.post('network', { ...fixed, gateway: '10.0.2.99' })).status, 202);
      assert.equal((await tryResult(cam, o, TRY_S)).state, 'failed');
      assert.match((await cam.exec('. /home/hd1/test/etc/camfw/network.conf && echo "$CAMFW_NET_GATEWAY"; route -n')).output, /^10\.0\.2\.2\n[\s\S]*0\.0\.0\.0 +10\.0\.2\.2 /);
      await cam.cardPage(80, 5_000);
    } finally {
      await cam.stop();
    }
  });

  test("Xiaofang: the cloud app's network is kept when the owner's fails, and taken over at the next boot when it works", async () => {
    const card = await cardImage('fang', dir, 'fang');
    let cam: RunningCamera = await bootCamera('fang', card, busybox.fang, { writable: true });
    try {
      await cam.cardPage(8080);
      const o = await owner(cam, 8080);
      const n = await o.get<{ mode: string; ssid: string }>('network');
      assert.equal(n.json.mode, 'cloud');
      // the stock iwlist: the networks in range, strongest first, hidden ones left out
      const scan = await o.get<{ networks: Array<{ ssid: string; security: string }> }>('network/scan');
      assert.equal(scan.status, 200, JSON.stringify(scan.json));
      assert.deepEqual(
        scan.json.networks.map((w) => [w.ssid, w.security]),
        [
          [FANG_PAIRED.ssid, 'wpa2'],
          ['Café 5G', 'wpa2'],
          ['neighbour-open', 'open'],
          ['corp', '802.1x'],
        ],
      );
      // addresses alone are not enough while the cloud app holds Wi-Fi
      const alone = await o.post('network', { ...NO_WIFI, ...DHCP });
      assert.equal(alone.status, 400);
      assert.equal(alone.json.field, 'ssid');

      const wrong = await o.post('network', { ...DHCP, ssid: FANG_PAIRED.ssid, psk: 'not the passphrase', country: 'DE' });
      assert.equal(wrong.status, 202);
      assert.deepEqual(await tryResult(cam, o, TRY_S), { state: 'failed', reason: `no answer from a gateway within ${TRY_S} s with the new settings: the cloud app keeps the network, nothing was saved` });
      assert.match((await cam.exec('pidof iCamera miio_client boa')).output, /^\d+ \d+ \d+\n$/);
      assert.equal((await cam.exec('test -e /media/mmcblk0p2/data/etc/wpa_supplicant.conf')).code, 1);
      await cam.cardPage(8080, 10_000);

      const good = await o.post('network', { ...DHCP, ssid: FANG_PAIRED.ssid, psk: FANG_PAIRED.passphrase, country: 'DE' });
      assert.equal(good.status, 202);
      assert.ok(await cam.ended((TRY_S + 30) * 1000), 'the camera did not restart to take the network');
      await cam.stop();

      // the next boot: camfw joins the network the owner gave, then stops the cloud apps.
      // RESCUE-TELNET on the FAT partition (written from a computer) starts telnet for it
      await putOnFat(card, 'RESCUE-TELNET', '');
      cam = await bootCamera('fang', card, busybox.fang, { writable: true });
      const p = await cam.cardPage(80);
      assert.match(p.body, /^model=fang$/m);
      await cam.fileLine('/tmp/camfw.log', /camfw: network: wlan0 reaches its gateway 10\.0\.2\.2 \(the card's Wi-Fi settings\)/);
      await cam.fileLine('/tmp/camfw.log', /camfw: stopped iCamera/);
      const after = await owner(cam);
      assert.equal((await after.get<{ mode: string; ssid: string }>('network')).json.ssid, FANG_PAIRED.ssid);
      await cam.fileLine('/tmp/camfw.log', /camfw: telnet: starting telnetd on port 23/);
      await cam.listening(23);
      assert.match(await telnet(cam.telnetPort, 'admin', OWNER_PASSWORD, 'echo "rescue-$((6 * 7))"; exit', /rescue-42/), /rescue-42/);
      // SSH on the Xiaofang's kernel (no prlimit64, Linux 2.6.35) and its ext2 card, turned on from the web page
      assert.equal((await after.post('settings', { ssh: true })).status, 200);
      await cam.fileLine('/tmp/camfw.log', /camfw: ssh: starting dropbear on port 22/);
      await cam.listening(22);
      const shell = await ssh(cam.sshPort, 'root', OWNER_PASSWORD, 'echo "ssh-$((6 * 7))"; ls -l /media/mmcblk0p2/data/etc/camfw/ssh_host_ed25519_key', path.join(dir, 'known_hosts'));
      assert.equal(shell.code, 0, `${shell.stdout}${shell.stderr}`);
      assert.match(shell.stdout, /^ssh-42\n-rw------- /);
      await cam.stop();

      // RESET-PASSWORD: the password is forgotten and the file deleted; the next visit sets one
      await putOnFat(card, 'RESET-PASSWORD', '');
      cam = await bootCamera('fang', card, busybox.fang, { writable: true });
      await cam.cardPage(80);
      assert.equal((JSON.parse((await cameraRequest(cam, 80, 'session')).body) as { setup_needed: boolean }).setup_needed, true);
      assert.equal((await cam.exec('ls /media/mmcblk0p1/RESET-PASSWORD')).code, 1);
    } finally {
      await cam.stop();
    }
  });
});
