import type { Toolchain } from '../../toolchain/types.ts';
import type { SourceSpec } from './sources.ts';
import type { RunOptions, RunResult } from './run.ts';

/** Build options from the command line that a recipe may read (each part of its cache key). */
export interface BuildOptions {
  /** Also build the ffmpeg command-line program (not on the cards by default). */
  ffmpegCli: boolean;
}

export const DEFAULT_BUILD_OPTIONS: BuildOptions = { ffmpegCli: false };

/** A program a recipe installs, checked under qemu-arm and copied onto the cards. */
export interface Program {
  /** Path inside the recipe's staging tree, e.g. sbin/lighttpd. */
  path: string;
  /** A command line that must exit 0 under qemu-arm (the program's own path is argv[0]). */
  smoke?: string[];
}

export interface BuildContext {
  tc: Toolchain;
  options: BuildOptions;
  /** Unpacked source (or a copy of the recipe's own source directory). */
  srcDir: string;
  /** Scratch directory for out-of-tree builds. */
  buildDir: string;
  /** Install root: what lands here is the recipe's output. */
  destDir: string;
  /** Directory of the recipe definition (config fragments, patches, our own sources). */
  recipeDir: string;
  jobs: number;
  /** The staging trees of all dependencies merged: headers in usr/include, libraries in usr/lib. */
  sysroot: string;
  /** Cross-compilation environment: CC, AR, STRIP ..., CFLAGS, LDFLAGS, pkg-config set to the sysroot. */
  env: Record<string, string>;
  /** Runs a tool for step `stepName`; its output goes to that step's log file. */
  run(stepName: string, argv: string[], opts?: RunOptions): Promise<RunResult>;
}

export interface Recipe {
  name: string;
  version: string;
  /** SPDX licence expression and the files in the source that state it. */
  license: string;
  licenseFiles: string[];
  /** Upstream release; absent for our own code, which lives in the recipe directory. */
  source?: SourceSpec;
  /** Recipes whose staging trees this one builds against. */
  depends?: string[];
  /** The build options this recipe reads (they enter its cache key). */
  usesOptions?: Array<keyof BuildOptions>;
  programs(options: BuildOptions): Program[];
  build(ctx: BuildContext): Promise<void>;
}
