import type { AccessPoint, EmulatedModel } from '../model.ts';

/** The network the emulated Xiaofang was paired with in the Mi Home app (its cloud app joins it). */
export const FANG_PAIRED: AccessPoint = { ssid: 'paired-in-mi-home', passphrase: 'stock pairing key' };

/**
 * The sensor modes snx_rtsp_server can ask for: 1080p, 720p (its default) and 360p at
 * 30 (its default), 15 and 10 fps, each without audio and with A-law (-a, fang-hacks.md §4).
 */
const MODES = ['1920x1080', '1280x720', '640x360'].flatMap((size) => [30, 15, 10].flatMap((fps) => ['none', 'pcma'].map((audio) => `/unicast=${size}@${fps}/${audio}`)));

export const model: EmulatedModel = {
  id: 'fang',
  wifiInterface: 'wlan0',
  defaultAccessPoint: FANG_PAIRED,
  sensor: MODES,
  // gpio_aud, gpio_ms1 and iwlist: stock tools fang-hacks' scripts call by name
  // (fang-hacks.md §1.4); /usr/bin and /usr/sbin are camfw's guesses of where they are
  rootStandins: ['/usr/bin/iCamera', '/usr/bin/miio_client', '/usr/boa/boa', '/usr/sbin/wpa_supplicant', '/usr/sbin/hostapd', '/usr/bin/gpio_aud', '/usr/bin/gpio_ms1', '/usr/sbin/iwlist'],
};
