// The Xiaofang's card: MBR with p1 vfat (snx_autorun.sh, bootstrap/) and p2 ext2 (data/).
import fs from 'node:fs';
import path from 'node:path';
import { checkTreeBudget, partitionLimit } from '../../scripts/lib/budgets.ts';
import { fixedId, installPrograms, overlay, populateCardDir, templateView, writeList, type Artifact, type CardInput } from '../../scripts/lib/card-parts.ts';
import { makeMbrDisk } from '../../scripts/lib/images/disk.ts';
import { makeExt2 } from '../../scripts/lib/images/ext2.ts';
import { makeFat } from '../../scripts/lib/images/fat.ts';
import { normaliseTree } from '../../scripts/lib/images/tree.ts';
import type { CardTree } from '../../scripts/lib/manifest.ts';
import { paths } from '../../scripts/lib/paths.ts';
import { addVendorFiles } from '../../scripts/lib/vendor.ts';

/** overlays/fang/cloud-stop.json: the stock cloud programs camfw stops on the Xiaofang. */
export function cloudStopManifest(): { processes: Array<{ name: string; why: string }>; modules: Array<{ name: string; why: string }> } {
  return JSON.parse(fs.readFileSync(path.join(paths.overlays, 'fang', 'cloud-stop.json'), 'utf8'));
}

export async function card(input: CardInput, tree: CardTree, out: string): Promise<Artifact[]> {
  const p1 = path.join(tree.root, 'p1');
  const p2 = path.join(tree.root, 'p2');
  const vendor = await addVendorFiles('fang', tree, input.vendorDir);
  const view = templateView(input);
  overlay(view, tree, 'fang/p1', 'p1');
  // e2fsck and resize2fs (bootstrap/sbin/): p1 is the partition that is not in use while
  // bootstrap/grow-data.sh grows p2, and it stays readable whatever happened to p2
  installPrograms(input, tree, 'p1/bootstrap', false, input.camera.cardRecipes ?? []);
  populateCardDir(input, tree, 'p2/data', true, vendor);
  overlay(view, tree, 'fang/p2', 'p2');
  const cloud = cloudStopManifest();
  writeList(tree, 'p2/data/etc/camfw/cloud-stop.list', cloud.processes.map((p) => p.name), 'overlays/fang/cloud-stop.json');
  writeList(tree, 'p2/data/etc/camfw/cloud-stop.modules', cloud.modules.map((m) => m.name), 'overlays/fang/cloud-stop.json');
  normaliseTree(tree.root, input.info.sourceDateEpoch, tree.secrets);

  const { fangBootMiB, fangDataMiB } = input.config.images;
  checkTreeBudget('fang p1 (vfat)', p1, partitionLimit(input.camera.budgets.bootTree, fangBootMiB));
  checkTreeBudget('fang p2 (ext2)', p2, partitionLimit(input.camera.budgets.dataTree, fangDataMiB));
  const sde = input.info.sourceDateEpoch;
  const id = fixedId('fang', 'ext2');
  const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
  const p1img = path.join(out, 'work', 'p1.vfat');
  const p2img = path.join(out, 'work', 'p2.ext2');
  await makeFat(p1, p1img, { sizeMiB: fangBootMiB, label: 'CAMFW', volumeId: fixedId('fang', 'p1').slice(0, 8), fatBits: 32, sourceDateEpoch: sde });
  await makeExt2(p2, p2img, { sizeMiB: fangDataMiB, label: 'camfw-data', uuid, sourceDateEpoch: sde });
  const img = path.join(out, 'camfw-fang.img');
  await makeMbrDisk(img, 0x66616e67, [
    { image: p1img, type: 'c', sizeMiB: fangBootMiB },
    { image: p2img, type: '83', sizeMiB: fangDataMiB },
  ]);
  fs.rmSync(path.join(out, 'work'), { recursive: true, force: true });
  return [{ file: img, what: 'SD card image: MBR, p1 vfat (snx_autorun.sh, bootstrap/), p2 ext2 (data/)' }];
}
