import type { Toolchain } from '../../toolchain/types.ts';
import type { DebianPatches } from './patches.ts';
import type { SourceSpec } from './sources.ts';
import type { RunOptions, RunResult } from './run.ts';

/** A program a recipe installs, checked under qemu-arm and copied onto the cards. */
export interface Program {
  /** Path inside the recipe's staging tree, e.g. sbin/lighttpd. */
  path: string;
  /** A command line that must exit 0 under qemu-arm (the program's own path is argv[0]). */
  smoke?: string[];
}

/**
 * What a recipe's build sees. There are deliberately no build options here: everything a
 * recipe can read is an input of its cache key (its directory, its source and patches,
 * the toolchain, the host tools, its dependencies), so a cached build cannot go stale.
 * `jobs` changes how fast, never what: CI compares builds made with different --jobs.
 */
export interface BuildContext {
  tc: Toolchain;
  /** Unpacked source (or a copy of the recipe's own source directory), patches applied. */
  srcDir: string;
  /** Scratch directory for out-of-tree builds. */
  buildDir: string;
  /** Install root: what lands here is the recipe's output. */
  destDir: string;
  /** Directory of the recipe definition (config fragments, patches, our own sources). */
  recipeDir: string;
  /** The recipe's cDefines as compiler flags (-DNAME=VALUE), for its own C. */
  defines: string[];
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
  /** Directory under recipes/ holding its files, when it is not `name` (two recipes of one source). */
  dir?: string;
  /** SPDX licence expression and the files in the source that state it. */
  license: string;
  licenseFiles: string[];
  /** Upstream release; absent for our own code, which lives in the recipe directory. */
  source?: SourceSpec;
  /** Fixes from Debian's packaging of this version (CVE fixes), applied after unpacking. */
  debianPatches?: DebianPatches;
  /** camfw's own changes to the source (files in the recipe directory), applied after Debian's, each with the reason. */
  ownPatches?: Array<{ file: string; why: string }>;
  /**
   * The oldest gcc that builds this recipe, and why. A toolchain with an older compiler
   * (the vendor SDKs' gcc 4.4 and 4.5) is refused before any work.
   */
  minGcc?: { version: string; why: string };
  /** Recipes whose staging trees this one builds against. */
  depends?: string[];
  programs: Program[];
  /**
   * Numbers its own C is compiled with (-DNAME=VALUE) that the TypeScript side holds too,
   * so that both take one limit (an input of the cache key).
   */
  cDefines?: Record<string, number>;
  /** Other files it installs that go on the cards as they are (the web UI), by path in its staging tree. */
  files?: string[];
  build(ctx: BuildContext): Promise<void>;
}
