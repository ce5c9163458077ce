// User-mode QEMU checks: every ARM program built for the cards is static, stripped, an
// ARMv5TE program, and runs as an ARM926EJ-S under each camera's kernel version.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { CAMERA_KERNELS } from '../scripts/lib/cameras.ts';
import { paths } from '../scripts/lib/paths.ts';
import { run } from '../scripts/lib/run.ts';
import { LIGHTTPD_MODULES } from '../recipes/lighttpd/recipe.ts';
import { cardPrograms, cardToolbox, renderCard, tmpDir, type Built } from './helpers.ts';

let b: Built;
before(async () => {
  b = await cardPrograms('fang');
});

function stagePath(recipe: string, rel: string): string {
  return path.join(b.built.get(recipe)!.stageDir, rel);
}

function qemu(kernel: string, program: string, args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  const env = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ['-E', `${k}=${v}`]);
  return run(['qemu-arm', '-cpu', 'arm926', '-r', kernel, ...env, program, ...args], { allowFail: true, cwd: opts.cwd, timeoutMs: 120_000 });
}

describe('every card program', () => {
  test('is static, stripped, ARMv5TE, and runs its smoke command under each camera kernel', async () => {
    let checked = 0;
    for (const { recipe, stageDir } of b.built.values()) {
      for (const prog of recipe.programs) {
        const file = path.join(stageDir, prog.path);
        const headers = (await run(['readelf', '-lS', file])).stdout;
        assert.doesNotMatch(headers, /INTERP/, `${prog.path} asks for a dynamic loader`);
        assert.doesNotMatch(headers, /\.symtab/, `${prog.path} is not stripped`);
        const attrs = (await run(['readelf', '-A', file])).stdout;
        assert.match(attrs, /Tag_CPU_arch: v5TEJ?\n/, `${prog.path}: ${attrs}`);
        assert.doesNotMatch(attrs, /Tag_FP_arch|Tag_VFP_arch/, `${prog.path} uses the FPU`);
        for (const kernel of CAMERA_KERNELS) {
          const r = await qemu(kernel, file, prog.smoke ?? ['--help']);
          if (prog.smoke) assert.equal(r.code, 0, `${prog.path} ${prog.smoke.join(' ')} on ${kernel}: ${r.stderr}`);
          else assert.ok(r.code === 0 || r.code === 1 || r.code === 2, `${prog.path} crashed on ${kernel}: ${r.code} ${r.stderr}`);
        }
        checked++;
      }
    }
    assert.ok(checked >= 3, `only ${checked} programs found`);
  });
});

describe('lighttpd', () => {
  test('accepts the card configuration and every module the web UI needs', async () => {
    const lighttpd = stagePath('lighttpd', 'usr/sbin/lighttpd');
    const root = await renderCard('fang', {});
    const cardConf = path.join(root, 'etc/lighttpd.conf');
    const allModules = path.join(root, 'all-modules.conf');
    fs.writeFileSync(
      allModules,
      [
        `server.document-root = "${root}/www"`,
        'server.port = 8080',
        `server.modules = (${LIGHTTPD_MODULES.map((m) => `"${m}"`).join(', ')})`,
        'url.rewrite-once = ( "^/old/(.*)$" => "/$1" )',
        'alias.url = ( "/rec/" => "/tmp/" )',
        'setenv.add-response-header = ( "X-Camera" => "camfw" )',
        'cgi.assign = ( ".cgi" => "" )',
        `accesslog.filename = "${root}/access.log"`,
        'url.access-deny = ( "~" )',
        'index-file.names = ( "index.html" )',
        '',
      ].join('\n'),
    );
    for (const kernel of CAMERA_KERNELS) {
      const card = await qemu(kernel, lighttpd, ['-tt', '-f', cardConf], { env: { CAMFW_ROOT: root, CAMFW_WEB_PORT: '80', CAMFW_RECORD_DIR: root } });
      assert.equal(card.code, 0, `card config on ${kernel}: ${card.stderr}${card.stdout}`);
      const all = await qemu(kernel, lighttpd, ['-tt', '-f', allModules]);
      assert.equal(all.code, 0, `modules on ${kernel}: ${all.stderr}${all.stdout}`);
    }
  });
});

describe('busybox', () => {
  const NEEDED = ['sh', 'run-parts', 'telnetd', 'tcpsvd', 'ftpd', 'ntpd', 'udhcpc', 'udhcpd', 'dumpleases', 'fdisk', 'mount', 'umount', 'kill', 'killall', 'ps', 'top', 'wget', 'crond', 'crontab', 'insmod', 'ifconfig', 'route', 'arp', 'sha256sum', 'tar', 'gzip', 'vi', 'awk', 'sed', 'grep'];

  test('has every applet the cards need, and they run', async () => {
    const bb = stagePath('busybox', 'bin/busybox');
    const list = (await qemu(CAMERA_KERNELS[0], bb, ['--list'])).stdout.split('\n');
    for (const a of NEEDED) assert.ok(list.includes(a), `applet ${a} missing`);

    const dir = tmpDir('busybox');
    fs.mkdirSync(path.join(dir, 'parts'));
    fs.writeFileSync(path.join(dir, 'parts', '10-first'), '#!/bin/sh\necho first\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'parts', '20-off'), '#!/bin/sh\necho off\n', { mode: 0o644 });
    fs.writeFileSync(path.join(dir, 'data'), 'camfw\n');
    const script = [
      'set -e',
      'test "$(run-parts --test parts)" = "parts/10-first"',
      'test "$(sha256sum data | cut -d" " -f1)" = "$(echo camfw | sha256sum | cut -d" " -f1)"',
      'tar -czf t.tgz data parts && mkdir x && tar -xzf t.tgz -C x && cmp data x/data',
      'test "$(echo "a b c" | awk "{print \\$2}")" = b',
      'test "$(echo hello | sed s/l/L/g)" = heLLo',
      'test "$((6 * 7))" = 42',
      'echo all-ok',
    ].join('\n');
    for (const kernel of CAMERA_KERNELS) {
      fs.rmSync(path.join(dir, 'x'), { recursive: true, force: true });
      // the card's applets alone on PATH: no host tool can stand in for one
      const r = await qemu(kernel, bb, ['sh', '-c', script], { cwd: dir, env: { PATH: await cardToolbox(bb, kernel) } });
      assert.equal(r.code, 0, `on ${kernel}: ${r.stderr}`);
      assert.match(r.stdout, /all-ok/);
    }
  });
});

describe("busybox with Debian's security fixes", () => {
  test('awk refuses assignments to what is not a variable (CVE-2023-42364 fix), and the manifest names every fix', async () => {
    const bb = stagePath('busybox', 'bin/busybox');
    for (const program of ['BEGIN { 7 *= 7 }', 'BEGIN { "qwe" = 1 }']) {
      const r = await qemu(CAMERA_KERNELS[0], bb, ['awk', program]);
      assert.notEqual(r.code, 0, `awk '${program}' was accepted`);
      assert.match(r.stderr, /awk: cmd\. line:1: /);
    }
    const ok = await qemu(CAMERA_KERNELS[0], bb, ['awk', 'BEGIN { v = 3 == 3; u = 0 ? 1 : 2; print v, u }']);
    assert.equal(ok.stdout, '1 2\n');
    const manifest = JSON.parse(fs.readFileSync(path.join(paths.model('fang'), 'manifest.json'), 'utf8')) as { files: Array<{ path: string; origin?: { patches?: string[] } }> };
    const entry = manifest.files.find((f) => f.path === 'p2/data/bin/busybox')!;
    assert.deepEqual(entry.origin?.patches, b.built.get('busybox')!.recipe.debianPatches!.apply.map((a) => `busybox: ${a.name}`));
  });
});

describe('avworker-min', () => {
  async function probe(file: string) {
    const r = await run(['ffprobe', '-v', 'error', '-count_frames', '-count_packets', '-show_entries',
      'stream=codec_type,codec_name,width,height,nb_read_frames,nb_read_packets', '-of', 'json', file]);
    return (JSON.parse(r.stdout) as { streams: Array<Record<string, string | number>> }).streams;
  }

  test('remuxes H.264 + AAC from MPEG-TS into FLV with the same codecs, size and frame count', async () => {
    const avw = stagePath('avworker-min', 'usr/bin/avworker-min');
    const dir = tmpDir('avworker');
    const input = path.join(dir, 'in.ts');
    await run(['ffmpeg', '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '3', '-pix_fmt', 'yuv420p',
      '-c:v', 'libx264', '-profile:v', 'baseline', '-bf', '0', '-g', '25', '-c:a', 'aac', '-b:a', '64k', '-shortest', input]);
    const want = await probe(input);
    for (const kernel of CAMERA_KERNELS) {
      const output = path.join(dir, `out-${kernel}.flv`);
      const r = await qemu(kernel, avw, [input, output]);
      assert.equal(r.code, 0, `on ${kernel}: ${r.stderr}`);
      assert.match(r.stderr, /output: writing .*out-.*\.flv, waiting for a keyframe/);
      const got = await probe(output);
      for (const type of ['video', 'audio']) {
        const w = want.find((s) => s.codec_type === type)!;
        const g = got.find((s) => s.codec_type === type);
        assert.ok(g, `no ${type} stream in ${output}`);
        assert.equal(g.codec_name, w.codec_name);
        // the AAC encoder's priming frame comes before the first picture: an output starts at a keyframe
        const before = type === 'audio' ? 1 : 0;
        assert.equal(Number(g.nb_read_packets), Number(w.nb_read_packets) - before, `${type} packets`);
        if (type === 'video') {
          assert.equal(g.width, w.width);
          assert.equal(g.height, w.height);
          assert.equal(g.nb_read_frames, w.nb_read_frames, 'video frames');
        }
      }
    }
  });

  test('fails with a message naming the input it cannot open', async () => {
    const avw = stagePath('avworker-min', 'usr/bin/avworker-min');
    const dir = tmpDir('avworker');
    const r = await qemu(CAMERA_KERNELS[0], avw, [path.join(dir, 'missing.ts'), path.join(dir, 'out.flv')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /error: cannot open the input .*missing\.ts: No such file or directory/);
    const usage = await qemu(CAMERA_KERNELS[0], avw, []);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /usage: avworker-min INPUT OUTPUT/);
  });
});
