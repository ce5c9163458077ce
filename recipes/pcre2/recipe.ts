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
  programs: [],
  async build(ctx) {
    await cmakeBuild(ctx, {
      defines: {
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
