/**
 * The cameras camfw knows, and the CPU flags every toolchain compiles with. Each camera's
 * description lives beside its card files, in overlays/<model>/camera.ts: its SoC, the
 * kernel its stock firmware runs (the floor for every syscall our programs make), its
 * vendor toolchain, where its card directory is, who runs its network and what its card
 * cannot honour; its card layout is overlays/<model>/card.ts.
 */
import { fang } from '../../overlays/fang/camera.ts';
import { yi } from '../../overlays/yi/camera.ts';
import type { Unsupported } from './config.ts';

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
  /** Where the card directory (camfw's programs and settings) is on the running camera. */
  cardDir: string;
  /** Who runs the camera's network, with and without Wi-Fi settings in the build configuration (shown on the card's page). */
  network: { withWifi: string; withoutWifi: string };
  /** Settings this camera's card cannot honour, beyond those no card does yet (config.ts). */
  unsupported: Unsupported[];
}

export const CAMERAS: Record<ModelId, Camera> = { fang, yi };

export function camera(id: string): Camera {
  if (!(MODEL_IDS as readonly string[]).includes(id))
    throw new Error(`unknown camera model "${id}": choose one of ${MODEL_IDS.join(', ')}`);
  return CAMERAS[id as ModelId];
}

/** Every kernel a camera runs: the user-mode QEMU checks run each program under all of them. */
export const CAMERA_KERNELS = [...new Set(MODEL_IDS.map((m) => CAMERAS[m].kernel))];
