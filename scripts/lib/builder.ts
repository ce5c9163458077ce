import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Toolchain } from '../../toolchain/types.ts';
import { RECIPES } from '../../recipes/index.ts';
import { sha256 } from './hash.ts';
import { withLock } from './lock.ts';
import { log, step } from './log.ts';
import { paths } from './paths.ts';
import type { BuildContext, BuildOptions, Recipe } from './recipe.ts';
import { run } from './run.ts';
import { fetchSource } from './sources.ts';

export interface BuiltRecipe {
  recipe: Recipe;
  /** The recipe's install tree. */
  stageDir: string;
  key: string;
  /** False when the cache was up to date. */
  rebuilt: boolean;
}

const KEY_FILE = '.camfw-key';
/** Shared build code whose change must rebuild every recipe. */
const SHARED_INPUTS = [path.join(paths.root, 'scripts/lib/builders.ts'), path.join(paths.root, 'scripts/lib/builder.ts')];

export function findRecipe(name: string): Recipe {
  const r = RECIPES.find((x) => x.name === name);
  if (!r) throw new Error(`unknown recipe "${name}": known recipes are ${RECIPES.map((x) => x.name).join(', ')}`);
  return r;
}

/** The recipes to build, dependencies first. */
export function buildOrder(names: string[]): Recipe[] {
  const order: Recipe[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, from: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`recipe dependency cycle: ${[...from, name].join(' -> ')}`);
    state.set(name, 'visiting');
    const r = findRecipe(name);
    for (const d of r.depends ?? []) visit(d, [...from, name]);
    state.set(name, 'done');
    order.push(r);
  };
  for (const n of names) visit(n, []);
  return order;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
}

export function recipeDir(r: Recipe): string {
  return path.join(paths.recipes, r.name);
}

/** Hash of every input that can change what a recipe produces. */
export function recipeKey(r: Recipe, tc: Toolchain, options: BuildOptions, depKeys: string[]): string {
  const files = [...filesUnder(recipeDir(r)), ...SHARED_INPUTS].map((f) => `${path.relative(paths.root, f)}:${sha256(fs.readFileSync(f))}`);
  const usedOptions = Object.fromEntries((r.usesOptions ?? []).map((k) => [k, options[k]]));
  return sha256(
    JSON.stringify({ name: r.name, version: r.version, source: r.source?.sha256 ?? null, files, toolchain: tc.identity, options: usedOptions, deps: depKeys }),
  ).slice(0, 16);
}

export function stageDir(tc: Toolchain, name: string): string {
  return path.join(paths.stage, tc.id, name);
}

/**
 * The date a recipe's source is from: the newest file in an upstream tarball, or the last
 * commit of our own recipe directory. Builds that stamp a date (BusyBox's banner) use it
 * through SOURCE_DATE_EPOCH, so it never comes from the clock.
 */
async function sourceDate(r: Recipe, srcDir: string): Promise<number> {
  if (!r.source) {
    const git = await run(['git', '-C', paths.root, 'log', '-1', '--format=%ct', '--', path.relative(paths.root, recipeDir(r))], { allowFail: true });
    return Number(git.stdout.trim()) || 0;
  }
  let newest = 0;
  for (const rel of fs.readdirSync(srcDir, { recursive: true }) as string[]) newest = Math.max(newest, fs.lstatSync(path.join(srcDir, rel)).mtimeMs);
  return Math.floor(newest / 1000);
}

function crossEnv(tc: Toolchain, sourceDateEpoch: number): Record<string, string> {
  const p = tc.crossPrefix;
  return {
    TZ: 'UTC',
    LC_ALL: 'C',
    SOURCE_DATE_EPOCH: String(sourceDateEpoch),
    CROSS_COMPILE: p,
    CC: `${p}gcc`,
    CPP: `${p}cpp`,
    AR: `${p}ar`,
    AS: `${p}as`,
    LD: `${p}ld`,
    NM: `${p}nm`,
    RANLIB: `${p}ranlib`,
    STRIP: `${p}strip`,
    OBJCOPY: `${p}objcopy`,
    READELF: `${p}readelf`,
    CFLAGS: ['-Os', '-pipe', '-ffunction-sections', '-fdata-sections', ...tc.reproducibleCflags].join(' '),
    LDFLAGS: '-static -Wl,--gc-sections',
  };
}

async function buildOne(r: Recipe, tc: Toolchain, options: BuildOptions, key: string, jobs: number): Promise<void> {
  const work = path.join(paths.build, tc.id, r.name);
  const srcDir = path.join(work, 'src');
  const sysroot = path.join(work, 'sysroot');
  const buildDir = path.join(work, 'build');
  const dest = stageDir(tc, r.name);
  const destTmp = `${dest}.tmp-${process.pid}`;
  const logDir = path.join(paths.logs, tc.id, r.name);
  // We hold this recipe's lock: leftovers of an interrupted build are ours to remove.
  const stale = fs.existsSync(path.dirname(dest)) ? fs.readdirSync(path.dirname(dest)).filter((f) => f.startsWith(`${r.name}.tmp-`)) : [];
  for (const d of [work, logDir, ...stale.map((f) => path.join(path.dirname(dest), f))]) fs.rmSync(d, { recursive: true, force: true });
  for (const d of [srcDir, buildDir, destTmp, logDir, sysroot]) fs.mkdirSync(d, { recursive: true });
  for (const dep of buildOrder(r.depends ?? [])) fs.cpSync(stageDir(tc, dep.name), sysroot, { recursive: true, verbatimSymlinks: true });
  fs.rmSync(path.join(sysroot, KEY_FILE), { force: true });

  if (r.source) {
    const archive = await fetchSource(r.source);
    await run(['tar', '-xf', archive, '-C', srcDir, '--strip-components=1'], { logFile: path.join(logDir, 'extract.log') });
  } else {
    fs.cpSync(recipeDir(r), srcDir, { recursive: true });
  }
  const env = {
    ...crossEnv(tc, await sourceDate(r, srcDir)),
    PKG_CONFIG_LIBDIR: path.join(sysroot, 'usr/lib/pkgconfig'),
    PKG_CONFIG_SYSROOT_DIR: sysroot,
    PKG_CONFIG_PATH: '',
  };
  const ctx: BuildContext = {
    tc,
    options,
    srcDir,
    buildDir,
    destDir: destTmp,
    recipeDir: recipeDir(r),
    sysroot,
    jobs,
    env,
    run: (stepName, argv, opts = {}) =>
      step(`${r.name}: ${stepName}`, () =>
        run(argv, { cwd: buildDir, ...opts, env: { ...env, ...opts.env }, logFile: path.join(logDir, `${stepName}.log`) }),
      ),
  };
  await r.build(ctx);
  for (const prog of r.programs(options)) {
    const file = path.join(destTmp, prog.path);
    if (!fs.existsSync(file)) throw new Error(`recipe ${r.name} did not install ${prog.path} (looked in ${destTmp})`);
    await run([`${tc.crossPrefix}strip`, '--strip-all', file]);
  }
  fs.writeFileSync(path.join(destTmp, KEY_FILE), `${key}\n`);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.renameSync(destTmp, dest);
  fs.rmSync(work, { recursive: true, force: true });
}

/** Every recipe to build for `names`, dependencies first, with its cache key. */
export function planBuild(names: string[], tc: Toolchain, options: BuildOptions): Array<{ recipe: Recipe; key: string }> {
  const keys = new Map<string, string>();
  return buildOrder(names).map((recipe) => {
    const key = recipeKey(recipe, tc, options, (recipe.depends ?? []).map((d) => keys.get(d)!));
    keys.set(recipe.name, key);
    return { recipe, key };
  });
}

/**
 * Builds `names` and their dependencies with toolchain `tc`, each into its own staging
 * tree, skipping every recipe whose inputs hash to the key its tree was built with.
 */
export async function buildRecipes(names: string[], tc: Toolchain, options: BuildOptions, jobs = os.availableParallelism()): Promise<Map<string, BuiltRecipe>> {
  const built = new Map<string, BuiltRecipe>();
  for (const { recipe: r, key } of planBuild(names, tc, options)) {
    const dir = stageDir(tc, r.name);
    const rebuilt = await withLock(`build-${tc.id}-${r.name}`, async () => {
      const have = fs.existsSync(path.join(dir, KEY_FILE)) ? fs.readFileSync(path.join(dir, KEY_FILE), 'utf8').trim() : '';
      if (have === key) return false;
      await step(`${r.name} ${r.version} [${tc.id}]`, () => buildOne(r, tc, options, key, jobs));
      return true;
    });
    if (!rebuilt) log.info(`${r.name} ${r.version} [${tc.id}]: up to date (key ${key})`);
    built.set(r.name, { recipe: r, stageDir: dir, key, rebuilt });
  }
  const compiled = [...built.values()].filter((b) => b.rebuilt).map((b) => b.recipe.name);
  log.info(compiled.length ? `compiled: ${compiled.join(', ')}` : `nothing to compile: all ${built.size} recipes up to date`);
  return built;
}
