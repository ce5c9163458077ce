import type { Camera } from '../../scripts/lib/cameras.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

/** The YI Home: what camfw knows about it (../shared/reference/yi.md). */
export const camera: Camera = {
  id: 'yi',
  name: 'YI Home (hw platform 2)',
  soc: 'HiSilicon Hi3518',
  kernel: '3.0.8',
  stockLibc: 'uClibc 0.9.32.1',
  vendorToolchain: 'hisiv100',
  // mem=40M on the kernel command line (yi.md §6, boot log)
  ramMiB: 40,
  // the stock /home/init.sh runs this, then exits (yi.md §2a)
  entry: '/home/hd1/test/equip_test.sh',
  // the stock init.sh mounts the card on /home/hd1 (yi.md §2a)
  cardDir: '/home/hd1/test',
  cardOverlay: 'card/test',
  // rtspsvr's HD stream (yi.md §5), 1280x720
  streamInput: 'rtsp://127.0.0.1:554/ch0_0.h264',
  // rtspsvr's SD stream, 640x360
  streamInputSd: 'rtsp://127.0.0.1:554/ch0_1.h264',
  webFeatures: ['quality'],
  // iwlist (Wireless Tools), for the network page's scan: the stock YI has none (card.ts)
  cardRecipes: ['wireless-tools'],
  images: {
    yiCardMiB: { default: 64, minimum: 33, maximum: 4096, description: 'yi FAT32 partition' },
  },
  budgets: {
    /** the card tree (test/...) */
    cardTree: 24 * MiB,
    /** the zip users unpack onto a card */
    zip: 16 * MiB,
    /** the stock `home` partition (mtdparts 9088k, yi.md §6) */
    home: 9088 * KiB,
  },
  unsupported: [
    { key: 'video', why: "the YI's rtspsvr serves fixed streams, ch0_0.h264 at 1280x720 and ch0_1.h264 at 640x360 (yi.md §5), and takes no video settings: leave video out" },
  ],
  network: {
    withWifi:
      "camfw joins the Wi-Fi network of the build configuration. If that gives no route to the gateway within 60 s, the camera goes back to the network it was paired with in the app, and NETWORK-FALLBACK.txt in the card's test folder says why.",
    withoutWifi: 'The camera joins the network it was paired with in the app (its stock wpa_supplicant.conf).',
  },
};
