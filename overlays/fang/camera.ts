import type { Camera } from '../../scripts/lib/cameras.ts';

/** The Xiaomi Xiaofang: what camfw knows about it (../shared/reference/fang-hacks.md). */
export const fang: Camera = {
  id: 'fang',
  name: 'Xiaomi Xiaofang (iSC5)',
  soc: 'Sonix SN98660',
  kernel: '2.6.35.12',
  stockLibc: 'uClibc 0.9.32',
  vendorToolchain: 'sn986',
  // the stock hotplug mounts p2 here (fang-hacks.md §2.1)
  cardDir: '/media/mmcblk0p2/data',
  unsupported: [],
  network: {
    withWifi:
      "camfw joins the Wi-Fi network of the build configuration while the cloud app still runs, and stops the cloud apps (and the stock Boa) once its network reaches the gateway; then the Sonix RTSP server, when the card has it, serves rtsp://CAMERA/unicast with the video settings. If it does not within 60 s, the cloud app keeps the network; if it loses it for good later, the camera reboots into the cloud app's network. Either way NETWORK-FALLBACK.txt on the card's first partition says why, and camfw leaves the network alone until you delete it.",
    withoutWifi:
      "The cloud app manages Wi-Fi (the build configuration has no Wi-Fi settings), so camfw keeps the cloud apps running, as fang-hacks does: stopping them would leave the camera without a network. The stock Boa keeps port 80; this page is on port 8080 (or web.port, if you set one other than 80). The Sonix RTSP server needs the encoder the cloud app holds, so the camera has no RTSP stream in this mode.",
  },
};
