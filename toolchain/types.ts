import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../scripts/lib/hash.ts';
import { paths } from '../scripts/lib/paths.ts';

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
  /** The compiler's version (`gcc -dumpversion`), checked against each recipe's minGcc. */
  gccVersion: string;
  /** Where recipes are compiled, and the flags that map it out of the programs (see reproduciblePaths). */
  buildRoot: string;
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
 * the vendor archive), every file camfw generated for it (`generated`: the digests of the
 * wrappers, with the CPU flags in them, and of the specs file), the flags it adds to
 * every compile (with the output directory they map out left out of the hash), and the
 * code in toolchain/ that set it up.
 */
export function toolchainIdentity(id: ToolchainId, inputs: string, generated: string[], cflags: string[]): string {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const code = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => sha256(fs.readFileSync(path.join(dir, f))));
  const flags = cflags.map((f) => f.replaceAll(paths.output, '$OUTPUT'));
  return sha256(JSON.stringify({ id, inputs, generated, flags, code })).slice(0, 16);
}

/** `-dumpversion` of gcc 4.x is "4.4.1", of gcc >= 7 just "12": compare as numbers. */
export function gccAtLeast(version: string, wanted: string): boolean {
  const a = version.split('.').map(Number);
  const b = wanted.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/**
 * Where compilers without -ffile-prefix-map build: a fixed place, the same on every
 * machine, because they write the source paths into __FILE__.
 */
export const FIXED_BUILD_ROOT = '/tmp/camfw-build';

/**
 * Where recipes are compiled with this compiler, and the flags that map that place out of
 * what it writes. gcc >= 8 also rewrites __FILE__ (-ffile-prefix-map), so it builds in
 * output/build; older ones, such as the vendor SDKs' gcc 4.4 and 4.5, map only the debug
 * information (-fdebug-prefix-map, from gcc 4.3) and build in FIXED_BUILD_ROOT.
 */
export function reproduciblePaths(gccVersion: string): { buildRoot: string; cflags: string[] } {
  if (gccAtLeast(gccVersion, '8')) return { buildRoot: paths.build, cflags: [`-ffile-prefix-map=${paths.output}=/camfw`] };
  return { buildRoot: FIXED_BUILD_ROOT, cflags: gccAtLeast(gccVersion, '4.3') ? [`-fdebug-prefix-map=${FIXED_BUILD_ROOT}=/camfw`] : [] };
}
