import type { Camera } from '../scripts/lib/cameras.ts';
import { setupMusl } from './musl-armv5te.ts';
import { TOOLCHAIN_IDS, type Toolchain, type ToolchainId } from './types.ts';
import { setupVendor, VENDOR_TOOLCHAINS, vendorSourceFromEnv, type VendorSource } from './vendor.ts';

export type { Toolchain, ToolchainId } from './types.ts';

export interface ToolchainChoice {
  /** Forced by --toolchain; otherwise the camera's vendor toolchain when configured, else musl. */
  id?: string;
  /** Vendor archive given on the command line; overrides the environment. */
  vendorSource?: VendorSource;
}

export function chooseToolchain(cam: Camera, choice: ToolchainChoice = {}): ToolchainId {
  if (choice.id) {
    if (!(TOOLCHAIN_IDS as readonly string[]).includes(choice.id))
      throw new Error(`unknown toolchain "${choice.id}": choose one of ${TOOLCHAIN_IDS.join(', ')}`);
    return choice.id as ToolchainId;
  }
  const vendor = VENDOR_TOOLCHAINS[cam.vendorToolchain];
  return choice.vendorSource || vendorSourceFromEnv(vendor) ? vendor.id : 'musl-armv5te';
}

/** Fetches, verifies and unpacks the toolchain (cached), and returns it ready to use. */
export async function setupToolchain(id: ToolchainId, vendorSource?: VendorSource): Promise<Toolchain> {
  if (id === 'musl-armv5te') return setupMusl();
  const def = VENDOR_TOOLCHAINS[id];
  const src = vendorSource ?? vendorSourceFromEnv(def);
  if (!src)
    throw new Error(
      `the ${id} toolchain (${def.description}) is not public: give its archive with --toolchain-archive URL|PATH --toolchain-sha256 HEX, or set ${def.env.source} and ${def.env.sha256}`,
    );
  return setupVendor(def, src);
}
