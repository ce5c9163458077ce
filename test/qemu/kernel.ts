import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { debCandidate } from '../../scripts/lib/debian.ts';
import { unpackDebs, type DebSet } from '../../scripts/lib/deb-lock.ts';
import { paths } from '../../scripts/lib/paths.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * Debian's armmp kernel (armhf, boots on `qemu-system-arm -M virt`), pinned like the
 * toolchain. The lock names the versioned image package behind linux-image-armmp.
 */
export const kernelDebs: DebSet = {
  id: 'linux-armmp',
  lockFile: path.join(HERE, 'linux-armmp.lock.json'),
  async resolve() {
    const meta = await debCandidate('linux-image-armmp', 'armhf');
    const image = /^(linux-image-[\w.-]+-armmp)\b/.exec(meta.depends)?.[1];
    if (!image) throw new Error(`cannot find the kernel image package in linux-image-armmp's Depends: ${meta.depends}`);
    return [{ name: image, arch: 'armhf' }];
  },
};

export interface Kernel {
  vmlinuz: string;
  /** lib/modules/<release> of the unpacked package. */
  modulesDir: string;
  release: string;
}

export async function prepareKernel(): Promise<Kernel> {
  const root = await unpackDebs(kernelDebs, path.join(paths.output, 'qemu'));
  const release = fs.readdirSync(path.join(root, 'lib/modules'))[0];
  return { vmlinuz: path.join(root, 'boot', `vmlinuz-${release}`), modulesDir: path.join(root, 'lib/modules', release), release };
}

/** A module's `depends=` from its .modinfo section (NUL-separated key=value strings). */
function moduleDepends(ko: string): string[] {
  const buf = fs.readFileSync(ko);
  const at = buf.indexOf('\0depends=');
  if (at < 0) return [];
  const end = buf.indexOf(0, at + 1);
  const value = buf.subarray(at + '\0depends='.length, end).toString();
  return value ? value.split(',') : [];
}

const norm = (name: string) => name.replace(/-/g, '_');

/**
 * The .ko files to load, dependencies first, for `wanted` modules; modules built into
 * the kernel are left out.
 */
export function moduleLoadOrder(k: Kernel, wanted: string[]): string[] {
  const builtin = new Set(
    fs.readFileSync(path.join(k.modulesDir, 'modules.builtin'), 'utf8').split('\n').map((l) => norm(path.basename(l, '.ko'))),
  );
  const files = new Map<string, string>();
  for (const rel of fs.readdirSync(path.join(k.modulesDir, 'kernel'), { recursive: true }) as string[])
    if (rel.endsWith('.ko')) files.set(norm(path.basename(rel, '.ko')), path.join(k.modulesDir, 'kernel', rel));
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    const n = norm(name);
    if (seen.has(n) || builtin.has(n)) return;
    seen.add(n);
    const file = files.get(n);
    if (!file) throw new Error(`kernel ${k.release} has no module ${name}`);
    for (const d of moduleDepends(file)) visit(d);
    order.push(file);
  };
  for (const w of wanted) visit(w);
  return order;
}
