import { ownCProgram, ownCSources } from '../../scripts/lib/builders.ts';
import { RTMP_TARGET_MAX } from '../../scripts/lib/config.ts';
import type { Recipe } from '../../scripts/lib/recipe.ts';

/** camfw-login's C files: it shares the password file's code and the login limit with camfw-api. */
const LOGIN = ['limit.c', 'login.c', 'net.c', 'passwd.c', 'sha256.c', 'util.c'];
/** camfw-grow-part: one file of its own. */
const GROW_PART = ['grow-part.c'];

/**
 * Our own web API and login gate (the C files beside this one), run by lighttpd as a CGI,
 * camfw-login, the telnet service's login, which takes the same password, and
 * camfw-grow-part, which grows the Xiaofang card's data partition in its MBR for the API.
 */
export const camfwApi: Recipe = {
  name: 'camfw-api',
  version: '0.1.0',
  license: 'GPL-2.0-only',
  licenseFiles: ['main.c'],
  programs: [{ path: 'usr/lib/camfw/camfw-api' }, { path: 'usr/lib/camfw/camfw-login' }, { path: 'usr/lib/camfw/camfw-grow-part', smoke: ['--help'] }],
  cDefines: { RTMP_TARGET_MAX },
  async build(ctx) {
    await ownCProgram(ctx, { path: 'usr/lib/camfw/camfw-api', sources: ownCSources(ctx).filter((f) => f !== 'login.c' && !GROW_PART.includes(f)) });
    await ownCProgram(ctx, { path: 'usr/lib/camfw/camfw-login', sources: LOGIN });
    await ownCProgram(ctx, { path: 'usr/lib/camfw/camfw-grow-part', sources: GROW_PART });
  },
};
