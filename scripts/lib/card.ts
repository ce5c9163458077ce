import fs from 'node:fs';
import path from 'node:path';
import type { Toolchain } from '../../toolchain/types.ts';
import type { BuildInfo } from './build-info.ts';
import { buildOrder, type BuiltRecipe } from './builder.ts';
import type { Camera } from './cameras.ts';
import { BUDGETS, checkFileBudget, checkTreeBudget, partitionLimit } from './budgets.ts';
import { configFiles, WEB_REALM } from './card-config.ts';
import type { CamfwConfig } from './config.ts';
import { redactConfig } from './config.ts';
import { sha256File } from './hash.ts';
import { makeMbrDisk } from './images/disk.ts';
import { makeExt2 } from './images/ext2.ts';
import { makeFat } from './images/fat.ts';
import { normaliseTree } from './images/tree.ts';
import { makeZip } from './images/zip.ts';
import { writeLicenses } from './licenses.ts';
import { withLock } from './lock.ts';
import { log, step } from './log.ts';
import { buildTrimmedHome, trimManifest } from './firmware/home.ts';
import { CardTree, manifestOf } from './manifest.ts';
import { addVendorFiles, type VendorStatus } from './vendor.ts';
import { applyOverlay } from './overlay.ts';
import { paths } from './paths.ts';

/** overlays/fang/cloud-stop.json: the stock cloud programs camfw stops on the Xiaofang. */
export function cloudStopManifest(): { processes: Array<{ name: string; why: string }>; modules: Array<{ name: string; why: string }> } {
  return JSON.parse(fs.readFileSync(path.join(paths.overlays, 'fang', 'cloud-stop.json'), 'utf8'));
}

/** The verbs of overlays/yi/stock-boot.json that the card's stock-boot.sh knows, with their argument counts. */
const STOCK_BOOT_VERBS: Record<string, [number, number]> = {
  loopback: [0, 0],
  insmod: [1, 1],
  network: [3, 3],
  mqueue: [0, 0],
  run: [1, 8],
  daemon: [1, 8],
  'vendor-daemon': [1, 1],
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

/** Where the card directory is on each running camera. */
const CARD_DIRS: Record<string, string> = { fang: '/media/mmcblk0p2/data', yi: '/home/hd1/test' };

/** The recipes whose programs go on every card. */
export const CARD_RECIPES = ['busybox', 'lighttpd', 'avworker-min'];

export interface CardInput {
  camera: Camera;
  tc: Toolchain;
  built: Map<string, BuiltRecipe>;
  info: BuildInfo;
  config: CamfwConfig;
  /** The web UI password: from the configuration, or generated for this build. */
  webPassword: string;
  /** Where the user keeps the camera's proprietary files (--vendor-dir). */
  vendorDir?: string;
  /** yi firmware mode: the stock home image or extracted tree (--stock-home). */
  stockHome?: string;
}

/** output/<model>/build.json: what was built, for users and for the tests. */
export interface CardRecord {
  model: string;
  version: string;
  revision: string;
  sourceDateEpoch: number;
  toolchain: string;
  artifacts: string[];
}

export function readCardRecord(model: string): CardRecord {
  const file = path.join(paths.model(model), 'build.json');
  if (!fs.existsSync(file)) throw new Error(`no ${model} card in ${paths.model(model)}: run \`npm run build:${model}\` first`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CardRecord;
}

export interface Artifact {
  file: string;
  what: string;
}

/**
 * Copies the card recipes' programs into `sub` of the card at their staging paths. With
 * `symlinks`, the staging tree's links to those programs come too (busybox applets).
 */
function installPrograms(input: CardInput, tree: CardTree, sub: string, symlinks: boolean): void {
  const dest = path.join(tree.root, sub);
  for (const name of CARD_RECIPES) {
    const b = input.built.get(name);
    if (!b) throw new Error(`card needs recipe ${name}, which was not built`);
    const patches = buildOrder([name]).flatMap((r) => (r.debianPatches?.apply ?? []).map((a) => `${r.name}: ${a.name}`));
    const origin = { recipe: name, version: b.recipe.version, ...(patches.length ? { patches } : {}) };
    const programs = b.recipe.programs.map((p) => p.path);
    for (const rel of programs) {
      fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
      fs.copyFileSync(path.join(b.stageDir, rel), path.join(dest, rel));
      fs.chmodSync(path.join(dest, rel), 0o755);
      tree.record(path.posix.join(sub, rel), origin);
    }
    if (!symlinks) continue;
    for (const rel of fs.readdirSync(b.stageDir, { recursive: true }) as string[]) {
      const abs = path.join(b.stageDir, rel);
      if (!fs.lstatSync(abs).isSymbolicLink()) continue;
      const target = fs.readlinkSync(abs);
      if (path.isAbsolute(target)) throw new Error(`${name}: ${rel} is an absolute symlink; cards need relative links`);
      if (!programs.includes(path.posix.normalize(path.posix.join(path.posix.dirname(rel), target)))) continue;
      fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
      fs.symlinkSync(target, path.join(dest, rel));
      tree.record(path.posix.join(sub, rel), origin);
    }
  }
}

function templateView(input: CardInput, vendor: VendorStatus[]): Record<string, unknown> {
  const { camera, tc, info } = input;
  const missing = vendor.filter((v) => v.state === 'missing');
  return {
    vendorMissing: missing.map((v) => ({ ...v, where: `${CARD_DIRS[camera.id]}/${v.path}` })),
    hasVendorMissing: missing.length > 0,
    vendorPresent: vendor.filter((v) => v.state !== 'missing').map((v) => ({ ...v, unknown: v.state === 'unknown' })),
    model: camera.id,
    cameraName: camera.name,
    soc: camera.soc,
    kernel: camera.kernel,
    version: info.version,
    revision: info.revision,
    buildDate: new Date(info.sourceDateEpoch * 1000).toISOString().replace('.000Z', 'Z'),
    toolchain: tc.id,
    libc: tc.libc,
    networkNote: input.config.wifi ? camera.network.withWifi : camera.network.withoutWifi,
    webRealm: WEB_REALM,
  };
}

/** Applies overlays/<overlay> into `sub` of the card, recording each file's origin. */
function overlay(view: Record<string, unknown>, tree: CardTree, overlayDir: string, sub: string): void {
  applyOverlay(path.join(paths.overlays, overlayDir), path.join(tree.root, sub), view, (rel, from) =>
    tree.record(path.posix.join(sub, rel), { overlay: path.relative(paths.root, from) }),
  );
}

/** The programs, common files and configuration for one card directory (fang: p2/data, yi: test). */
export function populateCardDir(input: CardInput, tree: CardTree, sub: string, symlinks: boolean, vendor: VendorStatus[] = []): void {
  installPrograms(input, tree, sub, symlinks);
  overlay(templateView(input, vendor), tree, 'common', sub);
  for (const f of configFiles(input.config, input.camera.id, input.webPassword)) {
    const rel = path.posix.join(sub, f.rel);
    fs.mkdirSync(path.dirname(path.join(tree.root, rel)), { recursive: true });
    fs.writeFileSync(path.join(tree.root, rel), f.content);
    tree.record(rel, { config: f.what }, f.secret);
  }
}

/** A one-name-per-line list for the camera's scripts, made from a JSON manifest under overlays/. */
function writeList(tree: CardTree, rel: string, names: string[], manifest: string): void {
  fs.writeFileSync(path.join(tree.root, rel), names.join('\n') + '\n');
  tree.record(rel, { overlay: manifest });
}

/** Fixed per-model ids, so that the same inputs give the same image bytes. */
function fixedId(model: string, what: string): string {
  return Buffer.from(`${model}:${what}`).toString('hex').padEnd(32, '0').slice(0, 32);
}

async function fangCard(input: CardInput, tree: CardTree, out: string): Promise<Artifact[]> {
  const p1 = path.join(tree.root, 'p1');
  const p2 = path.join(tree.root, 'p2');
  const vendor = await addVendorFiles('fang', tree, input.vendorDir);
  const view = templateView(input, vendor);
  overlay(view, tree, 'fang/p1', 'p1');
  populateCardDir(input, tree, 'p2/data', true, vendor);
  // data/.resize is the marker that offers growing p2 to the card's size on the camera
  overlay(view, tree, 'fang/p2', 'p2');
  const cloud = cloudStopManifest();
  writeList(tree, 'p2/data/etc/camfw/cloud-stop.list', cloud.processes.map((p) => p.name), 'overlays/fang/cloud-stop.json');
  writeList(tree, 'p2/data/etc/camfw/cloud-stop.modules', cloud.modules.map((m) => m.name), 'overlays/fang/cloud-stop.json');
  normaliseTree(tree.root, input.info.sourceDateEpoch, tree.secrets);

  const { fangBootMiB, fangDataMiB } = input.config.images;
  checkTreeBudget('fang p1 (vfat)', p1, partitionLimit(BUDGETS.fangBootTree, fangBootMiB));
  checkTreeBudget('fang p2 (ext2)', p2, partitionLimit(BUDGETS.fangDataTree, fangDataMiB));
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

async function yiCard(input: CardInput, tree: CardTree, out: string): Promise<Artifact[]> {
  const vendor = await addVendorFiles('yi', tree, input.vendorDir);
  overlay(templateView(input, vendor), tree, 'yi/card', '');
  populateCardDir(input, tree, 'test', false, vendor);
  // The trim list for overlay mode, from the same manifest firmware mode uses.
  writeList(tree, 'test/etc/camfw/home-trim.list', trimManifest().remove.map((r) => r.path), 'overlays/yi/home-trim.json');
  // The stock boot after the hook, which the card runs (etc/camfw/stock-boot.sh).
  writeList(tree, 'test/etc/camfw/stock-boot.list', stockBootList(), 'overlays/yi/stock-boot.json');
  if (input.stockHome) {
    // Firmware mode: the stock home, trimmed, on the card root for the bootloader to flash.
    const trim = await step('yi: trimmed home from the stock firmware', () =>
      buildTrimmedHome(input.stockHome!, path.join(tree.root, 'home'), path.join(out, 'work'), input.info.sourceDateEpoch),
    );
    tree.record('home', { vendor: 'stock home, trimmed', known: false });
    log.info(`yi: home trimmed: removed ${trim.removed.join(', ') || 'nothing'}${trim.absent.length ? `; not in this firmware: ${trim.absent.join(', ')}` : ''}`);
  }
  normaliseTree(tree.root, input.info.sourceDateEpoch, tree.secrets);

  const sizeMiB = input.config.images.yiCardMiB;
  checkTreeBudget('yi card', tree.root, partitionLimit(BUDGETS.yiCardTree, sizeMiB));
  const sde = input.info.sourceDateEpoch;
  const fat = path.join(out, 'work', 'p1.vfat');
  await makeFat(tree.root, fat, { sizeMiB, label: 'CAMFW', volumeId: fixedId('yi', 'p1').slice(0, 8), fatBits: 32, sourceDateEpoch: sde });
  const img = path.join(out, 'camfw-yi.img');
  await makeMbrDisk(img, 0x79690000, [{ image: fat, type: 'c', sizeMiB }]);
  fs.rmSync(path.join(out, 'work'), { recursive: true, force: true });
  const zip = path.join(out, 'camfw-yi.zip');
  await makeZip(tree.root, zip, sde);
  checkFileBudget('yi zip', zip, BUDGETS.yiZip);
  return [
    { file: img, what: 'SD card image: MBR, one FAT32 partition holding the card tree' },
    { file: zip, what: 'the card tree, to unpack onto a FAT32-formatted card' },
  ];
}

/**
 * Assembles the card for `input.camera` under output/<model>/: the artifacts, SHA256SUMS,
 * manifest.json (every file on the card and where it came from), licenses/ and build.json.
 */
export async function buildCard(input: CardInput): Promise<Artifact[]> {
  return withLock(`${paths.model(input.camera.id)}.lock`, `the ${input.camera.id} card`, () => writeCard(input));
}

async function writeCard(input: CardInput): Promise<Artifact[]> {
  const out = paths.model(input.camera.id);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const tree = new CardTree(path.join(out, 'tree'));
  const artifacts = await step(`${input.camera.id}: card images`, () =>
    input.camera.id === 'fang' ? fangCard(input, tree, out) : yiCard(input, tree, out),
  );
  const sums = await Promise.all(artifacts.map(async (a) => `${await sha256File(a.file)}  ${path.basename(a.file)}`));
  fs.writeFileSync(path.join(out, 'SHA256SUMS'), sums.join('\n') + '\n');
  const manifest = {
    model: input.camera.id,
    version: input.info.version,
    revision: input.info.revision,
    toolchain: input.tc.id,
    config: redactConfig(input.config),
    files: await manifestOf(tree),
  };
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  await writeLicenses(path.join(out, 'licenses'), CARD_RECIPES.map((n) => input.built.get(n)!.recipe), input.tc);
  const record: CardRecord = {
    model: input.camera.id,
    version: input.info.version,
    revision: input.info.revision,
    sourceDateEpoch: input.info.sourceDateEpoch,
    toolchain: input.tc.id,
    artifacts: artifacts.map((a) => path.basename(a.file)),
  };
  fs.writeFileSync(path.join(out, 'build.json'), JSON.stringify(record, null, 2) + '\n');
  return artifacts;
}
