import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chooseToolchain, setupToolchain, type Toolchain } from '../toolchain/index.ts';
import { buildRecipes, type BuiltRecipe } from '../scripts/lib/builder.ts';
import { camera, type ModelId } from '../scripts/lib/cameras.ts';
import { CARD_RECIPES } from '../scripts/lib/card.ts';
import { ensureHostPackages } from '../scripts/lib/host-deps.ts';
import { DEFAULT_BUILD_OPTIONS } from '../scripts/lib/recipe.ts';
import { setQuiet } from '../scripts/lib/log.ts';

setQuiet(!process.env.CAMFW_VERBOSE);

let hostReady: Promise<void> | undefined;
export function hostPackages(): Promise<void> {
  return (hostReady ??= ensureHostPackages('test'));
}

export interface Built {
  tc: Toolchain;
  built: Map<string, BuiltRecipe>;
}

const builds = new Map<string, Promise<Built>>();
/**
 * The card programs as `npm run build` made them for `model` (same toolchain choice);
 * the build cache makes this free after a build, and builds what is missing otherwise.
 */
export function cardPrograms(model: ModelId): Promise<Built> {
  const tcId = chooseToolchain(camera(model));
  if (!builds.has(tcId))
    builds.set(
      tcId,
      (async () => {
        await hostPackages();
        const tc = await setupToolchain(tcId);
        return { tc, built: await buildRecipes(CARD_RECIPES, tc, DEFAULT_BUILD_OPTIONS) };
      })(),
    );
  return builds.get(tcId)!;
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `camfw-${prefix}-`));
}
