// The card images are what the cameras need: partition layout, clean filesystems, root
// ownership, modes, relative symlinks, the grow tools on p1, the yi zip equal to the yi
// image, a complete manifest, partition sizes from the configuration, size budgets.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { BudgetError, checkTreeBudget } from '../scripts/lib/budgets.ts';
import { compareTrees, extractPartition, readMbr, unpackFilesystem } from '../scripts/lib/images/inspect.ts';
import { walkTree } from '../scripts/lib/images/tree.ts';
import type { ManifestEntry } from '../scripts/lib/manifest.ts';
import { paths } from '../scripts/lib/paths.ts';
import { run } from '../scripts/lib/run.ts';
import { sha256File } from '../scripts/lib/hash.ts';
import { buildImages, cardPrograms, hostPackages, imageStageOutput, runBuild, tmpDir } from './helpers.ts';

const MiB = 1024 * 1024;
let out: string;
let work: string;

function manifest(model: string): ManifestEntry[] {
  return (JSON.parse(fs.readFileSync(path.join(out, model, 'manifest.json'), 'utf8')) as { files: ManifestEntry[] }).files;
}

/** Unpacks every partition of a card image; returns their directories by partition number. */
async function unpackImage(image: string, into: string): Promise<Map<number, { dir: string; file: string; type: number }>> {
  const parts = new Map<number, { dir: string; file: string; type: number }>();
  fs.mkdirSync(into, { recursive: true });
  for (const p of readMbr(image)) {
    const file = path.join(into, `p${p.index}.img`);
    extractPartition(image, p, file);
    const dir = path.join(into, `p${p.index}`);
    await unpackFilesystem(file, p.type, dir);
    parts.set(p.index, { dir, file, type: p.type });
  }
  return parts;
}

/** Checks the unpacked files against the manifest: same set, same content, same modes where the filesystem keeps them. */
async function assertMatchesManifest(entries: ManifestEntry[], prefix: string, dir: string, modes: boolean): Promise<void> {
  const listed = entries.filter((e) => e.path === prefix.replace(/\/$/, '') || e.path.startsWith(prefix));
  const onCard = walkTree(dir);
  assert.deepEqual(onCard.map((e) => `${prefix}${e.rel}`).sort(), listed.map((e) => e.path).filter((p) => p !== prefix.replace(/\/$/, '')).sort());
  for (const e of onCard) {
    const m = listed.find((x) => x.path === `${prefix}${e.rel}`)!;
    assert.equal(e.kind, m.type, m.path);
    if (m.type === 'file') {
      assert.equal(fs.statSync(e.abs).size, m.size, m.path);
      if (m.sha256) assert.equal(await sha256File(e.abs), m.sha256, m.path);
      else assert.ok(m.secret, `${m.path} has no sha256 but is not secret`);
      assert.ok(m.origin, `${m.path} has no origin`);
    }
    if (m.type === 'symlink') {
      assert.equal(fs.readlinkSync(e.abs), m.target);
      assert.ok(!path.isAbsolute(m.target!), `${m.path} is an absolute link`);
      assert.ok(fs.existsSync(e.abs), `${m.path} -> ${m.target} dangles`);
    }
    if (modes) assert.equal(e.mode.toString(8).padStart(4, '0'), m.mode, `mode of ${m.path}`);
  }
}

before(async () => {
  await hostPackages();
  await cardPrograms('fang');
  out = imageStageOutput(tmpDir('images'));
  await buildImages(out);
  work = tmpDir('images-unpacked');
});

describe('fang image', () => {
  test('is an MBR with p1 FAT32 and p2 ext2, both clean, matching the manifest', async () => {
    const image = path.join(out, 'fang/camfw-fang.img');
    const mbr = readMbr(image);
    assert.deepEqual(mbr.map((p) => [p.index, p.type, p.offset, p.size]), [
      [1, 0x0c, MiB, 64 * MiB],
      [2, 0x83, 65 * MiB, 32 * MiB],
    ]);
    const parts = await unpackImage(image, path.join(work, 'fang'));
    const fat = await run(['fsck.vfat', '-n', parts.get(1)!.file], { allowFail: true });
    assert.equal(fat.code, 0, fat.stdout + fat.stderr);
    const ext = await run(['e2fsck', '-fn', parts.get(2)!.file], { allowFail: true });
    assert.equal(ext.code, 0, ext.stdout + ext.stderr);
    assert.match((await run(['dumpe2fs', '-h', parts.get(2)!.file])).stdout, /Filesystem volume name:\s+camfw-data/);

    const entries = manifest('fang');
    await assertMatchesManifest(entries, 'p1/', parts.get(1)!.dir, false);
    await assertMatchesManifest(entries, 'p2/', parts.get(2)!.dir, true);
    assert.ok(fs.existsSync(path.join(parts.get(1)!.dir, 'snx_autorun.sh')));
    // what grows p2 at boot is on p1, which is not in use then; p2 carries no copy
    for (const f of ['bootstrap/grow-data.sh', 'bootstrap/sbin/e2fsck', 'bootstrap/sbin/resize2fs'])
      assert.ok(fs.existsSync(path.join(parts.get(1)!.dir, f)), `no ${f} on p1`);
    assert.ok(!fs.existsSync(path.join(parts.get(2)!.dir, 'data/sbin/e2fsck')));
    assert.equal(fs.readlinkSync(path.join(parts.get(2)!.dir, 'data/sbin/ifconfig')), '../bin/busybox');
    assert.equal(fs.statSync(path.join(parts.get(2)!.dir, 'data/usr/sbin/lighttpd')).mode & 0o777, 0o755);
    assert.equal(fs.statSync(path.join(parts.get(2)!.dir, 'data/etc/camfw/stream.conf')).mode & 0o777, 0o600);
  });

  test('every inode of p2 belongs to root', async () => {
    const p2 = path.join(work, 'fang', 'p2.img');
    const entries = manifest('fang').filter((e) => e.path.startsWith('p2/'));
    const cmds = path.join(work, 'stat.cmds');
    fs.writeFileSync(cmds, entries.map((e) => `stat "${e.path.slice(2)}"`).join('\n') + '\n');
    const stat = (await run(['debugfs', '-f', cmds, p2])).stdout;
    const owners = [...stat.matchAll(/User:\s+(\d+)\s+Group:\s+(\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
    assert.equal(owners.length, entries.length);
    assert.deepEqual([...new Set(owners)], ['0:0']);
  });
});

describe('yi image and zip', () => {
  test('the image is an MBR with one clean FAT32 partition, and it holds exactly the zip', async () => {
    const image = path.join(out, 'yi/camfw-yi.img');
    assert.deepEqual(readMbr(image).map((p) => [p.index, p.type, p.offset, p.size]), [[1, 0x0c, MiB, 64 * MiB]]);
    const parts = await unpackImage(image, path.join(work, 'yi'));
    const fat = await run(['fsck.vfat', '-n', parts.get(1)!.file], { allowFail: true });
    assert.equal(fat.code, 0, fat.stdout + fat.stderr);
    const zipDir = path.join(work, 'yi-zip');
    await run(['unzip', '-q', path.join(out, 'yi/camfw-yi.zip'), '-d', zipDir]);
    assert.deepEqual(await compareTrees(parts.get(1)!.dir, zipDir), []);
    await assertMatchesManifest(manifest('yi'), '', zipDir, false);
    assert.ok(fs.existsSync(path.join(zipDir, 'test/equip_test.sh')));
  });

  test("the cards carry only card files, none of camfw's own data about the camera", () => {
    for (const model of ['fang', 'yi']) {
      const data = fs.readdirSync(path.join(paths.overlays, model)).filter((f) => f.endsWith('.json'));
      assert.ok(data.length > 0, `no data files in overlays/${model}`);
      const leaked = manifest(model).filter((e) => data.includes(path.basename(e.path)));
      assert.deepEqual(leaked.map((e) => e.path), [], `${model}: data files on the card`);
    }
  });

  test('zip entries are sorted, with one fixed time and unix modes', async () => {
    const listing = (await run(['zipinfo', '-T', '-l', path.join(out, 'yi/camfw-yi.zip')])).stdout.split('\n').filter((l) => /^[d-]r/.test(l));
    const names = listing.map((l) => l.split(/\s+/).pop()!);
    assert.deepEqual(names, [...names].sort((x, y) => (Buffer.from(x) < Buffer.from(y) ? -1 : 1)));
    assert.equal(new Set(listing.map((l) => l.split(/\s+/)[7])).size, 1, 'more than one timestamp');
    assert.ok(listing.every((l) => / unx /.test(l)), 'an entry without unix attributes');
    const mode = (name: string) => listing.find((l) => l.endsWith(` ${name}`))!.split(/\s+/)[0];
    assert.equal(mode('test/usr/sbin/lighttpd'), '-rwxr-xr-x');
    assert.equal(mode('test/www/index.html'), '-rw-r--r--');
    assert.equal(mode('test/etc/camfw/stream.conf'), '-rw-------');
  });
});

describe('sizes', () => {
  test('partition sizes come from the configuration', async () => {
    const dir = tmpDir('images-sized');
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ web: { password: 'a sized test card' }, images: { fangBootMiB: 40, fangDataMiB: 16, yiCardMiB: 48 } }));
    const sized = imageStageOutput(dir);
    await buildImages(sized, { config });
    assert.deepEqual(readMbr(path.join(sized, 'fang/camfw-fang.img')).map((p) => p.size / MiB), [40, 16]);
    assert.deepEqual(readMbr(path.join(sized, 'yi/camfw-yi.img')).map((p) => p.size / MiB), [48]);
  });

  test('the smallest allowed data partition still holds the card', async () => {
    const dir = tmpDir('images-small');
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ web: { password: 'a tiny test card' }, images: { fangDataMiB: 8 } }));
    const r = await runBuild(imageStageOutput(dir), { config, args: ['--model', 'fang'] });
    assert.equal(r.code, 0, r.stderr.slice(-2000));
  });

  test('a tree over its budget is refused, listing the largest files', () => {
    const dir = tmpDir('budget');
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin/big'), Buffer.alloc(5 * MiB));
    fs.writeFileSync(path.join(dir, 'small'), Buffer.alloc(1000));
    checkTreeBudget('test tree', dir, 6 * MiB);
    assert.throws(
      () => checkTreeBudget('test tree', dir, 4 * MiB),
      (e: Error) => e instanceof BudgetError && /test tree is 5\.00 MiB, over its budget of 4\.00 MiB by 1\.00 MiB/.test(e.message) && /5\.00 MiB  bin\/big\n\s+1\.0 KiB  small/.test(e.message),
    );
  });

  test('an invalid configuration is refused before any work', async () => {
    const dir = tmpDir('images-invalid');
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ video: { fps: 0 } }));
    const fresh = path.join(dir, 'out');
    const r = await runBuild(fresh, { config });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /video\.fps: 0 is not allowed: 1 to 30/);
    assert.ok(!fs.existsSync(fresh), 'the build did work before refusing the configuration');
  });
});

