// The build cache: a recipe is rebuilt exactly when one of its inputs, or a dependency's,
// changes; staging trees are named by their key and never replaced; builds running at
// once share the cache safely, whatever a crashed build left behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { buildOrder, buildRecipes, checkCompiler, findRecipe, planBuild, recipeDir } from '../scripts/lib/builder.ts';
import { CAMERAS, MODEL_IDS, TARGET_CFLAGS } from '../scripts/lib/cameras.ts';
import { allCardRecipes, cardRecipes } from '../scripts/lib/card-parts.ts';
import { hostToolsIdentity } from '../scripts/lib/host-deps.ts';
import { paths } from '../scripts/lib/paths.ts';
import { setupMusl } from '../toolchain/musl-armv5te.ts';
import type { Toolchain } from '../toolchain/types.ts';
import type { Recipe } from '../scripts/lib/recipe.ts';
import { RECIPES } from '../recipes/index.ts';
import { cardPrograms, hostPackages, imageStageOutput, runBuild, tmpDir } from './helpers.ts';

const fakeTc = (identity: string, gccVersion = '12'): Toolchain => ({
  id: 'musl-armv5te',
  description: '',
  libc: '',
  triple: '',
  crossPrefix: '/nonexistent/',
  gccVersion,
  buildRoot: '/nonexistent',
  reproducibleCflags: [],
  linkedLicenses: [],
  identity,
});
const keys = (tc: Toolchain, hostTools = 'host-a', names = allCardRecipes()) => new Map(planBuild(names, tc, hostTools).map((p) => [p.recipe.name, p.key]));
const changed = (a: Map<string, string>, b: Map<string, string>) => [...a.keys()].filter((k) => a.get(k) !== b.get(k)).sort();
const ALL = [...keys(fakeTc('a')).keys()].sort();

describe('build cache keys', () => {
  test('builds dependencies first and rejects unknown recipes', () => {
    const order = buildOrder(['avworker-min', 'lighttpd']).map((r) => r.name);
    assert.ok(order.indexOf('ffmpeg') < order.indexOf('avworker-min'));
    assert.ok(order.indexOf('pcre2') < order.indexOf('lighttpd'));
    assert.throws(() => buildOrder(['nginx']), /unknown recipe "nginx": known recipes are/);
  });

  test('are stable, and change with the toolchain and with the host tools', () => {
    assert.deepEqual(keys(fakeTc('a')), keys(fakeTc('a')));
    assert.deepEqual(changed(keys(fakeTc('a')), keys(fakeTc('b'))), ALL);
    assert.deepEqual(changed(keys(fakeTc('a')), keys(fakeTc('a'), 'host-b')), ALL);
  });

  test('a changed file in one recipe rebuilds that recipe and its dependents only', () => {
    const before = keys(fakeTc('a'));
    const extra = path.join(recipeDir(findRecipe('pcre2')), 'camfw-cache-test.patch');
    fs.writeFileSync(extra, 'test input\n');
    try {
      assert.deepEqual(changed(before, keys(fakeTc('a'))), ['lighttpd', 'pcre2']);
    } finally {
      fs.rmSync(extra);
    }
    assert.deepEqual(keys(fakeTc('a')), before);
  });

  test('the ffmpeg program is its own target: asking for it changes nothing on the cards', () => {
    const cards = keys(fakeTc('a'));
    const withCli = keys(fakeTc('a'), 'host-a', [...allCardRecipes(), 'ffmpeg-cli']);
    assert.deepEqual(changed(cards, withCli), []);
    assert.notEqual(withCli.get('ffmpeg-cli'), withCli.get('ffmpeg'));
    assert.deepEqual(findRecipe('avworker-min').depends, ['ffmpeg']);
  });

  test('a compiler older than a recipe needs is refused before any work, naming what it cannot build and what it can', () => {
    // no recipe of today needs more than the vendor SDKs' gcc 4.4 (README): a C11 one stands in
    const c11: Recipe = { name: 'camfw-test-c11', version: '1', license: 'MIT', licenseFiles: [], minGcc: { version: '4.7', why: 'C11' }, depends: ['pcre2'], programs: [], build: async () => {} };
    const user: Recipe = { ...c11, name: 'camfw-test-user', minGcc: undefined, depends: ['camfw-test-c11'] };
    RECIPES.push(c11, user);
    try {
      const old = fakeTc('a', '4.4.1');
      const plan = planBuild(['busybox', 'camfw-test-user'], old, 'host-a');
      assert.throws(
        () => checkCompiler(plan, old),
        (e: Error) =>
          e.message ===
          'the musl-armv5te toolchain (gcc 4.4.1) cannot build:\n  camfw-test-c11: needs gcc >= 4.7: C11\n  camfw-test-user: builds against camfw-test-c11\n' +
            'build with --toolchain musl-armv5te (gcc 12, always available), or only what gcc 4.4.1 can with --recipes busybox,pcre2',
      );
      assert.doesNotThrow(() => checkCompiler(planBuild(['busybox', 'camfw-test-user'], fakeTc('a', '4.7'), 'host-a'), fakeTc('a', '4.7')));
      assert.doesNotThrow(() => checkCompiler(planBuild(allCardRecipes(), old, 'host-a'), old));
    } finally {
      RECIPES.splice(RECIPES.indexOf(c11), 2);
    }
  });
});

describe('the toolchain identity', () => {
  test('covers the generated compiler wrappers: other CPU flags rebuild every recipe, in a new wrapper directory', async () => {
    await hostPackages();
    const tc = await setupMusl();
    const wrapper = fs.readFileSync(`${tc.crossPrefix}gcc`, 'utf8');
    for (const f of TARGET_CFLAGS) assert.ok(wrapper.includes(`'${f}'`), `${f} is not in ${tc.crossPrefix}gcc`);
    const other = await setupMusl([...TARGET_CFLAGS, '-fno-common']);
    assert.match(fs.readFileSync(`${other.crossPrefix}gcc`, 'utf8'), /'-fno-common'/);
    assert.notEqual(other.identity, tc.identity);
    assert.notEqual(path.dirname(other.crossPrefix), path.dirname(tc.crossPrefix));
    // the first toolchain's wrappers are untouched: a build using them sees no change
    assert.equal(fs.readFileSync(`${tc.crossPrefix}gcc`, 'utf8'), wrapper);
    const host = await hostToolsIdentity();
    assert.deepEqual(changed(keys(tc, host), keys(other, host)), ALL);
    fs.rmSync(path.dirname(other.crossPrefix), { recursive: true });
  });
});

describe('a second build with nothing changed', () => {
  test('compiles nothing', async () => {
    const { tc } = await cardPrograms('fang');
    const again = await buildRecipes(cardRecipes(CAMERAS.fang), tc);
    assert.deepEqual([...again.values()].filter((b) => b.rebuilt).map((b) => b.recipe.name), []);
    assert.equal(again.size, buildOrder(cardRecipes(CAMERAS.fang)).length);
  });

  test('with other options (jobs, configuration, vendor files) compiles nothing either', async () => {
    await cardPrograms('fang');
    await cardPrograms('yi');
    const dir = tmpDir('options');
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ hostname: 'other-camera', web: { password: 'another password 42', port: 8080 } }));
    fs.mkdirSync(path.join(dir, 'vendor'));
    const r = await runBuild(imageStageOutput(dir), { config, args: ['--vendor-dir', path.join(dir, 'vendor')] });
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    // each camera's card: every card's recipes and its own
    const counts = MODEL_IDS.map((m) => buildOrder(cardRecipes(CAMERAS[m])).length);
    const said = [...r.stderr.matchAll(/nothing to compile: all (\d+) recipes up to date/g)].map((m) => Number(m[1]));
    assert.deepEqual(said.sort(), counts.sort(), r.stderr.slice(-3000));
  });
});

describe('builds at once', () => {
  test('two builds started together over a lock and a half-written tree left by a crash both finish, with one correct tree', async () => {
    const { tc } = await cardPrograms('fang');
    const [pcre2] = planBuild(['pcre2'], tc, await hostToolsIdentity());
    const dir = tmpDir('concurrent');
    const out = path.join(dir, 'out');
    for (const d of [paths.dl, paths.apt, paths.toolchains]) {
      fs.mkdirSync(out, { recursive: true });
      fs.symlinkSync(d, path.join(out, path.basename(d)));
    }
    // what a build killed while building pcre2 leaves: its lock file and a partial tree
    const stage = path.join(out, 'stage', tc.id);
    const partial = path.join(stage, `${path.basename(pcre2.stageDir)}.tmp-999999`);
    fs.mkdirSync(partial, { recursive: true });
    fs.writeFileSync(path.join(partial, 'half-written'), '');
    fs.writeFileSync(path.join(stage, '.pcre2.lock'), '999999\n');
    const [a, b] = await Promise.all([runBuild(out, { args: ['--model', 'fang', '--recipes', 'pcre2'] }), runBuild(out, { args: ['--model', 'fang', '--recipes', 'pcre2'] })]);
    assert.equal(a.code, 0, a.stderr.slice(-2000));
    assert.equal(b.code, 0, b.stderr.slice(-2000));
    const logs = [a.stderr, b.stderr];
    assert.equal(logs.filter((l) => /compiled: pcre2/.test(l)).length, 1, logs.join('\n----\n'));
    assert.equal(logs.filter((l) => /pcre2 10\.42 \[musl-armv5te\]: up to date/.test(l)).length, 1);
    const tree = path.join(stage, path.basename(pcre2.stageDir));
    assert.ok(fs.statSync(path.join(tree, 'usr/lib/libpcre2-8.a')).size > 100_000);
    assert.ok(fs.existsSync(path.join(tree, 'usr/include/pcre2.h')));
    assert.deepEqual(fs.readdirSync(stage).filter((f) => !f.startsWith('.')), [path.basename(pcre2.stageDir)]);
  });
});
