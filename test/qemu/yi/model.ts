import fs from 'node:fs';
import path from 'node:path';
import { makeHomeFlash, makeStockHomeTree } from '../../fixtures/stock-home.ts';
import type { AccessPoint, EmulatedModel } from '../model.ts';

/** The network the emulated YI was paired with in the phone app: the stock /home/wpa_supplicant.conf. */
export const YI_PAIRED: AccessPoint = { ssid: 'paired-in-the-app', passphrase: 'stock pairing key' };

/** The YI's vendor programs in the emulated /home: stand-ins (stock/standins) at their stock paths. (rtspsvr is not stock: the card brings it.) */
const STANDINS = ['rmm', 'dispatch', 'peripheral', 'exnet', 'log_server', 'watch_process', 'led_ctl', 'monitor_wifi', 'wpa_supplicant', '3518/load3518_left', '3518/load3518_audio'];

/**
 * A stock-like /home for the emulated YI (test/fixtures/stock-home.ts, no vendor bytes)
 * with the programs the camera needs after the hook as stand-ins, the Wi-Fi driver (the
 * board's network driver under the MT7601 file names, yi.md §2c), the paired network and
 * watch_process's configuration.
 */
export function makeYiHomeTree(root: string): void {
  makeStockHomeTree(root);
  for (const p of STANDINS) {
    fs.rmSync(path.join(root, p), { force: true });
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.symlinkSync('/usr/lib/stock/standin', path.join(root, p));
  }
  fs.symlinkSync('/lib/modules/mii.ko', path.join(root, 'mtprealloc7601Usta.ko'));
  fs.symlinkSync('/lib/modules/smc91x.ko', path.join(root, 'mt7601Usta.ko'));
  fs.writeFileSync(
    path.join(root, 'wpa_supplicant.conf'),
    `ctrl_interface=/var/run/wpa_supplicant\nnetwork={\n\tssid="${YI_PAIRED.ssid}"\n\tpsk="${YI_PAIRED.passphrase}"\n\tkey_mgmt=WPA-PSK\n}\n`,
  );
  fs.writeFileSync(path.join(root, 'wp_cmd'), 'check_interval:[10] process:[rmm] cmd:[reboot]\n');
}

export const model: EmulatedModel = {
  id: 'yi',
  wifiInterface: 'ra0',
  defaultAccessPoint: YI_PAIRED,
  // rtspsvr's streams (yi.md §5): HD 1280x720 and SD 640x360; AAC 8 kHz is yi.md's best
  // guess for the audio; 15 fps is camfw's (no source gives the YI's rate).
  sensor: ['/ch0_0.h264=1280x720@15/aac+/ch0_1.h264=640x360@15/aac'],
  async flash(dir) {
    const tree = path.join(dir, 'home');
    makeYiHomeTree(tree);
    const img = path.join(dir, 'home.flash');
    await makeHomeFlash(tree, img);
    fs.rmSync(tree, { recursive: true, force: true });
    return img;
  },
};
