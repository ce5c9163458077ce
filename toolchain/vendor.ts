import fs from 'node:fs';
import path from 'node:path';
import { ensureDownload, originFor } from '../scripts/lib/download.ts';
import { paths } from '../scripts/lib/paths.ts';
import { run } from '../scripts/lib/run.ts';
import { withLock } from '../scripts/lib/lock.ts';
import { TARGET_CFLAGS } from '../scripts/lib/cameras.ts';
import { reproduciblePaths, toolchainIdentity, type Toolchain } from './types.ts';
import { writeWrappers } from './wrappers.ts';

/**
 * The cameras' own SDK toolchains. They are not publicly downloadable any more, so the
 * user names an archive (URL or local file) and its sha256; camfw fetches, verifies,
 * caches and unpacks it, finds the compiler by its prefix and wraps it like any other.
 */
export interface VendorToolchainDef {
  id: 'hisiv100' | 'sn986';
  description: string;
  /** Compiler prefixes this SDK is known to ship, most specific first. */
  prefixes: string[];
  triple: string;
  gcc: string;
  libc: string;
  kernel: string;
  /** Environment variables that give the archive and its sha256. */
  env: { source: string; sha256: string };
}

export const VENDOR_TOOLCHAINS: Record<VendorToolchainDef['id'], VendorToolchainDef> = {
  hisiv100: {
    id: 'hisiv100',
    description: 'HiSilicon Hi3518 SDK V1.0.7.0 toolchain (arm-hisiv100nptl-linux)',
    prefixes: ['arm-hisiv100nptl-linux-', 'arm-hisiv100-linux-'],
    triple: 'arm-hisiv100-linux-uclibcgnueabi',
    gcc: '4.4.1',
    libc: 'uClibc 0.9.32.1',
    kernel: '3.0.8',
    env: { source: 'CAMFW_HISIV100_TOOLCHAIN', sha256: 'CAMFW_HISIV100_TOOLCHAIN_SHA256' },
  },
  sn986: {
    id: 'sn986',
    description: 'Sonix SN986 SDK crosstool 4.5.2 (arm-linux)',
    prefixes: ['arm-linux-', 'arm-unknown-linux-uclibcgnueabi-'],
    triple: 'arm-unknown-linux-uclibcgnueabi',
    gcc: '4.5.2',
    libc: 'uClibc 0.9.32',
    kernel: '2.6.35.12',
    env: { source: 'CAMFW_SN986_TOOLCHAIN', sha256: 'CAMFW_SN986_TOOLCHAIN_SHA256' },
  },
};

export interface VendorSource {
  /** URL (http, https, file://) or path of the SDK toolchain archive. */
  source: string;
  sha256: string;
}

/** The archive the user configured for this toolchain, or undefined. */
export function vendorSourceFromEnv(def: VendorToolchainDef, env = process.env): VendorSource | undefined {
  const source = env[def.env.source];
  const hash = env[def.env.sha256];
  if (!source && !hash) return undefined;
  if (!source || !hash)
    throw new Error(`${def.id} toolchain: set both ${def.env.source} (URL or path of the archive) and ${def.env.sha256} (its sha256)`);
  return { source, sha256: hash.toLowerCase() };
}

function archiveName(def: VendorToolchainDef, src: VendorSource): string {
  const base = path.basename(src.source.split(/[?#]/)[0]) || 'toolchain';
  return `${def.id}-${src.sha256.slice(0, 12)}-${base}`;
}

/** Looks for `bin/<prefix>gcc` anywhere in the unpacked tree (SDKs nest it differently). */
export function findCompiler(root: string, prefixes: string[]): { bin: string; prefix: string } | undefined {
  const hits: Array<{ bin: string; prefix: string; depth: number; rank: number }> = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 8) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (path.basename(dir) === 'bin')
        prefixes.forEach((prefix, rank) => {
          if (e.name === `${prefix}gcc`) hits.push({ bin: dir, prefix, depth, rank });
        });
    }
  };
  walk(root, 0);
  hits.sort((a, b) => a.rank - b.rank || a.depth - b.depth);
  return hits[0];
}

export async function setupVendor(def: VendorToolchainDef, src: VendorSource, targetFlags: readonly string[] = TARGET_CFLAGS): Promise<Toolchain> {
  const name = archiveName(def, src);
  const archive = await ensureDownload(name, src.sha256, [originFor(src.source)]);
  const root = path.join(paths.toolchains, `${def.id}-${src.sha256.slice(0, 12)}`);
  await withLock(`${root}.lock`, `the ${def.id} toolchain`, async () => {
    if (fs.existsSync(path.join(root, '.camfw-complete'))) return;
    const tmp = `${root}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    if (/\.zip$/i.test(name)) await run(['unzip', '-q', archive, '-d', tmp]);
    else await run(['tar', '-xf', archive, '-C', tmp]);
    fs.writeFileSync(path.join(tmp, '.camfw-complete'), `${name}\n`);
    fs.rmSync(root, { recursive: true, force: true });
    fs.renameSync(tmp, root);
  });
  const found = findCompiler(root, def.prefixes);
  if (!found)
    throw new Error(
      `${def.id} toolchain: no ${def.prefixes.map((p) => `bin/${p}gcc`).join(' or ')} in ${name} (unpacked at ${root}); is this the ${def.description}?`,
    );
  const wrappers = writeWrappers({
    root,
    prefix: found.prefix,
    gcc: path.join(found.bin, `${found.prefix}gcc`),
    targetFlags,
    binutilsPrefix: path.join(found.bin, found.prefix),
  });
  const gccVersion = (await run([`${wrappers.crossPrefix}gcc`, '-dumpversion'])).stdout.trim();
  const { buildRoot, cflags: reproducibleCflags } = reproduciblePaths(gccVersion);
  return {
    id: def.id,
    description: `${def.description}, gcc ${gccVersion}`,
    libc: def.libc,
    triple: def.triple,
    crossPrefix: wrappers.crossPrefix,
    gccVersion,
    buildRoot,
    reproducibleCflags,
    // The SDK archives carry no licence files camfw can rely on: see licenses/README.
    linkedLicenses: [],
    identity: toolchainIdentity(def.id, `${src.sha256}:${found.prefix}`, [wrappers.digest], reproducibleCflags),
  };
}
