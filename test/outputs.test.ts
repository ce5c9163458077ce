// What a build leaves besides the images: secrets nowhere but on the card, and the legal
// information a GPL source offer needs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { buildOrder, findRecipe } from '../scripts/lib/builder.ts';
import { CAMERAS } from '../scripts/lib/cameras.ts';
import { cardRecipes } from '../scripts/lib/card-parts.ts';
import { sha256File } from '../scripts/lib/hash.ts';
import { paths } from '../scripts/lib/paths.ts';
import { run } from '../scripts/lib/run.ts';
import { sourceFileName } from '../scripts/lib/sources.ts';
import { walkTree } from '../scripts/lib/images/tree.ts';
import { cardPrograms, hostPackages, imageStageOutput, runBuild, tmpDir } from './helpers.ts';

const SECRETS = { psk: 'wifi-passphrase-7731', password: 'web-password-5521' };

before(async () => {
  await hostPackages();
  await cardPrograms('fang');
});

describe('secrets', () => {
  test('appear in no log, no output file but the card, and not in the manifest', async () => {
    const dir = tmpDir('secrets');
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({ wifi: { ssid: 'home', psk: SECRETS.psk }, web: { password: SECRETS.password } }),
    );
    const out = imageStageOutput(dir);
    const r = await runBuild(out, { config, env: { CAMFW_VERBOSE: '1' } });
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    const printed = r.stdout + r.stderr;
    for (const s of Object.values(SECRETS)) assert.ok(!printed.includes(s), `printed: ${s}`);
    // every file the build wrote outside the card trees and images
    const written = walkTree(out).filter((e) => e.kind === 'file' && !/\/tree\/|\.img$|\.zip$/.test(`/${e.rel}`));
    assert.ok(written.some((e) => e.rel.endsWith('manifest.json')) && written.some((e) => e.rel.endsWith('commands.log')));
    for (const e of written) {
      const text = fs.readFileSync(e.abs, 'latin1');
      for (const s of Object.values(SECRETS)) assert.ok(!text.includes(s), `${e.rel} holds ${s}`);
    }
    // on the card, only in the form the camera needs
    const card = path.join(out, 'fang/tree/p2/data/etc');
    assert.ok(!fs.readFileSync(path.join(card, 'wpa_supplicant.conf'), 'utf8').includes(SECRETS.psk));
    assert.ok(!fs.readFileSync(path.join(card, 'camfw/web.passwd'), 'utf8').includes(SECRETS.password));
  });
});

describe('npm run legal-info', () => {
  test('gathers the exact sources, our recipes and the licences of everything on the cards', async () => {
    const out = imageStageOutput(tmpDir('legal'));
    const r = await run([path.join(paths.root, 'node_modules/.bin/tsx'), path.join(paths.root, 'scripts/legal-info.ts')], { env: { CAMFW_OUTPUT: out }, allowFail: true });
    assert.equal(r.code, 0, r.stderr);
    const legal = path.join(out, 'legal-info');
    const sources = fs.readFileSync(path.join(legal, 'SOURCES.txt'), 'utf8');
    for (const recipe of buildOrder(cardRecipes(CAMERAS.fang))) {
      assert.ok(fs.existsSync(path.join(legal, 'sources', `${recipe.name}-${recipe.version}-camfw-recipe.tar.gz`)), recipe.name);
      if (recipe.source) {
        const file = path.join(legal, 'sources', sourceFileName(recipe.source));
        assert.equal(await sha256File(file), recipe.source.sha256, recipe.name);
        assert.ok(sources.includes(recipe.source.sha256));
      }
      for (const f of recipe.licenseFiles) assert.ok(fs.existsSync(path.join(legal, 'licenses', recipe.name, f)), `${recipe.name}/${f}`);
      assert.match(fs.readFileSync(path.join(legal, 'licenses', recipe.name, 'PACKAGE'), 'utf8'), new RegExp(`license: ${recipe.license}`));
    }
    // Debian's fixes: the packaging tarball of every recipe that applies some, and every recipe's statement
    for (const recipe of buildOrder(cardRecipes(CAMERAS.fang)).filter((r) => r.source)) {
      const deb = recipe.debianPatches;
      assert.ok(deb, `${recipe.name} does not state which Debian patches it applies`);
      const pkg = fs.readFileSync(path.join(legal, 'licenses', recipe.name, 'PACKAGE'), 'utf8');
      assert.ok(pkg.includes(`patches: ${deb.apply.length ? `from Debian ${deb.package} ${deb.version}` : 'none'}`), pkg);
      assert.ok(pkg.includes(deb.note), pkg);
      for (const a of deb.apply) assert.ok(pkg.includes(`${a.name} (${a.why})`) && sources.includes(a.name), a.name);
      if (deb.apply.length) assert.equal(await sha256File(path.join(legal, 'sources', deb.file)), deb.sha256);
    }
    assert.ok(findRecipe('busybox').debianPatches!.apply.length >= 4);
    assert.ok(fs.existsSync(path.join(legal, 'licenses/musl/copyright')));
    assert.ok(fs.existsSync(path.join(legal, 'licenses/avworker-min/GPL-2.0-only')));
  });
});
