import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../scripts/lib/hash.ts';

/** What every recipe gets from a toolchain, whichever it is. */
export interface Toolchain {
  id: ToolchainId;
  description: string;
  /** C library the programs link statically against. */
  libc: string;
  /** GNU triplet for configure --host. */
  triple: string;
  /**
   * Absolute prefix of camfw's wrappers: `${crossPrefix}gcc` compiles for the ARM926EJ-S
   * with the target flags and the right libc; ar, strip, readelf ... sit beside it.
   */
  crossPrefix: string;
  /**
   * Flags for reproducible output that this compiler understands (gcc >= 8 maps build
   * paths out of __FILE__ with -ffile-prefix-map; the vendor gcc 4.x cannot).
   */
  reproducibleCflags: string[];
  /** Licences of the libraries every static program carries (C library, libgcc): name and file. */
  linkedLicenses: Array<{ name: string; file: string }>;
  /** Changes whenever the compiler or its wrappers change; part of every build-cache key. */
  identity: string;
}

export const TOOLCHAIN_IDS = ['musl-armv5te', 'hisiv100', 'sn986'] as const;
export type ToolchainId = (typeof TOOLCHAIN_IDS)[number];

/** The binutils every wrapper directory provides next to gcc. */
export const BINUTILS = ['ar', 'as', 'ld', 'nm', 'objcopy', 'objdump', 'ranlib', 'readelf', 'strip', 'strings', 'size'] as const;

/**
 * A toolchain's cache identity: what it was made from (`inputs`: the pinned packages or
 * the vendor archive) and the code in toolchain/ that set it up (wrappers, compat files).
 */
export function toolchainIdentity(id: ToolchainId, inputs: string): string {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const code = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => sha256(fs.readFileSync(path.join(dir, f))));
  return sha256(`${id}\n${inputs}\n${code.join('\n')}`).slice(0, 16);
}
