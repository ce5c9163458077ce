import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gccAtLeast, type Toolchain } from '../../toolchain/types.ts';
import { RECIPES } from '../../recipes/index.ts';
import { sha256 } from './hash.ts';
import { hostToolsIdentity } from './host-deps.ts';
import { holdShared, whenAlone, withLock } from './lock.ts';
import { log, step } from './log.ts';
import { applyDebianPatches, applyPatch } from './patches.ts';
import { paths } from './paths.ts';
import type { BuildContext, Recipe } from './recipe.ts';
import { run } from './run.ts';
import { fetchSource } from './sources.ts';

export interface PlannedRecipe {
  recipe: Recipe;
  /** Hash of every input that can change what the recipe produces. */
  key: string;
  /** The recipe's install tree, named by its key: once written, never changed. */
  stageDir: string;
}

export interface BuiltRecipe extends PlannedRecipe {
  /** False when the cache was up to date. */
  rebuilt: boolean;
}

/** Shared build code whose change must rebuild every recipe. */
const SHARED_INPUTS = ['scripts/lib/builders.ts', 'scripts/lib/builder.ts', 'scripts/lib/patches.ts'].map((f) => path.join(paths.root, f));

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

/** recipes/<dir or name>; an absolute `dir` (a recipe a test makes) is used as it is. */
export function recipeDir(r: Recipe): string {
  return path.resolve(paths.recipes, r.dir ?? r.name);
}

/**
 * Hash of every input that can change what a recipe produces: its directory (the recipe
 * code, fragments, our own sources), the shared build code, its source and Debian
 * patches, the toolchain (compiler, generated wrappers with the CPU flags), the versions
 * of the host tools the build runs, and its dependencies' keys.
 */
export function recipeKey(r: Recipe, tc: Toolchain, hostTools: string, depKeys: string[]): string {
  const files = [...filesUnder(recipeDir(r)), ...SHARED_INPUTS].map((f) => `${path.relative(paths.root, f)}:${sha256(fs.readFileSync(f))}`);
  return sha256(
    JSON.stringify({
      name: r.name,
      version: r.version,
      source: r.source?.sha256 ?? null,
      patches: r.debianPatches ?? null,
      cDefines: r.cDefines ?? null,
      files,
      toolchain: tc.identity,
      hostTools,
      deps: depKeys,
    }),
  ).slice(0, 16);
}

export function stageDir(tc: Toolchain, name: string, key: string): string {
  return path.join(paths.stage, tc.id, `${name}-${key}`);
}

/** Every recipe to build for `names`, dependencies first, with its cache key and staging tree. */
export function planBuild(names: string[], tc: Toolchain, hostTools: string): PlannedRecipe[] {
  const keys = new Map<string, string>();
  return buildOrder(names).map((recipe) => {
    const key = recipeKey(recipe, tc, hostTools, (recipe.depends ?? []).map((d) => keys.get(d)!));
    keys.set(recipe.name, key);
    return { recipe, key, stageDir: stageDir(tc, recipe.name, key) };
  });
}

/**
 * Refuses, before any work, a plan that the toolchain's compiler is too old for: names
 * each recipe, what it needs, the recipes that need it, and the ways out.
 */
export function checkCompiler(plan: PlannedRecipe[], tc: Toolchain): void {
  const refused = new Map<string, string>();
  for (const { recipe: r } of plan) {
    if (r.minGcc && !gccAtLeast(tc.gccVersion, r.minGcc.version)) refused.set(r.name, `needs gcc >= ${r.minGcc.version}: ${r.minGcc.why}`);
    const dep = (r.depends ?? []).find((d) => refused.has(d));
    if (dep && !refused.has(r.name)) refused.set(r.name, `builds against ${dep}`);
  }
  if (!refused.size) return;
  const buildable = plan.filter((p) => !refused.has(p.recipe.name)).map((p) => p.recipe.name);
  throw new Error(
    `the ${tc.id} toolchain (gcc ${tc.gccVersion}) cannot build:\n` +
      [...refused].map(([n, why]) => `  ${n}: ${why}`).join('\n') +
      `\nbuild with --toolchain musl-armv5te (gcc 12, always available)` +
      (buildable.length ? `, or only what gcc ${tc.gccVersion} can with --recipes ${buildable.join(',')}` : ''),
  );
}

/**
 * The date a recipe's source is from: the newest file in an upstream tarball (and in the
 * Debian patches applied to it), or the last commit of our own recipe directory. Builds
 * that stamp a date (BusyBox's banner) use it through SOURCE_DATE_EPOCH, so it never
 * comes from the clock.
 */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) newest = Math.max(newest, fs.lstatSync(path.join(dir, rel)).mtimeMs);
  return Math.floor(newest / 1000);
}

async function commitDate(r: Recipe): Promise<number> {
  const git = await run(['git', '-C', paths.root, 'log', '-1', '--format=%ct', '--', path.relative(paths.root, recipeDir(r))], { allowFail: true });
  return Number(git.stdout.trim()) || 0;
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

/** Staging trees of `name` in `dir`: finished ones (`name-KEY`) and leftovers of interrupted builds. */
function stageEntries(dir: string, name: string): { done: string[]; partial: string[] } {
  const all = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const mine = all.filter((f) => f.startsWith(`${name}-`) && /^[0-9a-f]{16}(\.tmp-\d+)?$/.test(f.slice(name.length + 1)));
  return { done: mine.filter((f) => !f.includes('.tmp-')), partial: mine.filter((f) => f.includes('.tmp-')) };
}

async function buildOne(p: PlannedRecipe, tc: Toolchain, plan: PlannedRecipe[], jobs: number): Promise<void> {
  const work = path.join(tc.buildRoot, tc.id, p.recipe.name);
  // a fixed build root (old compilers) is shared by every output directory on this machine
  await withLock(`${work}.lock`, `${work} (another build is compiling there)`, () => compile(p, tc, plan, jobs, work));
}

async function compile(p: PlannedRecipe, tc: Toolchain, plan: PlannedRecipe[], jobs: number, work: string): Promise<void> {
  const r = p.recipe;
  const srcDir = path.join(work, 'src');
  const sysroot = path.join(work, 'sysroot');
  const buildDir = path.join(work, 'build');
  const destTmp = `${p.stageDir}.tmp-${process.pid}`;
  const logDir = path.join(paths.logs, tc.id, r.name);
  // We hold this recipe's lock: leftovers of an interrupted build are ours to remove.
  const partial = stageEntries(path.dirname(p.stageDir), r.name).partial.map((f) => path.join(path.dirname(p.stageDir), f));
  for (const d of [work, logDir, ...partial]) fs.rmSync(d, { recursive: true, force: true });
  for (const d of [srcDir, buildDir, destTmp, logDir, sysroot]) fs.mkdirSync(d, { recursive: true });
  for (const dep of buildOrder(r.depends ?? []))
    fs.cpSync(plan.find((x) => x.recipe.name === dep.name)!.stageDir, sysroot, { recursive: true, verbatimSymlinks: true });

  let date: number;
  if (r.source) {
    const archive = await fetchSource(r.source);
    await run(['tar', '-xf', archive, '-C', srcDir, '--strip-components=1'], { logFile: path.join(logDir, 'extract.log') });
    date = newestMtime(srcDir);
    if (r.debianPatches) date = Math.max(date, await applyDebianPatches(r.debianPatches, srcDir, path.join(logDir, 'patch.log')));
    for (const own of r.ownPatches ?? []) await applyPatch(path.join(recipeDir(r), own.file), srcDir, path.join(logDir, 'patch.log'));
  } else {
    fs.cpSync(recipeDir(r), srcDir, { recursive: true });
    date = await commitDate(r);
  }
  const env: Record<string, string> = {
    ...crossEnv(tc, date),
    PKG_CONFIG_LIBDIR: path.join(sysroot, 'usr/lib/pkgconfig'),
    PKG_CONFIG_SYSROOT_DIR: sysroot,
    PKG_CONFIG_PATH: '',
  };
  const runStep: BuildContext['run'] = (stepName, argv, opts = {}) =>
    step(`${r.name}: ${stepName}`, () => run(argv, { cwd: buildDir, ...opts, env: { ...env, ...opts.env }, logFile: path.join(logDir, `${stepName}.log`) }));
  const defines = Object.entries(r.cDefines ?? {}).map(([k, v]) => `-D${k}=${v}`);
  const ctx: BuildContext = { tc, srcDir, buildDir, destDir: destTmp, recipeDir: recipeDir(r), defines, sysroot, jobs, env, run: runStep };
  await r.build(ctx);
  for (const rel of r.files ?? [])
    if (!fs.existsSync(path.join(destTmp, rel))) throw new Error(`recipe ${r.name} did not install ${rel} (looked in ${destTmp})`);
  for (const prog of r.programs) {
    const file = path.join(destTmp, prog.path);
    if (!fs.existsSync(file)) throw new Error(`recipe ${r.name} did not install ${prog.path} (looked in ${destTmp})`);
    await run([`${tc.crossPrefix}strip`, '--strip-all', file]);
  }
  fs.renameSync(destTmp, p.stageDir);
  fs.rmSync(work, { recursive: true, force: true });
}

/**
 * Builds `names` and their dependencies with toolchain `tc`, each into its own staging
 * tree named by its key; a tree that exists is up to date. Trees are never replaced:
 * this process holds a shared lock on the toolchain's stage directory while it runs, and
 * trees of other keys are removed only when no other process holds it.
 */
export async function buildRecipes(names: string[], tc: Toolchain, jobs = os.availableParallelism()): Promise<Map<string, BuiltRecipe>> {
  const plan = planBuild(names, tc, await hostToolsIdentity());
  checkCompiler(plan, tc);
  const stage = path.join(paths.stage, tc.id);
  const readers = path.join(stage, '.readers.lock');
  await holdShared(readers);
  const built = new Map<string, BuiltRecipe>();
  for (const p of plan) {
    const r = p.recipe;
    const label = `${r.name} ${r.version} [${tc.id}]`;
    const rebuilt =
      !fs.existsSync(p.stageDir) &&
      (await withLock(path.join(stage, `.${r.name}.lock`), `${label} (another build is making it)`, async () => {
        if (fs.existsSync(p.stageDir)) return false;
        await step(label, () => buildOne(p, tc, plan, jobs));
        return true;
      }));
    if (!rebuilt) log.info(`${label}: up to date (key ${p.key})`);
    built.set(r.name, { ...p, rebuilt });
  }
  const compiled = [...built.values()].filter((b) => b.rebuilt).map((b) => b.recipe.name);
  log.info(compiled.length ? `compiled: ${compiled.join(', ')}` : `nothing to compile: all ${built.size} recipes up to date`);
  await whenAlone(readers, () => {
    for (const p of plan)
      for (const f of stageEntries(stage, p.recipe.name).done)
        if (path.join(stage, f) !== p.stageDir) fs.rmSync(path.join(stage, f), { recursive: true, force: true });
  });
  return built;
}
