import fs from 'node:fs';
import path from 'node:path';
import { checkFileBudget, checkTreeBudget } from '../budgets.ts';
import { setTreeTimes } from '../images/tree.ts';
import { paths } from '../paths.ts';
import { run } from '../run.ts';
import { unpackJffs2 } from './jffs2.ts';
import { parseUImage } from './uimage.ts';

/** overlays/yi/home-trim.json: what camfw removes from the stock /home. */
export interface TrimManifest {
  remove: Array<{ path: string; why: string }>;
}

export function trimManifest(): TrimManifest {
  return JSON.parse(fs.readFileSync(path.join(paths.overlays, 'yi', 'home-trim.json'), 'utf8')) as TrimManifest;
}

/** The stock /home as a directory: a copy of an extracted tree, or the unpacked `home` image. */
export function unpackStockHome(stockHome: string, dest: string): void {
  fs.rmSync(dest, { recursive: true, force: true });
  const st = fs.statSync(stockHome, { throwIfNoEntry: false });
  if (!st) throw new Error(`--stock-home ${stockHome}: no such file or directory`);
  if (st.isDirectory()) {
    fs.cpSync(stockHome, dest, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    return;
  }
  const { data } = parseUImage(fs.readFileSync(stockHome), stockHome);
  unpackJffs2(data, dest, `${stockHome} (JFFS2 payload)`);
}

export interface TrimResult {
  removed: string[];
  /** Listed in the trim manifest but not in this firmware. */
  absent: string[];
}

/** Removes the trim manifest's paths from an unpacked /home. */
export function trimHome(home: string, manifest: TrimManifest): TrimResult {
  const result: TrimResult = { removed: [], absent: [] };
  for (const item of manifest.remove) {
    if (item.path.split('/').some((p) => p === '..' || p === '')) throw new Error(`home-trim.json: bad path ${item.path}`);
    const target = path.join(home, item.path);
    if (fs.lstatSync(target, { throwIfNoEntry: false })) {
      fs.rmSync(target, { recursive: true, force: true });
      result.removed.push(item.path);
    } else result.absent.push(item.path);
  }
  return result;
}

/** A /home tree as the YI's JFFS2: little endian, 64 KiB erase blocks (its GD25Q128 NOR flash), files owned by root. */
export async function makeHomeJffs2(home: string, out: string, env?: Record<string, string>): Promise<void> {
  await run(['mkfs.jffs2', '--little-endian', '--eraseblock=64KiB', '--squash-uids', `--root=${home}`, `--output=${out}`], { env });
}

/**
 * Packs a /home tree the way the YI's flash holds it: JFFS2 (little endian, 64 KiB erase
 * blocks, files owned by root) behind a uImage header, dated SOURCE_DATE_EPOCH. Fails when
 * the image would not fit the home partition, `budget` bytes (9088 KiB: overlays/yi/camera.ts).
 */
export async function packHome(home: string, out: string, sourceDateEpoch: number, budget: number): Promise<void> {
  checkTreeBudget('yi home (files)', home, budget);
  setTreeTimes(home, sourceDateEpoch);
  const jffs2 = `${out}.jffs2`;
  const env = { SOURCE_DATE_EPOCH: String(sourceDateEpoch), TZ: 'UTC' };
  await makeHomeJffs2(home, jffs2, env);
  await run(['mkimage', '-A', 'arm', '-O', 'linux', '-T', 'filesystem', '-C', 'none', '-a', '0', '-e', '0', '-n', 'camfw-trimmed-home', '-d', jffs2, out], { env });
  fs.rmSync(jffs2);
  checkFileBudget('yi home image', out, budget);
}

/**
 * Firmware mode: the stock home (image or tree) unpacked, trimmed by the manifest, with
 * camfw's note added, and packed again as `out`, in at most `budget` bytes.
 */
export async function buildTrimmedHome(stockHome: string, out: string, work: string, sourceDateEpoch: number, budget: number): Promise<TrimResult> {
  const home = path.join(work, 'home');
  unpackStockHome(stockHome, home);
  const manifest = trimManifest();
  const result = trimHome(home, manifest);
  fs.mkdirSync(path.join(home, 'camfw'), { recursive: true });
  fs.writeFileSync(
    path.join(home, 'camfw', 'README.txt'),
    'This /home was trimmed by camfw. Removed from the stock firmware:\n' +
      manifest.remove.filter((r) => result.removed.includes(r.path)).map((r) => `  /home/${r.path}: ${r.why}\n`).join('') +
      'To undo, flash the stock home image again.\n',
  );
  await packHome(home, out, sourceDateEpoch, budget);
  fs.rmSync(home, { recursive: true, force: true });
  return result;
}
