import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { debCandidate } from '../../scripts/lib/debian.ts';
import type { DebSet } from '../../scripts/lib/deb-lock.ts';

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
