import fs from 'node:fs';
import path from 'node:path';
import type { Recipe } from '../../scripts/lib/recipe.ts';

const FRAGMENT = 'busybox.fragment';

/** `CONFIG_X=value` lines of a Kconfig fragment, in order. */
function parseFragment(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(CONFIG_\w+)=(.*)$/.exec(line.trim());
    if (m) entries.set(m[1], m[2]);
  }
  return entries;
}

/** Sets each fragment option in a .config, replacing its `=` or `is not set` line. */
export function applyFragment(config: string, fragment: Map<string, string>): string {
  const seen = new Set<string>();
  const lines = config.split('\n').map((line) => {
    const m = /^(?:# )?(CONFIG_\w+)(?:=.*| is not set)$/.exec(line);
    if (!m || !fragment.has(m[1])) return line;
    seen.add(m[1]);
    return `${m[1]}=${fragment.get(m[1])}`;
  });
  for (const [k, v] of fragment) if (!seen.has(k)) lines.push(`${k}=${v}`);
  return lines.join('\n');
}

/** The fragment options that Kconfig dropped or changed (misspelt, or a dependency missing). */
export function unappliedOptions(config: string, fragment: Map<string, string>): string[] {
  const final = parseFragment(config);
  return [...fragment].filter(([k, v]) => final.get(k) !== v).map(([k, v]) => `${k}=${v} (got ${final.get(k) ?? 'unset'})`);
}

/** The cards' shell and tools, from our own configuration (busybox.fragment beside this file). */
export const busybox: Recipe = {
  name: 'busybox',
  version: '1.35.0',
  license: 'GPL-2.0-only',
  licenseFiles: ['LICENSE'],
  source: {
    url: 'https://busybox.net/downloads/busybox-1.35.0.tar.bz2',
    sha256: 'faeeb244c35a348a334f4a59e44626ee870fb07b6884d68c10ae8bc19f83a694',
    debian: 'busybox',
  },
  debianPatches: {
    package: 'busybox',
    version: '1:1.35.0-4+deb12u1',
    file: 'busybox_1.35.0-4+deb12u1.debian.tar.xz',
    sha256: '1cacbe095ef4880ea7879933c8e3c5075d1527cd6fbcb626a9b41e5daefd1a46',
    apply: [
      { name: 'CVE-2022-48174.patch', why: 'CVE-2022-48174: stack overflow in shell arithmetic (shell/math.c), ash on the cards' },
      { name: 'CVE-2023-42364-part1.patch', why: 'CVE-2023-42364 and CVE-2023-42365: use-after-free in awk (editors/awk.c)' },
      { name: 'CVE-2023-42364-part2.patch', why: 'the regression fix that part 1 needs' },
      { name: 'CVE-2023-42363.patch', why: 'CVE-2023-42363: use-after-free in awk (editors/awk.c)' },
    ],
    note: "Debian's other 11 patches are packaging, installer and non-Linux build changes, and an NFS mount fix for Debian's own kernels; none is a security fix",
  },
  ownPatches: [{ file: 'ftpd-owner-login.patch', why: "ftpd logs in with the owner's password (camfw-login --check), never the stock /etc/shadow's, and closes after three failed logins" }],
  programs: [{ path: 'bin/busybox', smoke: ['sh', '-c', 'echo ok | grep -q ok && test "$(seq 3 | wc -l)" -eq 3'] }],
  async build(ctx) {
    // Kbuild takes CROSS_COMPILE; the toolchain's CC/CFLAGS in the environment would leak into host tools.
    const make = ['make', '-C', ctx.srcDir, `O=${ctx.buildDir}`, `CROSS_COMPILE=${ctx.tc.crossPrefix}`, 'HOSTCC=gcc'];
    const env = { CC: undefined, CFLAGS: undefined, LDFLAGS: undefined, CPP: undefined, AR: undefined, LD: undefined };
    const fragment = parseFragment(fs.readFileSync(path.join(ctx.recipeDir, FRAGMENT), 'utf8'));
    fragment.set('CONFIG_EXTRA_CFLAGS', JSON.stringify(ctx.tc.reproducibleCflags.join(' ')));
    const configFile = path.join(ctx.buildDir, '.config');
    // BusyBox's Kconfig resets KCONFIG_ALLCONFIG choices on allnoconfig's second pass,
    // so start from allnoconfig, set the fragment, and let oldconfig settle dependencies.
    await ctx.run('configure', [...make, 'allnoconfig'], { env });
    fs.writeFileSync(configFile, applyFragment(fs.readFileSync(configFile, 'utf8'), fragment));
    await ctx.run('oldconfig', [...make, 'oldconfig'], { env, input: '\n'.repeat(2000) });
    const missing = unappliedOptions(fs.readFileSync(configFile, 'utf8'), fragment);
    if (missing.length) throw new Error(`busybox: ${FRAGMENT} options that Kconfig did not keep:\n  ${missing.join('\n  ')}`);
    await ctx.run('build', [...make, `-j${ctx.jobs}`], { env });
    await ctx.run('install', [...make, `CONFIG_PREFIX=${ctx.destDir}`, 'install'], { env });
    fs.copyFileSync(configFile, path.join(ctx.destDir, 'busybox.config'));
  },
};
