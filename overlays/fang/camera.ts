import type { Camera } from '../../scripts/lib/cameras.ts';

const MiB = 1024 * 1024;

/** The Xiaomi Xiaofang: what camfw knows about it (../shared/reference/fang-hacks.md). */
export const camera: Camera = {
  id: 'fang',
  name: 'Xiaomi Xiaofang (iSC5)',
  soc: 'Sonix SN98660',
  kernel: '2.6.35.12',
  stockLibc: 'uClibc 0.9.32',
  vendorToolchain: 'sn986',
  // 64 MB with isp=10M vc=12M for the ISP and the video codec; Linux reports "36836k/36836k
  // available" (fang-hacks.md §5, dmesg of samtap/fang-hacks#243)
  ramMiB: 42,
  // the stock mdev hotplug mounts the vfat partition and runs this (fang-hacks.md §2.1)
  entry: '/media/mmcblk0p1/snx_autorun.sh',
  // the stock hotplug mounts p2 here (fang-hacks.md §2.1)
  cardDir: '/media/mmcblk0p2/data',
  cardOverlay: 'p2/data',
  // snx_rtsp_server's stream (fang-hacks.md)
  streamInput: 'rtsp://127.0.0.1:554/unicast',
  webFeatures: ['video', 'storage'],
  // the stock hostapd, built for the 8188eu's driver (fang-hacks.md §1.4; its 01-network
  // ran it for the access-point mode, §2.6). A Xiaofang with another Wi-Fi chip fails the
  // try, and nothing is saved
  hostapdDriver: 'rtl871xdrv',
  // e2fsck and resize2fs on p1, which grow p2 at boot while it is not mounted (card.ts)
  cardRecipes: ['e2fsprogs'],
  images: {
    fangBootMiB: { default: 64, minimum: 33, maximum: 1024, description: 'fang p1 (vfat, FAT32 needs at least 33 MiB)' },
    fangDataMiB: { default: 32, minimum: 8, maximum: 4096, description: 'fang p2 (ext2); the web UI grows it to the card (System page)' },
  },
  budgets: {
    /** p1: the entry script and bootstrap files only; everything else is on p2. */
    bootTree: 2 * MiB,
    /** p2 data/: programs, scripts, web UI. */
    dataTree: 24 * MiB,
  },
  unsupported: [],
  network: {
    withWifi:
      "camfw joins the Wi-Fi network of the build configuration while the cloud app still runs, and stops the cloud apps (and the stock Boa) once its network reaches the gateway; then the Sonix RTSP server, when the card has it, serves rtsp://CAMERA/unicast with the video settings. If it does not within 60 s, the cloud app keeps the network; if it loses it for good later, the camera reboots into the cloud app's network. Either way NETWORK-FALLBACK.txt on the card's first partition says why, and camfw leaves the network alone until you delete it.",
    withoutWifi:
      "The cloud app manages Wi-Fi (the build configuration has no Wi-Fi settings), so camfw keeps the cloud apps running, as fang-hacks does: stopping them would leave the camera without a network. The stock Boa keeps port 80; this page is on port 8080 (or web.port, if you set one other than 80). The Sonix RTSP server needs the encoder the cloud app holds, so the camera has no RTSP stream in this mode.",
  },
};
