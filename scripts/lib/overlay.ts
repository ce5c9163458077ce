import fs from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';

const TEMPLATE = '.mustache';
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);

/**
 * Copies an overlay directory into `dest`, keeping file modes. Files ending in .mustache
 * are rendered with `view` and lose the suffix (HTML-escaped only for .html files).
 * `onFile` hears of each file written: its path below `dest` and the overlay file it came from.
 */
export function applyOverlay(src: string, dest: string, view: Record<string, unknown>, onFile?: (rel: string, from: string) => void, prefix = ''): void {
  for (const e of fs.readdirSync(src, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const from = path.join(src, e.name);
    if (e.isDirectory()) {
      fs.mkdirSync(path.join(dest, e.name), { recursive: true });
      applyOverlay(from, path.join(dest, e.name), view, onFile, `${prefix}${e.name}/`);
      continue;
    }
    const mode = fs.statSync(from).mode & 0o777;
    fs.mkdirSync(dest, { recursive: true });
    if (!e.name.endsWith(TEMPLATE)) {
      fs.copyFileSync(from, path.join(dest, e.name));
      fs.chmodSync(path.join(dest, e.name), mode);
      onFile?.(`${prefix}${e.name}`, from);
      continue;
    }
    const name = e.name.slice(0, -TEMPLATE.length);
    onFile?.(`${prefix}${name}`, from);
    const escape = name.endsWith('.html') ? escapeHtml : (s: string) => s;
    const text = Mustache.render(fs.readFileSync(from, 'utf8'), view, {}, { escape });
    fs.writeFileSync(path.join(dest, name), text, { mode });
  }
}
