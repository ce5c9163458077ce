import fs from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';

const TEMPLATE = '.mustache';

/**
 * Copies an overlay directory into `dest`, keeping file modes. Files ending in .mustache
 * are rendered with `view` and lose the suffix (HTML-escaped only for .html files).
 */
export function applyOverlay(src: string, dest: string, view: Record<string, unknown>): void {
  for (const e of fs.readdirSync(src, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const from = path.join(src, e.name);
    if (e.isDirectory()) {
      fs.mkdirSync(path.join(dest, e.name), { recursive: true });
      applyOverlay(from, path.join(dest, e.name), view);
      continue;
    }
    const mode = fs.statSync(from).mode & 0o777;
    fs.mkdirSync(dest, { recursive: true });
    if (!e.name.endsWith(TEMPLATE)) {
      fs.copyFileSync(from, path.join(dest, e.name));
      fs.chmodSync(path.join(dest, e.name), mode);
      continue;
    }
    const name = e.name.slice(0, -TEMPLATE.length);
    const escape = name.endsWith('.html') ? Mustache.escape : (s: string) => s;
    const text = Mustache.render(fs.readFileSync(from, 'utf8'), view, {}, { escape });
    fs.writeFileSync(path.join(dest, name), text, { mode });
  }
}
