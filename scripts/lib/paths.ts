import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';

/** Repository root: everything else is resolved from here, never from the caller's cwd. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every generated file lives under output/ (ignored by git); CAMFW_OUTPUT moves it. */
export const OUTPUT = path.resolve(process.env.CAMFW_OUTPUT ?? path.join(ROOT, 'output'));

/**
 * What survives a clean clone (like Buildroot's BR2_DL_DIR): verified downloads and the
 * built test kernels. CAMFW_CACHE moves it; by default $XDG_CACHE_HOME/camfw.
 */
export const CACHE = path.resolve(
  process.env.CAMFW_CACHE ?? path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'camfw'),
);

export const paths = {
  root: ROOT,
  output: OUTPUT,
  cache: CACHE,
  /** Verified downloads, keyed by file name; shared by every build and every clone. */
  dl: path.join(CACHE, 'dl'),
  /** Private apt configuration, lists and cache. */
  apt: path.join(OUTPUT, 'apt'),
  toolchains: path.join(OUTPUT, 'toolchain'),
  build: path.join(OUTPUT, 'build'),
  stage: path.join(OUTPUT, 'stage'),
  logs: path.join(OUTPUT, 'logs'),
  recipes: path.join(ROOT, 'recipes'),
  overlays: path.join(ROOT, 'overlays'),
  model: (model: string) => path.join(OUTPUT, model),
};
