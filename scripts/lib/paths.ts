import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Repository root: everything else is resolved from here, never from the caller's cwd. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every generated file lives under output/ (ignored by git); CAMFW_OUTPUT moves it. */
export const OUTPUT = path.resolve(process.env.CAMFW_OUTPUT ?? path.join(ROOT, 'output'));

export const paths = {
  root: ROOT,
  output: OUTPUT,
  /** Verified downloads, keyed by file name; shared by every build. */
  dl: path.join(OUTPUT, 'dl'),
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
