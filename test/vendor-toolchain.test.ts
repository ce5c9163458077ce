// The vendor SDK toolchain path, for real: an archive made here (wrappers around the
// Debian cross gcc under the Hi3518 SDK's names), served by a local HTTP server, fetched,
// verified, cached, unpacked, its prefix found, and used to build a recipe.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setupMusl } from '../toolchain/musl-armv5te.ts';
import { BINUTILS, FIXED_BUILD_ROOT } from '../toolchain/types.ts';
import { sha256File } from '../scripts/lib/hash.ts';
import { paths } from '../scripts/lib/paths.ts';
import { run } from '../scripts/lib/run.ts';
import { hostPackages, tmpDir } from './helpers.ts';

const PREFIX = 'arm-hisiv100nptl-linux-';
let dir: string;
let archive: string;
let archiveSha: string;
let server: http.Server;
let base: string;

/**
 * An SDK-shaped archive whose compiler is a wrapper around camfw's musl toolchain that
 * says it is the Hi3518 SDK's gcc 4.4.1.
 */
async function makeFakeSdk(into: string, prefix: string): Promise<string> {
  const musl = await setupMusl();
  const bin = path.join(into, 'sdk/opt/hisi-linux-nptl/arm-hisiv100-linux/target/bin');
  fs.mkdirSync(bin, { recursive: true });
  for (const tool of ['gcc', ...BINUTILS]) {
    const version = tool === 'gcc' ? 'case " $* " in *" -dumpversion "*) echo 4.4.1; exit 0 ;; esac\n' : '';
    fs.writeFileSync(path.join(bin, `${prefix}${tool}`), `#!/bin/sh\n${version}exec "${musl.crossPrefix}${tool}" "$@"\n`, { mode: 0o755 });
  }
  const out = path.join(into, 'Hi3518_toolchain.tgz');
  await run(['tar', '-czf', out, '-C', path.join(into, 'sdk'), 'opt']);
  return out;
}

function cli(script: 'toolchain' | 'build', args: string[], env: Record<string, string> = {}, output = path.join(dir, 'output')) {
  return run([path.join(paths.root, 'node_modules/.bin/tsx'), path.join(paths.root, 'scripts', `${script}.ts`), ...args], {
    allowFail: true,
    env: { CAMFW_OUTPUT: output, CAMFW_CACHE: path.join(dir, 'cache'), CAMFW_HISIV100_TOOLCHAIN: undefined, CAMFW_HISIV100_TOOLCHAIN_SHA256: undefined, ...env },
    timeoutMs: 600_000,
  });
}

/** The staging tree of `recipe` in `output` (named by its key). */
function stageOf(output: string, recipe: string): string {
  const stage = path.join(output, 'stage/hisiv100');
  const found = fs.readdirSync(stage).filter((f) => new RegExp(`^${recipe}-[0-9a-f]{16}$`).test(f));
  assert.equal(found.length, 1, `${recipe} in ${stage}: ${found.join(', ')}`);
  return path.join(stage, found[0]);
}

before(async () => {
  await hostPackages();
  dir = tmpDir('vendor');
  archive = await makeFakeSdk(dir, PREFIX);
  archiveSha = await sha256File(archive);
  const body = fs.readFileSync(archive);
  server = http.createServer((req, res) => {
    if (req.url === '/Hi3518_toolchain.tgz') {
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    } else if (req.url === '/truncated.tgz') {
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, body.length >> 1), () => res.destroy());
    } else {
      res.writeHead(404);
      res.end('not here');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server?.close();
  // what the fake gcc 4.4 compiled in the fixed build root: only its lock files are left;
  // the root itself goes too unless another build uses it
  fs.rmSync(path.join(FIXED_BUILD_ROOT, 'hisiv100'), { recursive: true, force: true });
  if (fs.existsSync(FIXED_BUILD_ROOT) && fs.readdirSync(FIXED_BUILD_ROOT).length === 0) fs.rmdirSync(FIXED_BUILD_ROOT);
});

describe('vendor toolchain hisiv100', () => {
  test('is fetched over HTTP, verified, cached, unpacked and its prefix found', async () => {
    const r = await cli('toolchain', ['--model', 'yi', '--toolchain-archive', `${base}/Hi3518_toolchain.tgz`, '--toolchain-sha256', archiveSha, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const tc = JSON.parse(r.stdout) as { id: string; crossPrefix: string; libc: string; gccVersion: string; reproducibleCflags: string[] };
    assert.equal(tc.id, 'hisiv100');
    assert.match(tc.crossPrefix, new RegExp(`/camfw-bin-[0-9a-f]{16}/${PREFIX}$`));
    assert.equal(tc.gccVersion, '4.4.1');
    // gcc 4.4 has no -ffile-prefix-map
    assert.deepEqual(tc.reproducibleCflags, ['-fdebug-prefix-map=/tmp/camfw-build=/camfw']);
    const cached = fs.readdirSync(path.join(dir, 'cache/dl')).filter((f) => f.startsWith('hisiv100-'));
    assert.equal(cached.length, 1);
    assert.equal(await sha256File(path.join(dir, 'cache/dl', cached[0])), archiveSha);

    const src = path.join(dir, 'hello.c');
    fs.writeFileSync(src, '#include <stdio.h>\nint main(void){puts("hello from the SDK");return 0;}\n');
    await run([`${tc.crossPrefix}gcc`, '-static', src, '-o', path.join(dir, 'hello')]);
    const out = await run(['qemu-arm', '-cpu', 'arm926', '-r', '3.0.8', path.join(dir, 'hello')]);
    assert.equal(out.stdout.trim(), 'hello from the SDK');
    assert.match((await run(['readelf', '-A', path.join(dir, 'hello')])).stdout, /Tag_CPU_arch: v5TE/);
  });

  test('is chosen by default when the environment names it, from a local archive', async () => {
    const r = await cli('toolchain', ['--model', 'yi', '--json'], { CAMFW_HISIV100_TOOLCHAIN: archive, CAMFW_HISIV100_TOOLCHAIN_SHA256: archiveSha });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { id: string }).id, 'hisiv100');
  });

  test('builds a recipe, with the same bytes in another output directory (no build path in it)', async () => {
    const args = ['--model', 'yi', '--recipes', 'lighttpd', '--toolchain-archive', `${base}/Hi3518_toolchain.tgz`, '--toolchain-sha256', archiveSha];
    const r = await cli('build', args);
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    const lighttpd = path.join(stageOf(path.join(dir, 'output'), 'lighttpd'), 'usr/sbin/lighttpd');
    const v = await run(['qemu-arm', '-cpu', 'arm926', '-r', '3.0.8', lighttpd, '-v']);
    assert.match(v.stdout, /lighttpd\/1\.4\.69/);
    const other = path.join(dir, 'elsewhere', 'out');
    fs.mkdirSync(other, { recursive: true });
    for (const d of ['dl', 'apt']) fs.symlinkSync(path.join(dir, 'output', d), path.join(other, d));
    const again = await cli('build', args, {}, other);
    assert.equal(again.code, 0, again.stderr.slice(-3000));
    const second = path.join(stageOf(other, 'lighttpd'), 'usr/sbin/lighttpd');
    assert.equal(await sha256File(second), await sha256File(lighttpd));
    for (const out of [path.join(dir, 'output'), other]) assert.ok(!fs.readFileSync(lighttpd).includes(out), `${out} is in the program`);
  });

  test('with a wrong sha256 is refused, naming the file and both hashes', async () => {
    const wrong = '0'.repeat(64);
    const r = await cli('toolchain', ['--toolchain-archive', `${base}/Hi3518_toolchain.tgz`, '--toolchain-sha256', wrong]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /sha256 mismatch for hisiv100-000000000000-Hi3518_toolchain\.tgz/);
    assert.ok(r.stderr.includes(`expected ${wrong}, got ${archiveSha}`), r.stderr);
    assert.ok(!fs.existsSync(path.join(dir, 'cache/dl', 'hisiv100-000000000000-Hi3518_toolchain.tgz')), 'a bad download was cached');
  });

  test('with a truncated download is refused', async () => {
    const r = await cli('toolchain', ['--toolchain-archive', `${base}/truncated.tgz`, '--toolchain-sha256', archiveSha]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /truncated\.tgz: (truncated download, got \d+ of \d+ bytes|download broke off after \d+ bytes)/);
  });

  test('with a missing archive says so', async () => {
    const r = await cli('toolchain', ['--toolchain-archive', `${base}/missing.tgz`, '--toolchain-sha256', archiveSha]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /missing\.tgz: HTTP 404/);
    const local = await cli('toolchain', ['--toolchain-archive', path.join(dir, 'nowhere.tgz'), '--toolchain-sha256', archiveSha]);
    assert.equal(local.code, 1);
    assert.match(local.stderr, /nowhere\.tgz: no such file/);
  });

  test('without a source explains how to give one', async () => {
    const r = await cli('toolchain', ['--toolchain', 'sn986']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--toolchain-archive URL\|PATH --toolchain-sha256 HEX, or set CAMFW_SN986_TOOLCHAIN and CAMFW_SN986_TOOLCHAIN_SHA256/);
  });

  test('from an archive without the SDK compiler is refused, naming the prefix', async () => {
    const r = await cli('toolchain', ['--toolchain', 'sn986', '--toolchain-archive', archive, '--toolchain-sha256', archiveSha]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /sn986 toolchain: no bin\/arm-linux-gcc or bin\/arm-unknown-linux-uclibcgnueabi-gcc in/);
  });
});
