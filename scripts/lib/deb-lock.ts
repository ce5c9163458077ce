import fs from 'node:fs';
import path from 'node:path';
import { debCandidate, debDownload, MissingVersionError, type DebRecord } from './debian.ts';
import { ensureDownload, type Origin } from './download.ts';
import { paths } from './paths.ts';
import { run } from './run.ts';
import { sha256 } from './hash.ts';
import { withLock } from './lock.ts';

/**
 * A set of Debian packages pinned by version and sha256 in a lock file under the
 * repository (the musl toolchain, the test kernel). `npm run lock` rewrites the lock
 * from the archive's current versions; everything else only reads it.
 */
export interface DebLock {
  comment: string;
  packages: DebRecord[];
}

export interface DebSet {
  id: string;
  lockFile: string;
  /** Which packages to pin, resolved against the archive's current candidates. */
  resolve(): Promise<Array<{ name: string; arch: string }>>;
}

export const LOCK_COMMAND = 'npm run lock';

export function readLock(set: DebSet): DebLock {
  if (!fs.existsSync(set.lockFile))
    throw new Error(`${set.id}: lock file ${set.lockFile} is missing: run \`${LOCK_COMMAND}\` to create it`);
  return JSON.parse(fs.readFileSync(set.lockFile, 'utf8')) as DebLock;
}

/** A short hash of the pinned set: it names the unpacked tree and keys build caches. */
export function lockIdentity(set: DebSet): string {
  return sha256(JSON.stringify(readLock(set).packages)).slice(0, 12);
}

export async function refreshLock(set: DebSet): Promise<DebLock> {
  const wanted = await set.resolve();
  const packages: DebRecord[] = [];
  for (const w of wanted) {
    const c = await debCandidate(w.name, w.arch);
    packages.push({ package: c.package, architecture: c.architecture, version: c.version, filename: c.filename, sha256: c.sha256, size: c.size });
  }
  const lock: DebLock = {
    comment: `Pinned Debian packages for ${set.id}. Regenerate with: ${LOCK_COMMAND}`,
    packages,
  };
  fs.writeFileSync(set.lockFile, JSON.stringify(lock, null, 2) + '\n');
  return lock;
}

function aptOrigin(rec: DebRecord): Origin {
  return {
    describe: `Debian archive (${rec.package}:${rec.architecture}=${rec.version})`,
    async fetchTo(tmp) {
      const dir = `${tmp}.d`;
      try {
        const file = await debDownload(rec.package, rec.architecture, rec.version, dir);
        fs.renameSync(file, tmp);
      } catch (e) {
        if (e instanceof MissingVersionError)
          throw new Error(
            `${rec.package} ${rec.version} (${rec.architecture}) is pinned in the lock but the Debian archive no longer has it: run \`${LOCK_COMMAND}\` to pin the current versions`,
          );
        throw e;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Fetches (or finds in the download cache) every pinned .deb, verified, and returns their paths. */
export async function fetchDebs(set: DebSet): Promise<string[]> {
  const lock = readLock(set);
  const files: string[] = [];
  for (const rec of lock.packages) files.push(await ensureDownload(rec.filename, rec.sha256, [aptOrigin(rec)]));
  return files;
}

/**
 * Unpacks the pinned set without root into output/toolchain/<id>-<identity>/ and returns
 * that directory; a finished tree is marked and reused.
 */
export async function unpackDebs(set: DebSet, into = paths.toolchains): Promise<string> {
  const dest = path.join(into, `${set.id}-${lockIdentity(set)}`);
  return withLock(`${dest}.lock`, `unpacking ${set.id}`, async () => {
    if (fs.existsSync(path.join(dest, '.camfw-complete'))) return dest;
    const debs = await fetchDebs(set);
    const tmp = `${dest}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    for (const deb of debs) await run(['dpkg-deb', '-x', deb, tmp]);
    fs.writeFileSync(path.join(tmp, '.camfw-complete'), debs.map((d) => path.basename(d)).join('\n') + '\n');
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(tmp, dest);
    return dest;
  });
}
