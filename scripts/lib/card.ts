import fs from 'node:fs';
import path from 'node:path';
import type { Toolchain } from '../../toolchain/types.ts';
import type { BuildInfo } from './build-info.ts';
import type { BuiltRecipe } from './builder.ts';
import type { Camera } from './cameras.ts';
import { makeExt2 } from './images/ext2.ts';
import { makeFat } from './images/fat.ts';
import { makeMbrDisk } from './images/disk.ts';
import { normaliseTree } from './images/tree.ts';
import { makeZip } from './images/zip.ts';
import { applyOverlay } from './overlay.ts';
import { paths } from './paths.ts';
import type { BuildOptions } from './recipe.ts';
import { sha256File } from './hash.ts';
import { step } from './log.ts';
import { withLock } from './lock.ts';
import type { CamfwConfig } from './config.ts';
import { configFiles, WEB_REALM, writeConfigFiles } from './card-config.ts';

/** The recipes whose programs go on every card. */
export const CARD_RECIPES = ['busybox', 'lighttpd', 'avworker-min'];

export interface CardInput {
  camera: Camera;
  tc: Toolchain;
  built: Map<string, BuiltRecipe>;
  info: BuildInfo;
  options: BuildOptions;
  config: CamfwConfig;
  /** The web UI password: from the configuration, or generated for this build. */
  webPassword: string;
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
 * Copies the card recipes' programs into `dest` at their staging paths. With
 * `symlinks`, the staging tree's links to those programs come too (busybox applets).
 */
export function installPrograms(input: CardInput, dest: string, symlinks: boolean): void {
  for (const name of CARD_RECIPES) {
    const b = input.built.get(name);
    if (!b) throw new Error(`card needs recipe ${name}, which was not built`);
    const programs = b.recipe.programs(input.options).map((p) => p.path);
    for (const rel of programs) {
      fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
      fs.copyFileSync(path.join(b.stageDir, rel), path.join(dest, rel));
      fs.chmodSync(path.join(dest, rel), 0o755);
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
    }
  }
}

function templateView(input: CardInput): Record<string, unknown> {
  const { camera, tc, info } = input;
  return {
    model: camera.id,
    cameraName: camera.name,
    soc: camera.soc,
    kernel: camera.kernel,
    version: info.version,
    revision: info.revision,
    buildDate: new Date(info.sourceDateEpoch * 1000).toISOString().replace('.000Z', 'Z'),
    toolchain: tc.id,
    libc: tc.libc,
    webPort: input.config.web.port,
    webRealm: WEB_REALM,
  };
}

/**
 * The programs, common files and configuration for one card directory (fang: data/,
 * yi: test/). Returns the secret files' paths relative to the directory.
 */
export function populateCardDir(input: CardInput, dir: string, symlinks: boolean): string[] {
  installPrograms(input, dir, symlinks);
  applyOverlay(path.join(paths.overlays, 'common'), dir, templateView(input));
  const files = configFiles(input.config, input.camera.id, input.webPassword);
  writeConfigFiles(dir, files);
  return files.filter((f) => f.secret).map((f) => f.rel);
}

/** Fixed per-model ids, so that the same inputs give the same image bytes. */
function fixedId(model: string, what: string): string {
  return Buffer.from(`${model}:${what}`).toString('hex').padEnd(32, '0').slice(0, 32);
}

async function fangCard(input: CardInput, out: string): Promise<Artifact[]> {
  const tree = path.join(out, 'tree');
  const p1 = path.join(tree, 'p1');
  const p2 = path.join(tree, 'p2');
  applyOverlay(path.join(paths.overlays, 'fang', 'p1'), p1, templateView(input));
  const secrets = populateCardDir(input, path.join(p2, 'data'), true);
  normaliseTree(p1, input.info.sourceDateEpoch);
  normaliseTree(p2, input.info.sourceDateEpoch, new Set(secrets.map((s) => `data/${s}`)));
  const { fangBootMiB, fangDataMiB } = input.config.images;

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

async function yiCard(input: CardInput, out: string): Promise<Artifact[]> {
  const tree = path.join(out, 'tree');
  applyOverlay(path.join(paths.overlays, 'yi'), tree, templateView(input));
  const secrets = populateCardDir(input, path.join(tree, 'test'), false);
  normaliseTree(tree, input.info.sourceDateEpoch, new Set(secrets.map((s) => `test/${s}`)));

  const sde = input.info.sourceDateEpoch;
  const sizeMiB = input.config.images.yiCardMiB;
  const fat = path.join(out, 'work', 'p1.vfat');
  await makeFat(tree, fat, { sizeMiB, label: 'CAMFW', volumeId: fixedId('yi', 'p1').slice(0, 8), fatBits: 32, sourceDateEpoch: sde });
  const img = path.join(out, 'camfw-yi.img');
  await makeMbrDisk(img, 0x79690000, [{ image: fat, type: 'c', sizeMiB }]);
  fs.rmSync(path.join(out, 'work'), { recursive: true, force: true });
  const zip = path.join(out, 'camfw-yi.zip');
  await makeZip(tree, zip, sde);
  return [
    { file: img, what: 'SD card image: MBR, one FAT32 partition holding the card tree' },
    { file: zip, what: 'the card tree, to unpack onto a FAT32-formatted card' },
  ];
}

/** Assembles the card for `input.camera` under output/<model>/ and writes SHA256SUMS. */
export async function buildCard(input: CardInput): Promise<Artifact[]> {
  return withLock(`card-${input.camera.id}`, () => writeCard(input));
}

async function writeCard(input: CardInput): Promise<Artifact[]> {
  const out = paths.model(input.camera.id);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const artifacts = await step(`${input.camera.id}: card images`, () =>
    input.camera.id === 'fang' ? fangCard(input, out) : yiCard(input, out),
  );
  const sums = await Promise.all(artifacts.map(async (a) => `${await sha256File(a.file)}  ${path.basename(a.file)}`));
  fs.writeFileSync(path.join(out, 'SHA256SUMS'), sums.join('\n') + '\n');
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
