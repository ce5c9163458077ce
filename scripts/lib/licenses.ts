import fs from 'node:fs';
import path from 'node:path';
import type { Toolchain } from '../../toolchain/types.ts';
import { buildOrder, recipeDir } from './builder.ts';
import { paths } from './paths.ts';
import type { Recipe } from './recipe.ts';
import { run } from './run.ts';
import { fetchSource, sourceFileName } from './sources.ts';

/** Debian's copy of the licence texts our own code refers to by SPDX id. */
const COMMON_LICENSES: Record<string, string> = { 'GPL-2.0-only': '/usr/share/common-licenses/GPL-2' };

export interface PackageInfo {
  name: string;
  version: string;
  license: string;
  source: string;
  sha256?: string;
  /** Debian's fixes applied to the source: the Debian version and each patch with its reason. */
  patches?: string;
}

export function packageInfo(r: Recipe): PackageInfo {
  return {
    name: r.name,
    version: r.version,
    license: r.license,
    source: r.source ? r.source.url : `camfw's own code: ${path.relative(paths.root, recipeDir(r))}/`,
    sha256: r.source?.sha256,
    patches: r.debianPatches
      ? (r.debianPatches.apply.length
          ? `from Debian ${r.debianPatches.package} ${r.debianPatches.version} (${r.debianPatches.file}, sha256 ${r.debianPatches.sha256}): ` +
            r.debianPatches.apply.map((a) => `${a.name} (${a.why})`).join('; ')
          : 'none') +
        `. ${r.debianPatches.note}` +
        (r.ownPatches ?? []).map((o) => `. camfw's own: ${o.file} (${o.why})`).join('')
      : undefined,
  };
}

/** Copies a recipe's licence files from its verified source tarball (or its own directory) into `dest`. */
async function copyLicenseFiles(r: Recipe, dest: string): Promise<void> {
  fs.mkdirSync(dest, { recursive: true });
  if (!r.source) {
    for (const f of r.licenseFiles) {
      fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
      fs.copyFileSync(path.join(recipeDir(r), f), path.join(dest, f));
    }
    const text = COMMON_LICENSES[r.license];
    if (!text) throw new Error(`recipe ${r.name}: no licence text known for ${r.license}`);
    fs.copyFileSync(text, path.join(dest, r.license));
    return;
  }
  const archive = await fetchSource(r.source);
  const members = r.licenseFiles.map((f) => `*/${f}`);
  await run(['tar', '-xf', archive, '-C', dest, '--strip-components=1', '--wildcards', '--no-wildcards-match-slash', ...members]);
  for (const f of r.licenseFiles)
    if (!fs.existsSync(path.join(dest, f))) throw new Error(`recipe ${r.name}: licence file ${f} is not in ${sourceFileName(r.source)}`);
}

/**
 * licenses/: for each package whose code is on the card (the card recipes and what they
 * link), its licence files and a PACKAGE file (version, licence, source URL, sha256); and
 * the licences of the libraries the toolchain links into every program.
 */
export async function writeLicenses(dir: string, cardRecipes: Recipe[], tc: Toolchain): Promise<void> {
  fs.rmSync(dir, { recursive: true, force: true });
  const lines: string[] = [];
  for (const r of buildOrder(cardRecipes.map((x) => x.name))) {
    const info = packageInfo(r);
    await copyLicenseFiles(r, path.join(dir, r.name));
    fs.writeFileSync(
      path.join(dir, r.name, 'PACKAGE'),
      Object.entries(info)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n') + '\n',
    );
    lines.push(`${r.name} ${r.version}: ${r.license}`);
  }
  for (const lib of tc.linkedLicenses) {
    fs.mkdirSync(path.join(dir, lib.name), { recursive: true });
    fs.copyFileSync(lib.file, path.join(dir, lib.name, 'copyright'));
    lines.push(`${lib.name} (linked by the ${tc.id} toolchain): see ${lib.name}/copyright`);
  }
  if (!tc.linkedLicenses.length) lines.push(`the C library of the ${tc.id} toolchain: its licence is not recorded; check the SDK`);
  fs.writeFileSync(path.join(dir, 'README'), `Software on this card and its licences.\n\n${lines.join('\n')}\n`);
}
