import fs from 'node:fs';
import path from 'node:path';
import type { BuildContext } from './recipe.ts';
import { run } from './run.ts';

/**
 * Generic build infrastructures (in the manner of Buildroot's cmake-package and
 * autotools-package): a recipe calls one with only what differs from the default.
 */

export interface CmakeOptions {
  defines?: Record<string, string | boolean>;
  /** Extra C flags on top of the toolchain defaults. */
  cflags?: string[];
}

/**
 * CMake cross-compiling into the recipe's sysroot: find_path, find_library and
 * find_package look only there (CMAKE_SYSROOT and CMAKE_FIND_ROOT_PATH with mode ONLY),
 * never in the host's /usr; programs (code generators) come from the host.
 */
export async function cmakeBuild(ctx: BuildContext, opts: CmakeOptions = {}): Promise<void> {
  const toolchainFile = path.join(ctx.buildDir, 'camfw-toolchain.cmake');
  fs.writeFileSync(
    toolchainFile,
    [
      'set(CMAKE_SYSTEM_NAME Linux)',
      'set(CMAKE_SYSTEM_PROCESSOR arm)',
      `set(CMAKE_C_COMPILER "${ctx.env.CC}")`,
      `set(CMAKE_AR "${ctx.env.AR}" CACHE FILEPATH "")`,
      `set(CMAKE_RANLIB "${ctx.env.RANLIB}" CACHE FILEPATH "")`,
      `set(CMAKE_STRIP "${ctx.env.STRIP}" CACHE FILEPATH "")`,
      `set(CMAKE_SYSROOT "${ctx.sysroot}")`,
      `set(CMAKE_FIND_ROOT_PATH "${ctx.sysroot}")`,
      'set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)',
      'set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)',
      'set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)',
      'set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)',
      '',
    ].join('\n'),
  );
  const defines = Object.entries({ CMAKE_BUILD_TYPE: 'MinSizeRel', CMAKE_INSTALL_PREFIX: '/usr', ...opts.defines }).map(
    ([k, v]) => `-D${k}=${typeof v === 'boolean' ? (v ? 'ON' : 'OFF') : v}`,
  );
  const cflags = [ctx.env.CFLAGS, ...(opts.cflags ?? [])].join(' ');
  await ctx.run('configure', [
    'cmake',
    '-S',
    ctx.srcDir,
    '-B',
    ctx.buildDir,
    `-DCMAKE_TOOLCHAIN_FILE=${toolchainFile}`,
    `-DCMAKE_C_FLAGS=${cflags}`,
    `-DCMAKE_EXE_LINKER_FLAGS=${ctx.env.LDFLAGS}`,
    ...defines,
  ]);
  await ctx.run('build', ['cmake', '--build', ctx.buildDir, '--parallel', String(ctx.jobs)]);
  await ctx.run('install', ['cmake', '--install', ctx.buildDir], { env: { DESTDIR: ctx.destDir } });
}

let buildTriple: Promise<string> | undefined;
/** The build machine's GNU triplet, for configure --build (the host compiler's). */
function buildMachine(): Promise<string> {
  return (buildTriple ??= run(['gcc', '-dumpmachine']).then((r) => r.stdout.trim()));
}

export interface ConfigureOptions {
  /** The configure script's arguments (no --prefix: it is always /usr). */
  args: string[];
  makeTargets?: string[];
  /** What `make` installs (default: install). */
  installTargets?: string[];
  /** Environment for every step, over the cross environment. */
  env?: Record<string, string>;
}

/**
 * A configure script run from the build directory, then make and make install DESTDIR=.
 * Hand-written scripts (ffmpeg's) take their own cross options; autotools packages use
 * autotoolsBuild.
 */
export async function configureMakeBuild(ctx: BuildContext, opts: ConfigureOptions): Promise<void> {
  const env = opts.env ?? {};
  await ctx.run('configure', [path.join(ctx.srcDir, 'configure'), '--prefix=/usr', ...opts.args], { env });
  await ctx.run('build', ['make', `-j${ctx.jobs}`, ...(opts.makeTargets ?? [])], { env });
  await ctx.run('install', ['make', ...(opts.installTargets ?? ['install']), `DESTDIR=${ctx.destDir}`], { env });
}

/**
 * An autotools configure script's cross options: --host (the toolchain's triplet) and
 * --build (this machine's), so it cross-compiles and never runs its test programs here.
 */
export async function crossArgs(ctx: BuildContext): Promise<string[]> {
  return [`--host=${ctx.tc.triple}`, `--build=${await buildMachine()}`];
}

/**
 * An autotools package: configure with crossArgs; headers and libraries of the
 * dependencies come from the recipe's sysroot; static only.
 */
export async function autotoolsBuild(ctx: BuildContext, opts: Omit<ConfigureOptions, 'env'>): Promise<void> {
  await configureMakeBuild(ctx, {
    ...opts,
    args: [...(await crossArgs(ctx)), '--disable-shared', '--enable-static', ...opts.args],
    env: {
      CPPFLAGS: `-I${path.join(ctx.sysroot, 'usr/include')}`,
      LDFLAGS: `${ctx.env.LDFLAGS} -L${path.join(ctx.sysroot, 'usr/lib')}`,
    },
  });
}

/**
 * The C standard of our own code: what the vendor SDKs' gcc 4.4 and 4.5 accept. Every
 * build checks it with Debian's gcc and -pedantic-errors, whichever toolchain compiles it,
 * so a C11-only construct fails here before it reaches a vendor toolchain. Library headers
 * come in with -isystem: theirs are not ours to hold to it.
 */
export const OWN_C_FLAGS = ['-std=gnu99', '-pedantic-errors', '-Wall', '-Wextra', '-Werror'];

export interface OwnCProgram {
  /** Its path in the staging tree, e.g. usr/bin/avworker-min. */
  path: string;
  /** C files of the recipe's own directory. */
  sources: string[];
  /** Libraries of the sysroot it links, e.g. ['avformat', 'm']. */
  libs?: string[];
  /** Extra flags for the compiler and the linker (-pthread). */
  flags?: string[];
}

/** One program of our own C (a recipe's own directory): checked as OWN_C_FLAGS say, then cross-compiled, static. */
export async function ownCProgram(ctx: BuildContext, p: OwnCProgram): Promise<void> {
  const out = path.join(ctx.destDir, p.path);
  const name = path.basename(p.path);
  const sources = p.sources.map((f) => path.join(ctx.srcDir, f));
  const headers = ['-isystem', path.join(ctx.sysroot, 'usr/include')];
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await ctx.run(`check-c99-${name}`, ['gcc', '-fsyntax-only', ...OWN_C_FLAGS, ...ctx.defines, ...headers, ...sources]);
  await ctx.run(`build-${name}`, [
    ctx.env.CC,
    ...ctx.env.CFLAGS.split(' '),
    ...OWN_C_FLAGS,
    ...ctx.defines,
    ...headers,
    ...(p.flags ?? []),
    ...sources,
    `-L${path.join(ctx.sysroot, 'usr/lib')}`,
    ...ctx.env.LDFLAGS.split(' '),
    ...(p.libs ?? []).map((l) => `-l${l}`),
    ...(p.flags ?? []),
    '-o',
    out,
  ]);
}

/** The C files of a recipe's own source directory, sorted. */
export function ownCSources(ctx: BuildContext): string[] {
  return fs.readdirSync(ctx.srcDir).filter((f) => f.endsWith('.c')).sort();
}
