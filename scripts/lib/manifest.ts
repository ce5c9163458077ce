import fs from 'node:fs';
import { sha256File } from './hash.ts';
import { walkTree } from './images/tree.ts';

/** Where a file on the card came from. */
export type Origin =
  /** `patches`: Debian's fixes compiled into it (its own and its libraries'), as "recipe: patch". */
  | { recipe: string; version: string; patches?: string[] }
  | { overlay: string }
  | { config: string }
  | { vendor: string; known: boolean };

/**
 * A card being assembled: its root directory and, for every file put there, where it
 * came from and whether it carries a secret. The manifest is made from it.
 */
export class CardTree {
  readonly origins = new Map<string, Origin>();
  readonly secrets = new Set<string>();
  constructor(readonly root: string) {}

  record(rel: string, origin: Origin, secret = false): void {
    this.origins.set(rel, origin);
    if (secret) this.secrets.add(rel);
  }
}

export interface ManifestEntry {
  path: string;
  type: 'dir' | 'file' | 'symlink';
  mode: string;
  size?: number;
  /** Left out for files derived from secrets. */
  sha256?: string;
  secret?: true;
  target?: string;
  origin?: Origin;
}

/** Every entry of the card tree with its size, mode, sha256 and origin; a file of unknown origin is an error. */
export async function manifestOf(tree: CardTree): Promise<ManifestEntry[]> {
  const out: ManifestEntry[] = [];
  for (const e of walkTree(tree.root)) {
    const entry: ManifestEntry = { path: e.rel, type: e.kind, mode: e.mode.toString(8).padStart(4, '0') };
    if (e.kind === 'symlink') entry.target = fs.readlinkSync(e.abs);
    if (e.kind === 'file') {
      entry.size = fs.statSync(e.abs).size;
      if (tree.secrets.has(e.rel)) entry.secret = true;
      else entry.sha256 = await sha256File(e.abs);
    }
    if (e.kind !== 'dir') {
      const origin = tree.origins.get(e.rel);
      if (!origin) throw new Error(`card file ${e.rel} has no recorded origin: every file must come from a recipe, an overlay, the configuration or a vendor input`);
      entry.origin = origin;
    }
    out.push(entry);
  }
  return out;
}
