import fs from 'node:fs';
import path from 'node:path';

export interface TreeEntry {
  /** Path relative to the tree root, with / separators. */
  rel: string;
  abs: string;
  kind: 'dir' | 'file' | 'symlink';
  mode: number;
}

/** Every entry below `root`, sorted by byte order of the path (parents before children). */
export function walkTree(root: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  const walk = (dir: string, rel: string) => {
    const names = fs.readdirSync(dir).sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : a === b ? 0 : 1));
    for (const name of names) {
      const abs = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(abs);
      const kind = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : undefined;
      if (!kind) throw new Error(`${abs}: only files, directories and symlinks can go on a card`);
      if (/[\s"'\\]/.test(name)) throw new Error(`${abs}: card paths may not contain spaces, quotes or backslashes`);
      out.push({ rel: r, abs, kind, mode: st.mode & 0o7777 });
      if (kind === 'dir') walk(abs, r);
    }
  };
  walk(root, '');
  return out;
}

/** Sets every timestamp in the tree to `epoch`, keeping modes (for vendor trees). */
export function setTreeTimes(root: string, epoch: number): void {
  for (const e of walkTree(root).reverse()) fs.lutimesSync(e.abs, epoch, epoch);
  fs.utimesSync(root, epoch, epoch);
}

/**
 * Sets every timestamp in the tree to `epoch` and normalises modes whatever the umask:
 * 0755 for directories and programs, 0600 for the `secret` paths, 0644 for other files.
 */
export function normaliseTree(root: string, epoch: number, secret: ReadonlySet<string> = new Set()): void {
  for (const e of walkTree(root)) {
    if (e.kind === 'file') fs.chmodSync(e.abs, e.mode & 0o111 ? 0o755 : secret.has(e.rel) ? 0o600 : 0o644);
    if (e.kind === 'dir') fs.chmodSync(e.abs, 0o755);
  }
  fs.chmodSync(root, 0o755);
  setTreeTimes(root, epoch);
}
