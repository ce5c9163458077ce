// The YI's card: MBR with one FAT32 partition holding test/ (the stock hook's
// equip_test.sh and camfw), and the same tree as a zip.
import fs from 'node:fs';
import path from 'node:path';
import { checkFileBudget, checkTreeBudget, partitionLimit } from '../../scripts/lib/budgets.ts';
import { fixedId, installPrograms, overlay, populateCardDir, templateView, writeList, type Artifact, type CardInput } from '../../scripts/lib/card-parts.ts';
import { buildTrimmedHome, trimManifest } from '../../scripts/lib/firmware/home.ts';
import { makeMbrDisk } from '../../scripts/lib/images/disk.ts';
import { makeFat } from '../../scripts/lib/images/fat.ts';
import { normaliseTree } from '../../scripts/lib/images/tree.ts';
import { makeZip } from '../../scripts/lib/images/zip.ts';
import { log, step } from '../../scripts/lib/log.ts';
import type { CardTree } from '../../scripts/lib/manifest.ts';
import { paths } from '../../scripts/lib/paths.ts';
import { addVendorFiles } from '../../scripts/lib/vendor.ts';

/** The verbs of overlays/yi/stock-boot.json that the card's stock-boot.sh knows, with their argument counts. */
const STOCK_BOOT_VERBS: Record<string, [number, number]> = {
  loopback: [0, 0],
  insmod: [1, 1],
  network: [3, 3],
  mqueue: [0, 0],
  run: [1, 8],
  daemon: [1, 8],
  service: [1, 1],
  'wait-file': [2, 2],
};

/**
 * overlays/yi/stock-boot.json: the stock boot steps after the hook, checked (known verb,
 * argument count, plain arguments, a source) and as the card's tab-separated list.
 */
export function stockBootList(): string[] {
  const file = path.join(paths.overlays, 'yi', 'stock-boot.json');
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { steps: Array<{ do: string[]; source?: string }> };
  return data.steps.map((step, i) => {
    const [verb, ...args] = step.do;
    const where = `${path.relative(paths.root, file)}: step ${i + 1} (${JSON.stringify(step.do)})`;
    const counts = STOCK_BOOT_VERBS[verb];
    if (!counts) throw new Error(`${where}: unknown verb "${verb}"; the card knows ${Object.keys(STOCK_BOOT_VERBS).join(', ')}`);
    if (args.length < counts[0] || args.length > counts[1]) throw new Error(`${where}: "${verb}" takes ${counts[0]}-${counts[1]} arguments`);
    const bad = args.find((a) => !/^[A-Za-z0-9._/-]+$/.test(a));
    if (bad !== undefined) throw new Error(`${where}: argument "${bad}" is not a plain word or path (letters, digits, . _ / -)`);
    if (!step.source?.trim()) throw new Error(`${where}: no source: say where in ../shared/reference/yi.md the stock firmware does this`);
    return step.do.join('\t');
  });
}

export async function card(input: CardInput, tree: CardTree, out: string): Promise<Artifact[]> {
  const vendor = await addVendorFiles('yi', tree, input.vendorDir);
  overlay(templateView(input), tree, 'yi/card', '');
  populateCardDir(input, tree, 'test', false, vendor);
  // iwlist for the network page's scan (the stock firmware has none): test/usr/sbin/iwlist
  installPrograms(input, tree, 'test', false, input.camera.cardRecipes ?? []);
  // The trim list for overlay mode, from the same manifest firmware mode uses.
  writeList(tree, 'test/etc/camfw/home-trim.list', trimManifest().remove.map((r) => r.path), 'overlays/yi/home-trim.json');
  // The stock boot after the hook, which the card runs (etc/camfw/stock-boot.sh).
  writeList(tree, 'test/etc/camfw/stock-boot.list', stockBootList(), 'overlays/yi/stock-boot.json');
  if (input.stockHome) {
    // Firmware mode: the stock home, trimmed, on the card root for the bootloader to flash.
    const trim = await step('yi: trimmed home from the stock firmware', () =>
      buildTrimmedHome(input.stockHome!, path.join(tree.root, 'home'), path.join(out, 'work'), input.info.sourceDateEpoch, input.camera.budgets.home),
    );
    tree.record('home', { vendor: 'stock home, trimmed', known: false });
    log.info(`yi: home trimmed: removed ${trim.removed.join(', ') || 'nothing'}${trim.absent.length ? `; not in this firmware: ${trim.absent.join(', ')}` : ''}`);
  }
  normaliseTree(tree.root, input.info.sourceDateEpoch, tree.secrets);

  const sizeMiB = input.config.images.yiCardMiB;
  checkTreeBudget('yi card', tree.root, partitionLimit(input.camera.budgets.cardTree, sizeMiB));
  const sde = input.info.sourceDateEpoch;
  const fat = path.join(out, 'work', 'p1.vfat');
  await makeFat(tree.root, fat, { sizeMiB, label: 'CAMFW', volumeId: fixedId('yi', 'p1').slice(0, 8), fatBits: 32, sourceDateEpoch: sde });
  const img = path.join(out, 'camfw-yi.img');
  await makeMbrDisk(img, 0x79690000, [{ image: fat, type: 'c', sizeMiB }]);
  fs.rmSync(path.join(out, 'work'), { recursive: true, force: true });
  const zip = path.join(out, 'camfw-yi.zip');
  await makeZip(tree.root, zip, sde);
  checkFileBudget('yi zip', zip, input.camera.budgets.zip);
  return [
    { file: img, what: 'SD card image: MBR, one FAT32 partition holding the card tree' },
    { file: zip, what: 'the card tree, to unpack onto a FAT32-formatted card' },
  ];
}
