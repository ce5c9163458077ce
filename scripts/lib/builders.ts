import fs from 'node:fs';
import path from 'node:path';
import type { BuildContext } from './recipe.ts';

/**
 * Generic build infrastructures (in the manner of Buildroot's cmake-package and
 * autotools-package): a recipe calls one with only what differs from the default.
 */

export interface CmakeOptions {
  defines?: Record<string, string | boolean>;
  /** Extra C flags on top of the toolchain defaults. */
  cflags?: string[];
}

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

export interface ConfigureOptions {
  /** The configure script's arguments (no --prefix: it is always /usr). */
  args: string[];
  makeTargets?: string[];
}

/** A configure script run from the build directory, then make and make install DESTDIR=. */
export async function configureMakeBuild(ctx: BuildContext, opts: ConfigureOptions): Promise<void> {
  await ctx.run('configure', [path.join(ctx.srcDir, 'configure'), '--prefix=/usr', ...opts.args]);
  await ctx.run('build', ['make', `-j${ctx.jobs}`, ...(opts.makeTargets ?? [])]);
  await ctx.run('install', ['make', 'install', `DESTDIR=${ctx.destDir}`]);
}
