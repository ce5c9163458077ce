/**
 * The cameras camfw knows, and the CPU flags every toolchain compiles with. Each camera is
 * a folder of overlays/ holding everything camfw knows about it, beside its card files:
 * camera.ts (its SoC, the kernel its stock firmware runs, the floor for every syscall our
 * programs make, its RAM, vendor toolchain, entry hook, card directory, partition sizes and
 * budgets, who runs its network and what its card cannot honour), card.ts (its image
 * layout) and its data (trim, cloud, stock boot and vendor lists). Its emulator is the
 * folder test/qemu/<model>/. A third camera is those two folders.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Unsupported } from './config.ts';
import { paths } from './paths.ts';

/** ARM926EJ-S: ARMv5TE(J), no FPU, EABI. Both cameras have this core. */
export const TARGET_CFLAGS = ['-march=armv5te', '-mtune=arm926ej-s', '-mfloat-abi=soft', '-marm'] as const;

/** A camera's name in camfw: the name of its folder in overlays/ (fang, yi). */
export type ModelId = string;

/** A partition size the configuration sets, `images.<key>` in MiB. */
export interface PartitionSetting {
  default: number;
  minimum: number;
  maximum: number;
  description: string;
}

export interface Camera {
  id: ModelId;
  name: string;
  soc: string;
  /** uname -r of the stock firmware; qemu-arm -r uses it. */
  kernel: string;
  stockLibc: string;
  /** The vendor SDK toolchain, used when the user provides it. */
  vendorToolchain: 'sn986' | 'hisiv100';
  /** The RAM Linux gets on the camera, in MiB (the emulated camera gets the same). */
  ramMiB: number;
  /** The file of the card that the stock firmware runs, where the running camera sees it. */
  entry: string;
  /** Where the card directory (camfw's programs and settings) is on the running camera. */
  cardDir: string;
  /** The folder of overlays/<id>/ with this camera's own files of the card directory (its services). */
  cardOverlay: string;
  /** The camera's own RTSP stream, as a program on the camera reads it: what avworker-min pushes and records. */
  streamInput: string;
  /** Its smaller stream, when the camera has two: the web UI lets the owner push that one instead (streamQuality "sd"). */
  streamInputSd?: string;
  /**
   * What the web UI may change on this camera beyond what every camera has (camfw-api's
   * settings.c): "video" the picture size, rate and bitrate handed to its RTSP server,
   * and the ISP's timestamp, flip, mirror and day/night; "quality" the choice of stream
   * to push; "storage" growing the card's data partition to the card (storage.c).
   */
  webFeatures: Array<'video' | 'quality' | 'storage'>;
  /**
   * The driver of the stock firmware's hostapd, when the camera can run its own Wi-Fi
   * network (access point) with it: the web UI then offers that mode (camfw-api's
   * network.c writes hostapd.conf with it).
   */
  hostapdDriver?: string;
  /** Recipes only this camera's card carries, beyond every card's (CARD_RECIPES): its card.ts puts their programs where they go. */
  cardRecipes?: string[];
  /** Its partition sizes in the configuration (images.<key>). */
  images: Record<string, PartitionSetting>;
  /** Size budgets of its card trees and artifacts, in bytes (its card.ts checks them). */
  budgets: Record<string, number>;
  /** Who runs the camera's network, with and without Wi-Fi settings in the build configuration (shown on the card's page). */
  network: { withWifi: string; withoutWifi: string };
  /** Settings this camera's card cannot honour, beyond those no card does yet (config.ts). */
  unsupported: Unsupported[];
}

/** Every camera: each folder of overlays/ with a camera.ts, which exports `camera`. */
async function loadCameras(): Promise<Record<ModelId, Camera>> {
  const ids = fs
    .readdirSync(paths.overlays)
    .filter((d) => fs.existsSync(path.join(paths.overlays, d, 'camera.ts')))
    .sort();
  const cameras: Record<ModelId, Camera> = {};
  for (const id of ids) {
    const { camera } = (await import(pathToFileURL(path.join(paths.overlays, id, 'camera.ts')).href)) as { camera: Camera };
    if (camera?.id !== id) throw new Error(`overlays/${id}/camera.ts must export \`camera\` with id "${id}"`);
    cameras[id] = camera;
  }
  return cameras;
}

export const CAMERAS = await loadCameras();
export const MODEL_IDS: readonly ModelId[] = Object.keys(CAMERAS);

export function camera(id: string): Camera {
  if (!MODEL_IDS.includes(id)) throw new Error(`unknown camera model "${id}": choose one of ${MODEL_IDS.join(', ')}`);
  return CAMERAS[id];
}

/** Every kernel a camera runs: the user-mode QEMU checks run each program under all of them. */
export const CAMERA_KERNELS = [...new Set(MODEL_IDS.map((m) => CAMERAS[m].kernel))];
