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
}

export const CAMERAS: Record<ModelId, Camera> = {
  fang: {
    id: 'fang',
    name: 'Xiaomi Xiaofang (iSC5)',
    soc: 'Sonix SN98660',
    kernel: '2.6.35.12',
    stockLibc: 'uClibc 0.9.32',
    vendorToolchain: 'sn986',
  },
  yi: {
    id: 'yi',
    name: 'YI Home (hw platform 2)',
    soc: 'HiSilicon Hi3518',
    kernel: '3.0.8',
    stockLibc: 'uClibc 0.9.32.1',
    vendorToolchain: 'hisiv100',
  },
};

export function camera(id: string): Camera {
  if (!(MODEL_IDS as readonly string[]).includes(id))
    throw new Error(`unknown camera model "${id}": choose one of ${MODEL_IDS.join(', ')}`);
  return CAMERAS[id as ModelId];
}

/** Every kernel a camera runs: the user-mode QEMU checks run each program under all of them. */
export const CAMERA_KERNELS = [...new Set(MODEL_IDS.map((m) => CAMERAS[m].kernel))];
