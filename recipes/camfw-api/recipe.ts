import { ownCProgram, ownCSources } from '../../scripts/lib/builders.ts';
import type { Recipe } from '../../scripts/lib/recipe.ts';

/** camfw-login's C files: it shares the password file's code with camfw-api. */
const LOGIN = ['login.c', 'passwd.c', 'sha256.c', 'util.c'];

/**
 * Our own web API and login gate (the C files beside this one), run by lighttpd as a CGI,
 * and camfw-login, the telnet service's login, which takes the same password.
 */
export const camfwApi: Recipe = {
  name: 'camfw-api',
  version: '0.1.0',
  license: 'GPL-2.0-only',
  licenseFiles: ['main.c'],
  programs: [{ path: 'usr/lib/camfw/camfw-api' }, { path: 'usr/lib/camfw/camfw-login' }],
  async build(ctx) {
    await ownCProgram(ctx, { path: 'usr/lib/camfw/camfw-api', sources: ownCSources(ctx).filter((f) => f !== 'login.c') });
    await ownCProgram(ctx, { path: 'usr/lib/camfw/camfw-login', sources: LOGIN });
  },
};
