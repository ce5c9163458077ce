// The build cache: a recipe is rebuilt exactly when one of its inputs, or a dependency's, changes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { buildOrder, buildRecipes, planBuild, recipeDir, findRecipe } from '../scripts/lib/builder.ts';
import { CARD_RECIPES } from '../scripts/lib/card.ts';
import { DEFAULT_BUILD_OPTIONS } from '../scripts/lib/recipe.ts';
import type { Toolchain } from '../toolchain/types.ts';
import { cardPrograms } from './helpers.ts';

const fakeTc = (identity: string): Toolchain => ({ id: 'musl-armv5te', description: '', libc: '', triple: '', crossPrefix: '/nonexistent/', reproducibleCflags: [], linkedLicenses: [], identity });
const keys = (tc: Toolchain, options = DEFAULT_BUILD_OPTIONS) => new Map(planBuild(CARD_RECIPES, tc, options).map((p) => [p.recipe.name, p.key]));
const changed = (a: Map<string, string>, b: Map<string, string>) => [...a.keys()].filter((k) => a.get(k) !== b.get(k)).sort();

describe('build cache keys', () => {
  test('builds dependencies first and rejects unknown recipes', () => {
    const order = buildOrder(['avworker-min', 'lighttpd']).map((r) => r.name);
    assert.ok(order.indexOf('ffmpeg') < order.indexOf('avworker-min'));
    assert.ok(order.indexOf('pcre2') < order.indexOf('lighttpd'));
    assert.throws(() => buildOrder(['nginx']), /unknown recipe "nginx": known recipes are/);
  });

  test('are stable, and change with the toolchain', () => {
    assert.deepEqual(keys(fakeTc('a')), keys(fakeTc('a')));
    assert.deepEqual(changed(keys(fakeTc('a')), keys(fakeTc('b'))), [...keys(fakeTc('a')).keys()].sort());
  });

  test('an option changes only the recipes that read it, and what depends on them', () => {
    const off = keys(fakeTc('a'));
    const on = keys(fakeTc('a'), { ...DEFAULT_BUILD_OPTIONS, ffmpegCli: true });
    assert.deepEqual(changed(off, on), ['avworker-min', 'ffmpeg']);
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
});

describe('a second build with nothing changed', () => {
  test('compiles nothing', async () => {
    const { tc } = await cardPrograms('fang');
    const again = await buildRecipes(CARD_RECIPES, tc, DEFAULT_BUILD_OPTIONS);
    assert.deepEqual([...again.values()].filter((b) => b.rebuilt).map((b) => b.recipe.name), []);
    assert.equal(again.size, 5);
  });
});
