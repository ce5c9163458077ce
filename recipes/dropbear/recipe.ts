import fs from 'node:fs';
import path from 'node:path';
import { crossArgs } from '../../scripts/lib/builders.ts';
import type { Recipe } from '../../scripts/lib/recipe.ts';

/** dropbear's server and key maker in one program (`dropbearmulti dropbear|dropbearkey`). */
const PROGRAMS = 'dropbear dropbearkey';

/**
 * The SSH service (overlays/common/etc/camfw/services/60-ssh.sh): dropbear, whose logins
 * camfw-login checks against the owner's web password (owner-login.patch), configured by
 * localoptions.h beside this file. Static, with dropbear's bundled libtomcrypt and
 * libtommath, no zlib, no PAM and no login records (the stock firmware keeps none).
 */
export const dropbear: Recipe = {
  name: 'dropbear',
  version: '2022.83',
  // dropbear MIT; libtomcrypt and libtommath public domain (LICENSE lists them all)
  license: 'MIT AND Unlicense',
  licenseFiles: ['LICENSE'],
  source: {
    url: 'https://matt.ucc.asn.au/dropbear/releases/dropbear-2022.83.tar.bz2',
    sha256: 'bc5a121ffbc94b5171ad5ebe01be42746d50aa797c9549a4639894a16749443b',
    debian: 'dropbear',
  },
  debianPatches: {
    package: 'dropbear',
    version: '2022.83-1+deb12u3',
    file: 'dropbear_2022.83-1+deb12u3.debian.tar.xz',
    sha256: '74fb171a630f450430b771b2f781c420a4542881ae75fd2f75ca04c53a3eea93',
    apply: [{ name: 'CVE-2023-48795.patch', why: 'CVE-2023-48795 (Terrapin): strict key exchange, so a man in the middle cannot drop the first encrypted messages' }],
    note:
      "Debian's CVE-2025-47203 fix is in dbclient's multihop code, which camfw does not build; its other patches fix its test suite, the Hurd build and " +
      'the -j option of the forwarding that localoptions.h turns off',
  },
  ownPatches: [
    { file: 'owner-login.patch', why: "logins checked by camfw-login (the owner's web password) as root with the card's shell, never /etc/shadow's stock password" },
    { file: 'channel-close-race.patch', why: 'a session channel is no longer closed before its command arrives when a SIGCHLD is pending (dropbear issue 173, fixed upstream after 2022.83)' },
  ],
  programs: [{ path: 'usr/sbin/dropbearmulti', smoke: ['dropbearkey', '-h'] }],
  async build(ctx) {
    fs.copyFileSync(path.join(ctx.recipeDir, 'localoptions.h'), path.join(ctx.buildDir, 'localoptions.h'));
    await ctx.run('configure', [
      path.join(ctx.srcDir, 'configure'),
      '--prefix=/usr',
      ...(await crossArgs(ctx)),
      '--enable-static',
      '--disable-zlib',
      '--disable-pam',
      '--disable-lastlog',
      '--disable-utmp',
      '--disable-utmpx',
      '--disable-wtmp',
      '--disable-wtmpx',
      '--disable-loginfunc',
      '--disable-pututline',
      '--disable-pututxline',
      '--enable-bundled-libtom',
    ]);
    await ctx.run('build', ['make', `-j${ctx.jobs}`, `PROGRAMS=${PROGRAMS}`, 'MULTI=1', 'dropbearmulti']);
    // its `make install` links each program to dropbearmulti: the card runs `dropbearmulti PROGRAM`
    const out = path.join(ctx.destDir, 'usr/sbin/dropbearmulti');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.copyFileSync(path.join(ctx.buildDir, 'dropbearmulti'), out);
    fs.chmodSync(out, 0o755);
  },
};
