import type { Unsupported } from './config.ts';

/**
 * The one place that says what each camera is: its SoC, the kernel its stock firmware
 * runs (the floor for every syscall our programs make), its vendor toolchain, and the
 * CPU flags every toolchain compiles with.
 */

/** ARM926EJ-S: ARMv5TE(J), no FPU, EABI. Both cameras have this core. */
export const TARGET_CFLAGS = ['-march=armv5te', '-mtune=arm926ej-s', '-mfloat-abi=soft', '-marm'] as const;

export const MODEL_IDS = ['fang', 'yi'] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export interface Camera {
  id: ModelId;
  name: string;
  soc: string;
  /** uname -r of the stock firmware; qemu-arm -r uses it. */
  kernel: string;
  stockLibc: string;
  /** The vendor SDK toolchain, used when the user provides it. */
  vendorToolchain: 'sn986' | 'hisiv100';
  /** Who runs the camera's network, with and without Wi-Fi settings in the build configuration (shown on the card's page). */
  network: { withWifi: string; withoutWifi: string };
  /** Settings this camera's card cannot honour, beyond those no card does yet (config.ts). */
  unsupported: Unsupported[];
}

export const CAMERAS: Record<ModelId, Camera> = {
  fang: {
    id: 'fang',
    name: 'Xiaomi Xiaofang (iSC5)',
    soc: 'Sonix SN98660',
    kernel: '2.6.35.12',
    stockLibc: 'uClibc 0.9.32',
    vendorToolchain: 'sn986',
    unsupported: [],
    network: {
      withWifi:
        "camfw joins the Wi-Fi network of the build configuration while the cloud app still runs, and stops the cloud apps (and the stock Boa) once its network reaches the gateway; then the Sonix RTSP server, when the card has it, serves rtsp://CAMERA/unicast with the video settings. If it does not within 60 s, the cloud app keeps the network; if it loses it for good later, the camera reboots into the cloud app's network. Either way NETWORK-FALLBACK.txt on the card's first partition says why, and camfw leaves the network alone until you delete it.",
      withoutWifi:
        "The cloud app manages Wi-Fi (the build configuration has no Wi-Fi settings), so camfw keeps the cloud apps running, as fang-hacks does: stopping them would leave the camera without a network. The stock Boa keeps port 80; this page is on port 8080 (or web.port, if you set one other than 80). The Sonix RTSP server needs the encoder the cloud app holds, so the camera has no RTSP stream in this mode.",
    },
  },
  yi: {
    id: 'yi',
    name: 'YI Home (hw platform 2)',
    soc: 'HiSilicon Hi3518',
    kernel: '3.0.8',
    stockLibc: 'uClibc 0.9.32.1',
    vendorToolchain: 'hisiv100',
    unsupported: [
      { key: 'video', why: "the YI's rtspsvr serves fixed streams, ch0_0.h264 at 1280x720 and ch0_1.h264 at 640x360 (yi.md §5), and takes no video settings: leave video out" },
    ],
    network: {
      withWifi:
        "camfw joins the Wi-Fi network of the build configuration. If that gives no route to the gateway within 60 s, the camera goes back to the network it was paired with in the app, and NETWORK-FALLBACK.txt in the card's test folder says why.",
      withoutWifi: 'The camera joins the network it was paired with in the app (its stock wpa_supplicant.conf).',
    },
  },
};

export function camera(id: string): Camera {
  if (!(MODEL_IDS as readonly string[]).includes(id))
    throw new Error(`unknown camera model "${id}": choose one of ${MODEL_IDS.join(', ')}`);
  return CAMERAS[id as ModelId];
}

/** Every kernel a camera runs: the user-mode QEMU checks run each program under all of them. */
export const CAMERA_KERNELS = [...new Set(MODEL_IDS.map((m) => CAMERAS[m].kernel))];
