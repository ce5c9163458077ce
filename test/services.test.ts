// camfw's services on the emulated cameras, under the card's supervisor (BusyBox runsvdir):
// what the owner configured starts at boot (the push to nginx-rtmp on the host, reached at
// 10.0.2.2 as a camera reaches its network, and the recording on the card), whatever dies
// comes back with a capped, growing delay and a log line, a service stopped by its init
// script stays stopped, logs stay bounded under a request flood, the stream key shows
// nowhere on the camera, and telnet, SSH and FTP take the owner's password only.
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bootCamera, type RunningCamera } from './qemu/camera.ts';
import { FANG_PAIRED } from './qemu/fang/model.ts';
import { startRtmpServer, type RtmpServer } from './peers/nginx-rtmp.ts';
import { cardImage, cardPrograms, forgetFailedLogins, ftp, OWNER_PASSWORD, ownerSession, sessionCookie, ssh, telnet, tmpDir } from './helpers.ts';
import { run } from '../scripts/lib/run.ts';
import { hostileSweep, type Send } from './hostile.ts';
import { probeMedia, type WorkerStatus } from './avworker.ts';
import { waitFor } from './wait.ts';

const HOST = '10.0.2.2';
const KEY = 'camfw-key-5d21b7';

let dir: string;
let nginx: RtmpServer;

/** What the camera's services configuration is in this test: push with the key, record in 10 s segments. */
const streaming = () => ({
  stream: { url: `rtmp://${HOST}:${nginx.port}/live`, key: KEY },
  record: { segmentSeconds: 10, keepFreeMb: 8 },
  services: { rtmp: true, record: true },
});

async function streamStatus(cam: RunningCamera): Promise<WorkerStatus | undefined> {
  try {
    return JSON.parse((await cam.exec('cat /tmp/camfw/stream.json 2> /dev/null')).output) as WorkerStatus;
  } catch {
    return undefined;
  }
}

/** The worker's status once its first segment is closed (10 s segments). */
function secondSegment(cam: RunningCamera): Promise<WorkerStatus> {
  return waitFor('a recorded segment', async () => {
    const s = await streamStatus(cam);
    return s && (s.record.segments ?? 0) >= 2 ? s : undefined;
  }, 60_000, async () => JSON.stringify(await streamStatus(cam)));
}

/** The init script of a service: busybox sh etc/camfw/services/NN-NAME.sh CARD_DIR ACTION. */
async function service(cam: RunningCamera, cardDir: string, file: string, action: string): Promise<{ code: number; output: string }> {
  return cam.exec(`${cardDir}/bin/busybox sh ${cardDir}/etc/camfw/services/${file}.sh ${cardDir} ${action}`, 30_000);
}

async function pidOf(cam: RunningCamera, name: string): Promise<number | undefined> {
  const out = (await cam.exec(`pidof ${name}`)).output.trim().split('\n').at(-1) ?? '';
  return /^\d+$/.test(out) ? Number(out) : undefined;
}

before(async () => {
  dir = tmpDir('services');
  nginx = await startRtmpServer(path.join(dir, 'nginx'));
});
after(async () => {
  await nginx?.stop();
});

describe('emulated YI: camfw\'s services under the supervisor', () => {
  const CARD = '/home/hd1/test';
  let cam: RunningCamera;
  /** The web password: the sweep changes it (and says to what) */
  let password = OWNER_PASSWORD;
  /** Turns `setting` on from the web page, as the owner; the session's cookie. */
  async function turnOn(setting: string): Promise<string> {
    const { cookie, csrf } = await ownerSession(cam, 80, password);
    const on = await fetch(`${cam.url}api/settings`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify({ [setting]: true }) });
    assert.equal(on.status, 200, await on.text());
    return cookie;
  }
  before(async () => {
    const busybox = path.join((await cardPrograms('yi')).built.get('busybox')!.stageDir, 'bin/busybox');
    cam = await bootCamera('yi', await cardImage('yi', dir, 'yi-stream', streaming(), ['rtspsvr']), busybox);
    await cam.cardPage();
  });
  after(async () => {
    await cam?.stop();
  });

  test('the push and the recording start at boot, and every service says it runs', async () => {
    await waitFor('the camera publishing to nginx', () => nginx.publishing(KEY), 120_000, async () => (await cam.exec('cat /tmp/camfw.log; tail -20 /tmp/camfw/log/stream/current')).output);
    const s = await secondSegment(cam);
    assert.equal(s.input.url, 'rtsp://127.0.0.1:554/ch0_0.h264');
    assert.equal(s.rtmp.state, 'running');
    const files = (await cam.exec('ls -1 /home/hd1/record')).output.trim().split('\n');
    assert.ok(files.some((f) => /^\d{8}-\d{6}\.mp4$/.test(f)), files.join(' '));
    for (const [file, name] of [['10-ntp', 'ntpd'], ['20-web', 'lighttpd'], ['30-rtsp', 'rtspsvr'], ['40-stream', 'avworker-min']]) {
      const r = await service(cam, CARD, file, 'status');
      assert.equal(r.code, 0, `${file}: ${r.output}`);
      assert.match(r.output, /^run: \/tmp\/camfw\/service\/\w+: \(pid \d+\) \d+s/m, r.output);
      const pidfile = (await cam.exec(`cat /tmp/camfw/${file.slice(3)}.pid`)).output;
      assert.equal(Number(pidfile.trim()), await pidOf(cam, name), `${file}: the pidfile (${JSON.stringify(pidfile)}) does not name ${name}:\n${(await cam.exec('ps; cat /tmp/camfw.log')).output}`);
    }
  });

  test('the stream key and its URL show nowhere on the camera: processes, status, logs, web root', async () => {
    // (the command holds no key: the camera's shell echoes it, and it is a process too)
    const places = await cam.exec(`ps w; cat /proc/*/cmdline /proc/*/environ | tr '\\0' ' '; cat /tmp/camfw/stream.json /tmp/camfw.log /tmp/camfw/log/*/current; find ${CARD}/www -type f -exec cat {} +; true`);
    assert.ok(!places.output.includes(KEY), `the key shows on the camera:\n${places.output.split('\n').filter((l) => l.includes(KEY)).join('\n')}`);
    assert.match((await streamStatus(cam))!.rtmp.target!, /^rtmp:\/\/10\.0\.2\.2:\d+\/\.\.\.$/);
  });

  test('a killed lighttpd is back within seconds, and the log says so', async () => {
    const before = await pidOf(cam, 'lighttpd');
    await cam.exec(`kill -9 ${before}`);
    const line = await cam.fileLine('/tmp/camfw.log', /camfw: web: killed by signal 9 after \d+ s; restarting in \d+ s/);
    assert.ok(line);
    const after = await waitFor('lighttpd again', async () => {
      const p = await pidOf(cam, 'lighttpd');
      return p && p !== before ? p : undefined;
    }, 30_000);
    assert.notEqual(after, before);
    const r = await fetch(`${cam.url}public/build.txt`);
    assert.equal(r.status, 200);
  });

  test('a worker that keeps dying is restarted after 1, 2, 4 and 8 s; stopped, it stays down; started, it streams again', async () => {
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const pid = await waitFor('avworker-min running', () => pidOf(cam, 'avworker-min'), 60_000);
      await cam.exec(`kill -9 ${pid}`);
      const log = await cam.fileLine('/tmp/camfw.log', new RegExp(`(camfw: stream: killed by signal 9 after \\d+ s; restarting in \\d+ s[^]*){${i + 1}}`));
      delays.push(Number([...log.matchAll(/camfw: stream: killed by signal 9 after \d+ s; restarting in (\d+) s/g)].at(-1)![1]));
      await waitFor('avworker-min restarted', async () => {
        const p = await pidOf(cam, 'avworker-min');
        return p && p !== pid ? p : undefined;
      }, 30_000);
    }
    assert.deepEqual(delays, [1, 2, 4, 8]);

    const stopped = await service(cam, CARD, '40-stream', 'stop');
    assert.match(stopped.output, /camfw: stream: stopped/);
    await new Promise((r) => setTimeout(r, 5000));
    assert.equal(await pidOf(cam, 'avworker-min'), undefined, 'the stopped worker came back');
    assert.equal((await service(cam, CARD, '40-stream', 'status')).code, 3);
    await waitFor('nginx sees the push end', async () => !(await nginx.publishing(KEY)), 20_000);

    assert.match((await service(cam, CARD, '40-stream', 'start')).output, /camfw: stream: started under the supervisor/);
    await waitFor('the camera publishing again', () => nginx.publishing(KEY), 60_000);
    const status = await service(cam, CARD, '40-stream', 'status');
    assert.match(status.output, /restarts: [4-9]/);
  });

  test('a flood of unauthenticated requests leaves bounded logs', async () => {
    const before = Number((await cam.exec('du -sk /tmp/camfw/log | cut -f1')).output.trim().split('\n').at(-1));
    // lighttpd's own answers (no CGI): 120 requests of 4 KB lines, about 500 KB to log
    for (let batch = 0; batch < 6; batch++)
      await Promise.all(Array.from({ length: 20 }, () => fetch(`${cam.url}public/secret-${'x'.repeat(4000)}`).then((r) => r.text(), () => '')));
    const logs = (await cam.exec('du -sk /tmp/camfw/log/*')).output;
    const sizes = [...logs.matchAll(/^(\d+)\s+(\S+)$/gm)].map((m) => [Number(m[1]), m[2]] as const);
    assert.ok(sizes.length >= 4, logs);
    // svlogd: the current file and at most two old ones, of at most 64 KB each
    for (const [kb, where] of sizes) assert.ok(kb <= 3 * 64 + 4, `${where} holds ${kb} KB`);
    const access = sizes.find(([, where]) => where.endsWith('/web-access'));
    assert.ok(access && access[0] > 64, `120 requests rotated no access log (${before} KB of logs before): ${logs}`);
  });

  test('over HTTP: the first password from the camera\'s own network, then the hostile-input sweep of every call', async (t) => {
    const t0 = Date.now();
    await ownerSession(cam);
    t.diagnostic(`yi: first-visit setup (PBKDF2, 50,000 rounds, in the emulated camera) ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const send: Send = async (call, body, opts) => {
      const headers: Record<string, string> = { 'content-type': opts.type ?? 'application/json' };
      if (opts.cookie) headers.cookie = opts.cookie;
      if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
      const r = await fetch(`${cam.url}api${call}`, opts.get ? { headers } : { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
      const text = await r.text();
      return { status: r.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {}, cookie: sessionCookie(r.headers.get('set-cookie')) };
    };
    const readCardFile = async (rel: string) => (await cam.exec(`cat ${CARD}/${rel}`)).output;
    const { checked, password: left } = await hostileSweep({ send, readCardFile, marker: '/tmp/pwned', overLimit: false }, 'admin', OWNER_PASSWORD);
    password = left;
    assert.ok(checked >= 7 * 12);
    assert.match((await cam.exec('ls /tmp/pwned 2>&1; ls /home/hd1/test/etc/camfw')).output, /No such file or directory[^]*web\.passwd/);
  });

  test('telnet, turned on from the web page, logs in with the web password only', async () => {
    await forgetFailedLogins(cam);
    const { cookie } = await ownerSession(cam, 80, password);
    assert.match((await fetch(`${cam.url}api/status`, { headers: { cookie } }).then((r) => r.json()) as { telnet_port_open: boolean }).telnet_port_open.toString(), /^false$/);
    await turnOn('telnet');
    await waitFor('telnetd on port 23', async () => ((await fetch(`${cam.url}api/status`, { headers: { cookie } }).then((r) => r.json())) as { telnet_port_open: boolean }).telnet_port_open || undefined, 30_000);
    const wrong = await telnet(cam.telnetPort, 'admin', 'ismart12', 'id', /Login incorrect/);
    assert.doesNotMatch(wrong, /logged in/);
    const root = await telnet(cam.telnetPort, 'admin', password, 'echo "shell-$((6 * 7))"; exit', /shell-42/);
    assert.match(root, /camfw: logged in as admin: a root shell/);
    assert.match((await cam.exec(`grep CAMFW_SERVICE_TELNET ${CARD}/etc/camfw/settings.conf`)).output, /='1'/);
  });

  test('SSH, turned on from the web page, logs in with the web password only, with the host key its log shows', async () => {
    await forgetFailedLogins(cam);
    const cookie = await turnOn('ssh');
    const knownHosts = path.join(dir, 'known_hosts');
    await cam.listening(22, 60_000, async () => (await cam.exec('tail -5 /tmp/camfw/log/ssh/current')).output);
    // the stock root password, and the owner's user with a wrong one
    for (const [user, pw] of [['root', 'ismart12'], ['admin', `${password}x`]]) {
      const r = await ssh(cam.sshPort, user, pw, 'id', knownHosts);
      assert.equal(r.code, 255, `${user}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /Permission denied/);
    }
    for (const user of ['admin', 'root']) {
      const r = await ssh(cam.sshPort, user, password, 'echo "ssh-$((6 * 7))"; id -u; echo "$PATH"', knownHosts);
      assert.equal(r.code, 0, `${user}: ${r.stdout}${r.stderr}`);
      // the owner's shell: root, with the card's tools first on PATH (camfw-login)
      assert.deepEqual(r.stdout.trim().split('\n'), ['ssh-42', '0', `/tmp/camfw/bin:${CARD}/bin:${CARD}/sbin:${CARD}/usr/bin:${CARD}/usr/sbin:/bin:/sbin:/usr/bin:/usr/sbin`]);
    }
    // a login shell on a terminal (a pty), the card's shell
    const tty = await ssh(cam.sshPort, 'admin', password, { tty: 'echo "tty-$((6 * 7))"; readlink /proc/self/fd/0; exit\n' }, knownHosts);
    assert.equal(tty.code, 0, `${tty.stdout}${tty.stderr}`);
    assert.match(tty.stdout, /tty-42\r?\n\/dev\/pts\/\d+/);
    // the fingerprint in the service's log and on the Status page is the key the client was shown, and it is kept on the card
    const logged = /host key fingerprint: (SHA256:\S+)/.exec((await cam.exec('cat /tmp/camfw/log/ssh/current')).output);
    assert.ok(logged, (await cam.exec('cat /tmp/camfw/log/ssh/current')).output);
    const seen = (await run(['ssh-keygen', '-l', '-E', 'sha256', '-f', knownHosts])).stdout;
    assert.ok(seen.includes(logged[1]), `${seen} has not the fingerprint ${logged[1]}`);
    const status = (await fetch(`${cam.url}api/status`, { headers: { cookie } }).then((r) => r.json())) as { ssh_fingerprint: string | null };
    assert.equal(status.ssh_fingerprint, logged[1]);
    assert.match((await cam.exec(`ls ${CARD}/etc/camfw/ssh_host_ed25519_key`)).output, /ssh_host_ed25519_key$/m);
  });

  test('FTP, turned on from the web page, serves the recordings read-only to the owner only', async () => {
    await forgetFailedLogins(cam);
    await turnOn('ftp');
    await cam.listening(21, 30_000);
    // never anonymous, never the stock root password
    for (const [user, pw] of [['anonymous', 'guest@'], ['ftp', ''], ['root', 'ismart12']]) {
      const r = await ftp(cam.ftpPort, user, pw, '');
      assert.equal(r.code, 67, `${user}: ${r.code} ${r.stdout}${r.stderr}`);
    }
    // the listing is the recordings directory: its root is not the camera's /
    const list = await ftp(cam.ftpPort, 'admin', password, '', ['--list-only']);
    assert.equal(list.code, 0, list.stderr);
    const onCamera = (await cam.exec('ls -1 /home/hd1/record')).output.trim().split('\n');
    const listed = list.stdout.trim().split(/\r?\n/);
    const segment = onCamera.find((f) => /^\d{8}-\d{6}\.mp4$/.test(f))!;
    assert.ok(listed.includes(segment), `${segment} is not in the listing ${listed.join(' ')}`);
    for (const outside of ['etc/passwd', '../etc/passwd', 'home/hd1/test/etc/camfw/web.passwd']) {
      const r = await ftp(cam.ftpPort, 'root', password, outside, ['--path-as-is', '-o', '/dev/null']);
      assert.notEqual(r.code, 0, `${outside} was served`);
    }
    // a closed segment comes down whole, as root too
    const local = path.join(dir, 'from-ftp.mp4');
    const got = await ftp(cam.ftpPort, 'root', password, segment, ['-o', local]);
    assert.equal(got.code, 0, got.stderr);
    const sum = (await cam.exec(`sha256sum /home/hd1/record/${segment}`)).output.split(' ')[0];
    assert.equal((await run(['sha256sum', local])).stdout.split(' ')[0], sum);
    // read-only: no upload, no delete
    const up = await ftp(cam.ftpPort, 'admin', password, 'upload.txt', ['-T', local]);
    assert.notEqual(up.code, 0);
    const del = await ftp(cam.ftpPort, 'admin', password, '', ['-Q', `DELE ${segment}`]);
    assert.notEqual(del.code, 0);
    assert.doesNotMatch((await cam.exec('ls /home/hd1/record')).output, /upload\.txt/);
    assert.match((await cam.exec(`ls /home/hd1/record/${segment}`)).output, new RegExp(segment));
    // three wrong passwords close the connection
    assert.match(await ftpWrongThrice(cam.ftpPort), /^421 /m);
  });
});

/** USER and a wrong PASS three times on one FTP connection: what the camera answered until it closed it. */
function ftpWrongThrice(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let sent = 0;
    const timer = setTimeout(() => (socket.destroy(), reject(new Error(`FTP: not closed within 60 s:\n${text}`))), 60_000);
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      // a greeting or a refusal: the next try
      const replies = text.match(/^(220|530) /gm)?.length ?? 0;
      if (replies > sent && sent < 3) (socket.write(`USER admin\r\nPASS wrong-${sent}\r\n`), sent++);
    });
    socket.on('close', () => (clearTimeout(timer), resolve(text)));
    socket.on('error', reject);
  });
}

describe('emulated Xiaofang: the stream starts once camfw has the network and the RTSP server', () => {
  test('the push and the recording from the card, after the cloud app let go of the encoder', async () => {
    const busybox = path.join((await cardPrograms('fang')).built.get('busybox')!.stageDir, 'bin/busybox');
    const card = await cardImage('fang', dir, 'fang-stream', { ...streaming(), stream: { url: `rtmp://${HOST}:${nginx.port}/live`, key: `${KEY}-fang` }, wifi: { ssid: FANG_PAIRED.ssid, psk: FANG_PAIRED.passphrase, country: 'DE' } }, ['snx_rtsp_server']);
    const cam = await bootCamera('fang', card, busybox);
    try {
      await waitFor('the Xiaofang publishing to nginx', () => nginx.publishing(`${KEY}-fang`), 180_000, async () => (await cam.exec('cat /tmp/camfw.log; tail -20 /tmp/camfw/log/stream/current')).output);
      const s = await secondSegment(cam);
      assert.equal(s.record.dir, '/media/mmcblk0p2/record');
      assert.equal(s.input.url, 'rtsp://127.0.0.1:554/unicast');
      const log = (await cam.exec('cat /tmp/camfw.log')).output;
      assert.ok(log.indexOf('camfw: rtsp: starting snx_rtsp_server') > log.indexOf('camfw: network: camfw\'s own Wi-Fi works: stopping the cloud apps'), log);
    } finally {
      await cam.stop();
    }
    const [pushed] = nginx.recordings(`${KEY}-fang`);
    const media = await probeMedia(pushed);
    assert.equal(media.video?.codec, 'h264');
  });
});
