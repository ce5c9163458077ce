import fs from 'node:fs';
import path from 'node:path';
import { sha256File } from './hash.ts';
import { log } from './log.ts';
import type { CardTree } from './manifest.ts';
import { paths } from './paths.ts';

/** overlays/<model>/vendor.json: the proprietary files a camera's card can carry. */
interface VendorList {
  /** Card directory the paths are below (fang: p2/data). */
  dir: string;
  files: Array<{ name: string; path: string; mode: string; what: string; sha256: string[] }>;
}

export interface VendorStatus {
  name: string;
  what: string;
  /** Where it goes on the card, below the card directory. */
  path: string;
  state: 'known' | 'unknown' | 'missing';
}

export function vendorList(model: string): VendorList | undefined {
  const file = path.join(paths.overlays, model, 'vendor.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as VendorList) : undefined;
}

/**
 * Copies the camera's proprietary files from the user's `vendorDir` to their places on the
 * card, each checked against the known sha256 list (unknown builds are used with a
 * warning). Missing files are reported, not fatal: the card boots and its web UI says
 * what is missing and where it goes.
 */
export async function addVendorFiles(model: string, tree: CardTree, vendorDir: string | undefined): Promise<VendorStatus[]> {
  const list = vendorList(model);
  if (!list) return [];
  if (vendorDir && !fs.statSync(vendorDir, { throwIfNoEntry: false })?.isDirectory())
    throw new Error(`--vendor-dir ${vendorDir}: no such directory`);
  const status: VendorStatus[] = [];
  for (const f of list.files) {
    const src = vendorDir ? path.join(vendorDir, f.name) : undefined;
    if (!src || !fs.existsSync(src)) {
      status.push({ name: f.name, what: f.what, path: f.path, state: 'missing' });
      continue;
    }
    const hash = await sha256File(src);
    const known = f.sha256.includes(hash);
    if (!known) log.warn(`vendor file ${f.name} (sha256 ${hash}) is not a build camfw knows; using it anyway`);
    const rel = path.posix.join(list.dir, f.path);
    fs.mkdirSync(path.dirname(path.join(tree.root, rel)), { recursive: true });
    fs.copyFileSync(src, path.join(tree.root, rel));
    fs.chmodSync(path.join(tree.root, rel), parseInt(f.mode, 8));
    tree.record(rel, { vendor: f.name, known });
    status.push({ name: f.name, what: f.what, path: f.path, state: known ? 'known' : 'unknown' });
  }
  const missing = status.filter((s) => s.state === 'missing');
  if (missing.length)
    log.info(`${model}: vendor files not given (the card works without them and says so): ${missing.map((s) => s.name).join(', ')}`);
  return status;
}
