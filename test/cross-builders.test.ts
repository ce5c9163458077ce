// The generic builders cross-compile for real: a tiny autotools package and a tiny CMake
// package, made here, look for a library that only the build machine has (libcrypt:
// crypt.h and libcrypt in the host's /usr, none in musl) and for one the recipe's
// sysroot has (pcre2). The host's must never be found, the sysroot's must.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RECIPES } from '../recipes/index.ts';
import { avworkerMin } from '../recipes/avworker-min/recipe.ts';
import { buildRecipes, recipeDir } from '../scripts/lib/builder.ts';
import { autotoolsBuild, cmakeBuild } from '../scripts/lib/builders.ts';
import type { Recipe } from '../scripts/lib/recipe.ts';
import { run } from '../scripts/lib/run.ts';
import { cardPrograms, tmpDir, type Built } from './helpers.ts';

const PROBE_C = `#include <stdio.h>
int main(void) {
#ifdef HAVE_CRYPT_H
  puts("crypt.h: found");
#else
  puts("crypt.h: not found");
#endif
  return 0;
}
`;

const CONFIGURE_AC = `AC_INIT([hostonly], [1.0])
AC_PROG_CC
AC_CHECK_HEADERS([crypt.h])
AC_SEARCH_LIBS([crypt], [crypt])
AC_SEARCH_LIBS([pcre2_compile_8], [pcre2-8])
AC_SUBST([cross_compiling])
AC_CONFIG_HEADERS([config.h])
AC_CONFIG_FILES([Makefile])
AC_OUTPUT
`;

const MAKEFILE_IN = `CC = @CC@
CFLAGS = @CFLAGS@
CPPFLAGS = @CPPFLAGS@
LDFLAGS = @LDFLAGS@
LIBS = @LIBS@
srcdir = @srcdir@
all: probe
probe: $(srcdir)/probe.c config.h
\t$(CC) $(CPPFLAGS) $(CFLAGS) -include config.h $(LDFLAGS) -o $@ $(srcdir)/probe.c $(LIBS)
install: probe
\tmkdir -p $(DESTDIR)/usr/bin $(DESTDIR)/usr/share/hostonly
\tcp probe $(DESTDIR)/usr/bin/probe
\tcp config.h $(DESTDIR)/usr/share/hostonly/config.h
\techo 'LIBS=$(LIBS)' > $(DESTDIR)/usr/share/hostonly/found.txt
\techo 'cross_compiling=@cross_compiling@' >> $(DESTDIR)/usr/share/hostonly/found.txt
`;

const CMAKELISTS = `cmake_minimum_required(VERSION 3.13)
project(hostonly C)
find_path(CRYPT_INCLUDE_DIR crypt.h)
find_library(CRYPT_LIBRARY crypt)
find_library(PCRE2_LIBRARY pcre2-8)
find_path(PCRE2_INCLUDE_DIR pcre2.h)
file(WRITE \${CMAKE_BINARY_DIR}/found.txt "CRYPT_INCLUDE_DIR=\${CRYPT_INCLUDE_DIR}\\nCRYPT_LIBRARY=\${CRYPT_LIBRARY}\\nPCRE2_LIBRARY=\${PCRE2_LIBRARY}\\nPCRE2_INCLUDE_DIR=\${PCRE2_INCLUDE_DIR}\\n")
if(CRYPT_INCLUDE_DIR)
  add_compile_definitions(HAVE_CRYPT_H=1)
endif()
add_executable(probe probe.c)
install(TARGETS probe DESTINATION bin)
install(FILES \${CMAKE_BINARY_DIR}/found.txt DESTINATION share/hostonly)
`;

let b: Built;
let dir: string;
const added: Recipe[] = [];

function testRecipe(name: string, files: Record<string, string>, build: Recipe['build']): Recipe {
  const src = path.join(dir, name);
  fs.mkdirSync(src, { recursive: true });
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(src, f), text, { mode: f === 'configure' ? 0o755 : 0o644 });
  return { name, version: '1.0', dir: src, license: 'GPL-2.0-only', licenseFiles: [], depends: ['pcre2'], programs: [{ path: 'usr/bin/probe' }], build };
}

before(async () => {
  b = await cardPrograms('fang');
  dir = tmpDir('cross');
  const auto = testRecipe('camfw-test-autotools', { 'configure.ac': CONFIGURE_AC, 'Makefile.in': MAKEFILE_IN, 'probe.c': PROBE_C }, (ctx) => autotoolsBuild(ctx, { args: [] }));
  await run(['autoconf'], { cwd: auto.dir });
  await run(['autoheader'], { cwd: auto.dir });
  const cmake = testRecipe('camfw-test-cmake', { 'CMakeLists.txt': CMAKELISTS, 'probe.c': PROBE_C }, (ctx) => cmakeBuild(ctx));
  added.push(auto, cmake);
  RECIPES.push(...added);
});

after(() => {
  for (const r of added) RECIPES.splice(RECIPES.indexOf(r), 1);
});

async function buildAndRun(name: string): Promise<{ found: string; probe: string; stage: string }> {
  const built = (await buildRecipes([name], b.tc)).get(name)!;
  try {
    const probe = await run(['qemu-arm', '-cpu', 'arm926', path.join(built.stageDir, 'usr/bin/probe')]);
    return { found: fs.readFileSync(path.join(built.stageDir, 'usr/share/hostonly/found.txt'), 'utf8'), probe: probe.stdout, stage: built.stageDir };
  } finally {
    // a test's own recipe leaves nothing in the shared staging area
    fs.rmSync(built.stageDir, { recursive: true, force: true });
  }
}

describe('cross builders', () => {
  test('preconditions: the build machine has crypt.h and libcrypt', () => {
    assert.ok(fs.existsSync('/usr/include/crypt.h'), 'libcrypt-dev (a dependency of libc6-dev) is missing');
  });

  test('autotools: configure cross-compiles (--host, --build), finds pcre2 in the sysroot and nothing of the host', async () => {
    const { found, probe } = await buildAndRun('camfw-test-autotools');
    assert.match(found, /^cross_compiling=yes$/m);
    assert.match(found, /^LIBS=-lpcre2-8 *$/m, 'libcrypt of the host was linked, or pcre2 of the sysroot was not');
    assert.equal(probe.trim(), 'crypt.h: not found');
  });

  test('cmake: find_path and find_library search the sysroot only', async () => {
    const { found, probe } = await buildAndRun('camfw-test-cmake');
    assert.match(found, /^CRYPT_INCLUDE_DIR=CRYPT_INCLUDE_DIR-NOTFOUND$/m);
    assert.match(found, /^CRYPT_LIBRARY=CRYPT_LIBRARY-NOTFOUND$/m);
    assert.match(found, /^PCRE2_LIBRARY=.*\/camfw-test-cmake\/sysroot\/usr\/lib\/libpcre2-8\.a$/m);
    assert.match(found, /^PCRE2_INCLUDE_DIR=.*\/camfw-test-cmake\/sysroot\/usr\/include$/m);
    assert.equal(probe.trim(), 'crypt.h: not found');
  });
});

describe('our own C', () => {
  test('is held to gnu99 on every build: a C11 construct fails the build, naming it', async () => {
    const src = path.join(dir, 'c11');
    fs.cpSync(recipeDir(avworkerMin), src, { recursive: true });
    fs.appendFileSync(path.join(src, 'main.c'), '\n_Static_assert(sizeof(int) >= 4, "int is at least 32 bits");\n');
    const c11: Recipe = { ...avworkerMin, name: 'camfw-test-c11', dir: src };
    RECIPES.push(c11);
    added.push(c11);
    await assert.rejects(buildRecipes(['camfw-test-c11'], b.tc), (e: Error) => /ISO C99 does not support '_Static_assert'/.test(e.message) && /check-c99/.test(e.message));
  });
});

