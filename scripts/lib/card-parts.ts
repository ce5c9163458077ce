// What every card is made of, for the cameras' own layouts (overlays/<model>/card.ts):
// the card recipes' programs, the common overlay, the configuration's files, lists made
// from camfw's data, and the fixed ids that keep images reproducible.
import fs from 'node:fs';
import path from 'node:path';
import type { Toolchain } from '../../toolchain/types.ts';
import type { BuildInfo } from './build-info.ts';
import { buildOrder, type BuiltRecipe } from './builder.ts';
import { CAMERAS, MODEL_IDS, type Camera } from './cameras.ts';
import { configFiles } from './card-config.ts';
import type { CamfwConfig } from './config.ts';
import type { CardTree } from './manifest.ts';
import type { VendorStatus } from './vendor.ts';
import { applyOverlay } from './overlay.ts';
import { paths } from './paths.ts';

/** The recipes whose programs go on every card. */
export const CARD_RECIPES = ['busybox', 'lighttpd', 'avworker-min', 'camfw-api', 'webui', 'dropbear'];

/** The recipes whose programs go on `camera`'s card: every card's, then its own (camera.ts `cardRecipes`). */
export function cardRecipes(camera: Camera): string[] {
  return [...CARD_RECIPES, ...(camera.cardRecipes ?? [])];
}

/** The recipes of every camera's card: what a build of all the cards compiles for one toolchain. */
export function allCardRecipes(): string[] {
  return [...new Set(MODEL_IDS.flatMap((m) => cardRecipes(CAMERAS[m])))];
}

export interface CardInput {
  camera: Camera;
  tc: Toolchain;
  built: Map<string, BuiltRecipe>;
  info: BuildInfo;
  config: CamfwConfig;
  /** Where the user keeps the camera's proprietary files (--vendor-dir). */
  vendorDir?: string;
  /** yi firmware mode: the stock home image or extracted tree (--stock-home). */
  stockHome?: string;
}

export interface Artifact {
  file: string;
  what: string;
}

/**
 * Copies the programs (and other files, the web UI) of the recipes `names` (every card's by
 * default) into `sub` of the card at their staging paths. With `symlinks`, the staging
 * tree's links to those programs come too (busybox applets).
 */
export function installPrograms(input: CardInput, tree: CardTree, sub: string, symlinks: boolean, names: string[] = CARD_RECIPES): void {
  const dest = path.join(tree.root, sub);
  for (const name of names) {
    const b = input.built.get(name);
    if (!b) throw new Error(`card needs recipe ${name}, which was not built`);
    const patches = buildOrder([name]).flatMap((r) => (r.debianPatches?.apply ?? []).map((a) => `${r.name}: ${a.name}`));
    const origin = { recipe: name, version: b.recipe.version, ...(patches.length ? { patches } : {}) };
    const programs = b.recipe.programs.map((p) => p.path);
    for (const rel of [...programs, ...(b.recipe.files ?? [])]) {
      fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
      fs.copyFileSync(path.join(b.stageDir, rel), path.join(dest, rel));
      fs.chmodSync(path.join(dest, rel), programs.includes(rel) ? 0o755 : 0o644);
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

export function templateView(input: CardInput): Record<string, unknown> {
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
  };
}

/**
 * etc/camfw/card.json, what the web UI's status page says about the card (camfw-api sends
 * it as it is), and etc/camfw/vendor-files, the camera's own programs the card can carry
 * (PATH, WHAT and whether the build had it, tab-separated), which camfw-api looks for on
 * the card each time: the owner may copy one there later.
 */
function cardInfoFiles(input: CardInput, vendor: VendorStatus[]): Array<{ rel: string; content: string; from: string }> {
  const { camera, config } = input;
  const info = {
    ...templateView(input),
    cardDir: camera.cardDir,
    network: config.wifi ? camera.network.withWifi : camera.network.withoutWifi,
  };
  const clean = (s: string) => s.replace(/[\t\n]/g, ' ');
  return [
    { rel: 'etc/camfw/card.json', content: JSON.stringify(info, null, 1) + '\n', from: `overlays/${camera.id}/camera.ts` },
    { rel: 'etc/camfw/vendor-files', content: vendor.map((v) => `${clean(v.path)}\t${clean(v.what)}\t${v.state}\n`).join(''), from: `overlays/${camera.id}/vendor.json` },
  ];
}

/** Applies overlays/<overlay> into `sub` of the card, recording each file's origin. */
export function overlay(view: Record<string, unknown>, tree: CardTree, overlayDir: string, sub: string): void {
  applyOverlay(path.join(paths.overlays, overlayDir), path.join(tree.root, sub), view, (rel, from) =>
    tree.record(path.posix.join(sub, rel), { overlay: path.relative(paths.root, from) }),
  );
}

/** The programs, common files and configuration for one card directory (fang: p2/data, yi: test). */
export function populateCardDir(input: CardInput, tree: CardTree, sub: string, symlinks: boolean, vendor: VendorStatus[] = []): void {
  installPrograms(input, tree, sub, symlinks);
  overlay(templateView(input), tree, 'common', sub);
  const write = (rel: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(tree.root, rel)), { recursive: true });
    fs.writeFileSync(path.join(tree.root, rel), content);
  };
  for (const f of configFiles(input.config, input.camera)) {
    write(path.posix.join(sub, f.rel), f.content);
    tree.record(path.posix.join(sub, f.rel), { config: f.what }, f.secret);
  }
  for (const f of cardInfoFiles(input, vendor)) {
    write(path.posix.join(sub, f.rel), f.content);
    tree.record(path.posix.join(sub, f.rel), { overlay: f.from });
  }
}

/** A one-name-per-line list for the camera's scripts, made from a JSON manifest under overlays/. */
export function writeList(tree: CardTree, rel: string, names: string[], manifest: string): void {
  fs.writeFileSync(path.join(tree.root, rel), names.join('\n') + '\n');
  tree.record(rel, { overlay: manifest });
}

/** Fixed per-model ids, so that the same inputs give the same image bytes. */
export function fixedId(model: string, what: string): string {
  return Buffer.from(`${model}:${what}`).toString('hex').padEnd(32, '0').slice(0, 32);
}
