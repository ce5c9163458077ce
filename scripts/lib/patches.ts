import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { debianPackagingTarball } from './debian.ts';
import { ensureDownload, type Origin } from './download.ts';
import { run } from './run.ts';

/**
 * Fixes that Debian ships for the same upstream version (security updates), taken from
 * Debian's packaging of that version: only the patches a recipe names, never Debian's
 * packaging or build-system changes.
 */
export interface DebianPatches {
  /** Debian source package and the version whose packaging carries the patches. */
  package: string;
  version: string;
  /** That version's packaging tarball and its sha256 (Checksums-Sha256 of the Sources index). */
  file: string;
  sha256: string;
  /** The patches applied, in this order (names under debian/patches/), each with the reason; may be none. */
  apply: Array<{ name: string; why: string }>;
  /** What else Debian's packaging of this version carries, and why camfw takes it or not. */
  note: string;
}

function packagingOrigin(p: DebianPatches): Origin {
  return {
    describe: `Debian source package ${p.package} ${p.version}`,
    async fetchTo(tmp) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'camfw-deb-'));
      try {
        fs.copyFileSync(await debianPackagingTarball(p.package, p.version, p.file, dir), tmp);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The verified packaging tarball in the download cache. */
export function fetchDebianPatches(p: DebianPatches): Promise<string> {
  return ensureDownload(p.file, p.sha256, [packagingOrigin(p)]);
}

/** `patch -p1` as every patch is applied: refusing reversed or already-applied hunks, leaving no .orig files. */
export function applyPatch(file: string, srcDir: string, logFile: string) {
  return run(['patch', '-p1', '--batch', '--forward', '--no-backup-if-mismatch', '-d', srcDir, '-i', file], { logFile });
}

/**
 * Applies the named patches to `srcDir` in order (`patch -p1`, refusing reversed or
 * already-applied hunks and leaving no .orig files). Returns the newest patch's date, so
 * the recipe's SOURCE_DATE_EPOCH covers the fixes.
 */
export async function applyDebianPatches(p: DebianPatches, srcDir: string, logFile: string): Promise<number> {
  if (!p.apply.length) return 0;
  const tarball = await fetchDebianPatches(p);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'camfw-patches-'));
  try {
    const members = p.apply.map((a) => `debian/patches/${a.name}`);
    await run(['tar', '-xf', tarball, '-C', dir, ...members], { logFile });
    let newest = 0;
    for (const m of members) {
      const file = path.join(dir, m);
      newest = Math.max(newest, Math.floor(fs.statSync(file).mtimeMs / 1000));
      await applyPatch(file, srcDir, logFile);
    }
    return newest;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
