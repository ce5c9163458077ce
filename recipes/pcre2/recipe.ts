import { cmakeBuild } from '../../scripts/lib/builders.ts';
import type { Recipe } from '../../scripts/lib/recipe.ts';

/** Regular expressions for lighttpd's url.redirect and conditionals; 8-bit library only, no JIT. */
export const pcre2: Recipe = {
  name: 'pcre2',
  version: '10.42',
  license: 'BSD-3-Clause',
  licenseFiles: ['LICENCE'],
  source: {
    url: 'https://github.com/PCRE2Project/pcre2/releases/download/pcre2-10.42/pcre2-10.42.tar.gz',
    sha256: 'c33b418e3b936ee3153de2c61cc638e7e4fe3156022a5c77d0711bcbb9d64f1f',
    debian: 'pcre2',
  },
  debianPatches: {
    package: 'pcre2',
    version: '10.42-1+deb12u2',
    file: 'pcre2_10.42-1+deb12u2.diff.gz',
    sha256: 'b28d4aeaa3198fcf2f41dffddec3d673c8ef53286ced930599f009522da11372',
    apply: [],
    note:
      "Debian's security update backports 8 fixes from pcre2 10.48 (integer overflows in compile, convert and substring, the \\X out-of-bounds read, DFA workspace and heap limits, JIT) " +
      'in a source-format-1.0 .diff.gz, but the archive this build uses answers 404 for it (checked 2026-11-22) and the previous update has left its index: not applied. ' +
      "On the cards pcre2 serves lighttpd's url.redirect and conditionals: camfw's own fixed patterns, no JIT, no DFA",
  },
  programs: [],
  async build(ctx) {
    await cmakeBuild(ctx, {
      defines: {
        // pcre2 is C99 but does not say so: gcc 4.4 and 4.5 (the vendor SDKs) default to gnu89
        CMAKE_C_STANDARD: '99',
        BUILD_SHARED_LIBS: false,
        BUILD_STATIC_LIBS: true,
        PCRE2_BUILD_PCRE2_8: true,
        PCRE2_BUILD_PCRE2_16: false,
        PCRE2_BUILD_PCRE2_32: false,
        PCRE2_SUPPORT_JIT: false,
        PCRE2_SUPPORT_UNICODE: true,
        PCRE2_BUILD_PCRE2GREP: false,
        PCRE2_BUILD_TESTS: false,
        PCRE2_SUPPORT_LIBZ: false,
        PCRE2_SUPPORT_LIBBZ2: false,
        PCRE2_SUPPORT_LIBEDIT: false,
        PCRE2_SUPPORT_LIBREADLINE: false,
      },
    });
  },
};
