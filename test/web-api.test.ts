// The web UI's API: camfw-api (our CGI, ARM926 under qemu-arm) with a rendered card. The
// settings it writes (checked, whole, sourced back by a shell), what each change restarts,
// the stream target whose key never comes back, the status and service pages' data, the
// logs, and the recordings. The card's BusyBox is replaced by a script that records what
// camfw-api asks it to run: here that is what is under test (a fixed argument vector,
// nothing of a request as code); the booted cameras run the real one (services.test).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { cgi, cookieOf, type Call } from './cgi.ts';
import { treeBytes } from '../scripts/lib/budgets.ts';
import { RTMP_TARGET_MAX, validateConfig } from '../scripts/lib/config.ts';
import { run } from '../scripts/lib/run.ts';
import { WEBUI_BUDGET } from '../recipes/webui/recipe.ts';
import { startAvworker } from './avworker.ts';
import { cardPrograms, renderCard, tmpDir } from './helpers.ts';
import { waitFor } from './wait.ts';

const PASSWORD = 'a long enough test password';

interface Card {
  dir: string;
  run: string;
  record: string;
  calls: string;
  session: { cookie: string; csrf: string };
  api(call: string, c?: Call): ReturnType<typeof cgi>;
  post(call: string, body: object): ReturnType<typeof cgi>;
  /** What camfw-api ran since the last call of this, one argument vector per line. */
  ran(): string[];
  /** What camfw-api started in the background (after its answer), once it has started: up to 5 s. */
  ranDetached(): Promise<string[]>;
}

async function card(model: string): Promise<Card> {
  const dir = await renderCard(model, { web: { user: 'owner', password: PASSWORD } });
  const run = tmpDir('api-run');
  const record = tmpDir('api-record');
  const calls = path.join(run, 'calls');
  // the recorder: one line per run, its arguments (not $0, the card's busybox) separated by '|'
  fs.rmSync(path.join(dir, 'bin/busybox'));
  fs.writeFileSync(path.join(dir, 'bin/busybox'), `#!/bin/sh\nIFS='|'\necho "$*" >> '${calls}'\necho "ran: $*"\n`, { mode: 0o755 });
  const api = (call: string, c: Call = {}) => cgi(dir, run, call, c, { CAMFW_RECORD: record });
  const login = await api('/login', { body: { user: 'owner', password: PASSWORD } });
  assert.equal(login.status, 200);
  const session = { cookie: cookieOf(login)!, csrf: String(login.json.csrf) };
  const ran = () => {
    const text = fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8') : '';
    fs.rmSync(calls, { force: true });
    return text ? text.replace(/\n$/, '').split('\n') : [];
  };
  return {
    dir,
    run,
    record,
    calls,
    session,
    api: (call, c = {}) => api(call, { ...session, ...c }),
    post: (call, body) => api(call, { ...session, body }),
    ran,
    async ranDetached() {
      let started: string[] = [];
      for (let i = 0; i < 50 && !started.length; i++) {
        await new Promise((res) => setTimeout(res, 100));
        started = ran();
      }
      return started;
    },
  };
}

/** settings.conf as the card's scripts see it: sourced by a POSIX shell. */
function sourced(dir: string, names: string[]): Record<string, string> {
  const out = execFileSync('/bin/sh', ['-c', `. "$1/etc/camfw/settings.conf"; ${names.map((n) => `printf '%s\\n' "$${n}"`).join('; ')}`, 'sh', dir], { encoding: 'utf8' });
  return Object.fromEntries(out.split('\n').slice(0, names.length).map((v, i) => [names[i], v]));
}

let yi: Card;
let fang: Card;
before(async () => {
  [yi, fang] = [await card('yi'), await card('fang')];
});

describe('camfw-api, the settings', () => {
  test('what the build wrote, per camera, and the time zones by name', async () => {
    const y = await yi.api('/settings');
    assert.equal(y.status, 200, y.text);
    const s = y.json.settings as Record<string, unknown>;
    assert.deepEqual(
      { ...s },
      { hostname: 'camfw-yi', webNames: '', timezone: 'UTC', ntpServer: 'pool.ntp.org', ntp: true, rtsp: true, rtmp: false, record: false, telnet: false, ssh: false, ftp: false, recordSegmentSeconds: 300, recordKeepFreeMb: 64, streamQuality: 'hd' },
    );
    assert.deepEqual(y.json.stream, { server: '', set: false });
    assert.ok((y.json.zones as string[]).includes('Europe/Berlin'));
    const f = (await fang.api('/settings')).json.settings as Record<string, unknown>;
    assert.equal(f.videoResolution, '1920x1080');
    assert.equal(f.videoFps, 15);
    assert.equal(f.streamQuality, undefined);
  });

  test('a change is checked, written whole, and restarts what it feeds (the RTSP server before the stream worker)', async () => {
    const before = fs.readFileSync(path.join(yi.dir, 'etc/camfw/settings.conf'), 'utf8');
    yi.ran();
    const r = await yi.post('/settings', { timezone: 'Europe/Berlin', ntpServer: 'ntp.example.org', recordSegmentSeconds: 60, hostname: 'front-door' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.restarted, true);
    const conf = path.join(yi.dir, 'etc/camfw/settings.conf');
    assert.deepEqual(sourced(yi.dir, ['CAMFW_TZ', 'CAMFW_TZ_NAME', 'CAMFW_NTP_SERVER', 'CAMFW_RECORD_SEGMENT_SECONDS', 'CAMFW_HOSTNAME', 'CAMFW_STREAM_INPUT']), {
      CAMFW_TZ: 'CET-1CEST,M3.5.0,M10.5.0/3',
      CAMFW_TZ_NAME: 'Europe/Berlin',
      CAMFW_NTP_SERVER: 'ntp.example.org',
      CAMFW_RECORD_SEGMENT_SECONDS: '60',
      CAMFW_HOSTNAME: 'front-door',
      CAMFW_STREAM_INPUT: 'rtsp://127.0.0.1:554/ch0_0.h264',
    });
    // every other line as it was, the comments at the top kept, no temporary file left
    const kept = (t: string) => t.split('\n').filter((l) => !/^CAMFW_(TZ|TZ_NAME|NTP_SERVER|RECORD_SEGMENT_SECONDS|HOSTNAME)=/.test(l));
    assert.deepEqual(kept(fs.readFileSync(conf, 'utf8')), kept(before));
    assert.equal((fs.statSync(conf).mode & 0o777).toString(8), '644');
    assert.deepEqual(fs.readdirSync(path.join(yi.dir, 'etc/camfw')).filter((f) => f.endsWith('.new')), []);
    const svc = (n: string, a: string) => `sh|${yi.dir}/etc/camfw/services/${n}|${yi.dir}|${a}`;
    // each through its init script's refresh: stopped, and started again when its setting
    // is on (the stream worker, with no push and no recording, stays stopped)
    assert.deepEqual(yi.ran(), ['hostname|front-door', svc('10-ntp.sh', 'refresh'), svc('40-stream.sh', 'refresh')]);
    // the same values again change nothing and restart nothing
    assert.equal((await yi.post('/settings', { timezone: 'Europe/Berlin' })).status, 200);
    assert.deepEqual(yi.ran(), []);
    assert.equal((await yi.api('/settings')).json.tz, 'CET-1CEST,M3.5.0,M10.5.0/3');

    // fang: the video settings restart the Sonix RTSP server, then the picture's settings
    // in the ISP it opens and the stream worker; the picture's alone restart only those
    const fsvc = (n: string, a: string) => `sh|${fang.dir}/etc/camfw/services/${n}|${fang.dir}|${a}`;
    fang.ran();
    assert.equal((await fang.post('/settings', { videoFps: 20, videoBitrateKbps: 1024, videoResolution: '1280x720' })).status, 200);
    assert.deepEqual(fang.ran(), [fsvc('30-rtsp.sh', 'refresh'), fsvc('35-image.sh', 'refresh'), fsvc('40-stream.sh', 'refresh')]);
    assert.equal((await fang.post('/settings', { videoFlip: true, videoIr: 'night' })).status, 200);
    assert.deepEqual(fang.ran(), [fsvc('35-image.sh', 'refresh')]);
    assert.deepEqual(sourced(fang.dir, ['CAMFW_VIDEO_FLIP', 'CAMFW_VIDEO_IR', 'CAMFW_VIDEO_MIRROR']), { CAMFW_VIDEO_FLIP: '1', CAMFW_VIDEO_IR: 'night', CAMFW_VIDEO_MIRROR: '0' });
    assert.deepEqual(sourced(fang.dir, ['CAMFW_VIDEO_FPS', 'CAMFW_VIDEO_BITRATE_KBPS', 'CAMFW_VIDEO_RESOLUTION']), { CAMFW_VIDEO_FPS: '20', CAMFW_VIDEO_BITRATE_KBPS: '1024', CAMFW_VIDEO_RESOLUTION: '1280x720' });
  });

  test('values out of their rule are a 400 naming the field, and nothing is written', async () => {
    const conf = path.join(yi.dir, 'etc/camfw/settings.conf');
    const before = fs.readFileSync(conf, 'utf8');
    const refused: Array<[object, string, RegExp]> = [
      [{ videoFps: 20 }, 'videoFps', /this camera has no such setting/],
      [{ recordSegmentSeconds: 5 }, 'recordSegmentSeconds', /from 10 to 3600/],
      [{ recordKeepFreeMb: '64' }, 'recordKeepFreeMb', /whole number/],
      [{ timezone: 'CET-1CEST' }, 'timezone', /a time zone of the list/],
      [{ hostname: 'Front_Door' }, 'hostname', /lower-case letters/],
      [{ hostname: '-x' }, 'hostname', /lower-case/],
      [{ ntpServer: 'pool..ntp.org' }, 'ntpServer', /host name/],
      [{ streamQuality: 'uhd' }, 'streamQuality', /one of hd sd/],
      [{ videoIr: 'night' }, 'videoIr', /this camera has no such setting/],
      [{ rtmp: 'yes' }, 'rtmp', /true or false/],
      [{ rtmp: true }, 'rtmp', /set the RTMP server and key first/],
      [{ web: false }, 'web', /not a field/],
      [{ hostname: 'ok-name', record: 1 }, 'record', /true or false/],
    ];
    for (const [body, field, why] of refused) {
      const r = await yi.post('/settings', body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.json.field, field);
      assert.match(String(r.json.error), why);
    }
    // raw NUL bytes after a literal are not part of it (the probe's {"ntp":true, NULs, })
    const nul = await yi.api('/settings', { body: Buffer.concat([Buffer.from('{"ntp":false'), Buffer.alloc(8), Buffer.from('}')]) });
    assert.equal(nul.status, 400, nul.text);
    assert.match(String(nul.json.error), /after ntp: expected ',' or '}'/);
    assert.equal(fs.readFileSync(conf, 'utf8'), before);
    assert.deepEqual(yi.ran(), []);
    assert.equal((await fang.post('/settings', { streamQuality: 'sd' })).json.field, 'streamQuality');
    assert.match(String((await fang.post('/settings', { videoIr: 'dusk' })).json.error), /videoIr: one of auto day night/);
  });

  test('a settings file camfw did not write is refused, named, and left as it is', async () => {
    const c = await card('yi');
    const conf = path.join(c.dir, 'etc/camfw/settings.conf');
    fs.appendFileSync(conf, 'CAMFW_EXTRA="$(id)"\n');
    const text = fs.readFileSync(conf, 'utf8');
    const r = await c.post('/settings', { hostname: 'other' });
    assert.equal(r.status, 500);
    assert.match(String(r.json.error), /settings\.conf, line \d+: not KEY='value'/);
    assert.equal(fs.readFileSync(conf, 'utf8'), text);
  });
});

describe('camfw-api, the stream target', () => {
  test('the key is kept in a secret file and never comes back; the push needs a target', async () => {
    const file = path.join(yi.dir, 'etc/camfw/stream.conf');
    const r = await yi.post('/stream', { url: 'rtmp://ingest.example.org:1935/live/', key: 'sk-very-secret-0042' });
    assert.equal(r.status, 200, r.text);
    assert.match(fs.readFileSync(file, 'utf8'), /^rtmp=rtmp:\/\/ingest\.example\.org:1935\/live\/sk-very-secret-0042$/m);
    assert.equal((fs.statSync(file).mode & 0o777).toString(8), '600');
    const s = await yi.api('/settings');
    assert.deepEqual(s.json.stream, { server: 'rtmp://ingest.example.org:1935', set: true });
    for (const call of ['/settings', '/status', '/services'])
      assert.ok(!(await yi.api(call)).text.includes('sk-very-secret'), `${call} shows the key`);

    yi.ran();
    assert.equal((await yi.post('/settings', { rtmp: true })).status, 200);
    assert.deepEqual(yi.ran(), [`sh|${yi.dir}/etc/camfw/services/40-stream.sh|${yi.dir}|refresh`]);
    // a new target while pushing restarts the worker; removing it while pushing is refused
    assert.equal((await yi.post('/stream', { url: 'rtmp://10.0.0.2/live', key: 'k2' })).status, 200);
    assert.equal(yi.ran().length, 1);
    const removing = await yi.post('/stream', { url: '', key: '' });
    assert.equal(removing.status, 400);
    assert.match(String(removing.json.error), /turn it off/);
    for (const [url, why] of [
      ['rtmps://a.rtmp.youtube.com/live2', /no rtmps/],
      ['rtmp://user:pass@host/live', /without user:password@/],
      ['rtmp://bad_host/live', /not a host name/],
      ['rtmp://host:99999/live', /port/],
      ['rtmp://host', /application/],
    ] as const) {
      const bad = await yi.post('/stream', { url, key: 'k' });
      assert.equal(bad.status, 400, url);
      assert.equal(bad.json.field, 'url');
      assert.match(String(bad.json.error), why);
    }
    assert.equal((await yi.post('/stream', { url: 'rtmp://h/live', key: 'a key' })).json.field, 'key');
    assert.equal((await yi.post('/settings', { rtmp: false })).status, 200);
    assert.equal((await yi.post('/stream', { url: '', key: '' })).status, 200);
    assert.deepEqual((await yi.api('/settings')).json.stream, { server: '', set: false });
  });

  test(`the RTMP target, its URL and key: one limit of ${RTMP_TARGET_MAX} bytes for the build, the API and the stream worker`, async () => {
    const url = 'rtmp://127.0.0.1:1/live';
    const key = (targetBytes: number) => 'k'.repeat(targetBytes - url.length - 1);
    // the build configuration
    assert.doesNotThrow(() => validateConfig({ stream: { url, key: key(RTMP_TARGET_MAX) } }));
    assert.throws(() => validateConfig({ stream: { url, key: key(RTMP_TARGET_MAX + 1) } }), new RegExp(`stream: the URL and the key together are ${RTMP_TARGET_MAX + 1} bytes: the camera takes at most ${RTMP_TARGET_MAX}`));
    // the API (trailing slashes of the URL are not part of it)
    const over = await yi.post('/stream', { url: `${url}/`, key: key(RTMP_TARGET_MAX + 1) });
    assert.equal(over.status, 400);
    assert.equal(over.json.field, 'key');
    assert.match(String(over.json.error), new RegExp(`together are ${RTMP_TARGET_MAX + 1} bytes: the camera takes at most ${RTMP_TARGET_MAX}`));
    assert.equal((await yi.post('/stream', { url: `${url}/`, key: key(RTMP_TARGET_MAX) })).status, 200);
    const conf = path.join(yi.dir, 'etc/camfw/stream.conf');
    assert.equal(fs.readFileSync(conf, 'utf8').match(/^rtmp=(.*)$/m)?.[1].length, RTMP_TARGET_MAX);
    // the worker takes the file as the API wrote it: it pushes to that target (and waits for its source)
    const dir = tmpDir('target');
    const status = path.join(dir, 'status.json');
    const worker = await startAvworker(['--config', conf, '--input=rtsp://127.0.0.1:1/none', `--status=${status}`]);
    try {
      const target = await waitFor('the worker\'s status', () => (fs.existsSync(status) ? (JSON.parse(fs.readFileSync(status, 'utf8')) as { rtmp?: { target: string } }).rtmp?.target : undefined), 30_000, () => worker.stderr());
      // (the key shows nowhere, its status included)
      assert.equal(target, 'rtmp://127.0.0.1:1/...', worker.stderr());
      assert.doesNotMatch(worker.stderr(), /too long|longer than/);
    } finally {
      await worker.stop();
    }
    assert.equal((await yi.post('/stream', { url: '', key: '' })).status, 200);
  });
});

describe('camfw-api, status, services, logs, reboot', () => {
  test('the status page\'s data: card, memory, services as the supervisor keeps them, the stream worker, missing vendor files', async () => {
    const sv = path.join(yi.run, 'service/stream');
    fs.mkdirSync(path.join(sv, 'supervise'), { recursive: true });
    fs.writeFileSync(path.join(sv, 'supervise/stat'), 'run\n');
    fs.writeFileSync(path.join(sv, 'supervise/pid'), '4242\n');
    fs.writeFileSync(path.join(sv, 'restarts'), '3\n');
    fs.writeFileSync(path.join(sv, 'started'), `${Math.floor(Date.now() / 1000) - 100}\n`);
    fs.writeFileSync(path.join(sv, 'last-exit'), 'killed by signal 9 after 41 s, at 2026-11-30 10:00:00\n');
    fs.mkdirSync(path.join(yi.run, 'service/ntp/supervise'), { recursive: true });
    fs.writeFileSync(path.join(yi.run, 'service/ntp/supervise/stat'), 'down\n');
    fs.writeFileSync(path.join(yi.run, 'service/ntp/down'), '');
    const stream = { pid: 4242, time: 1, uptime: 100, input: { state: 'running', kbps: 800 }, rtmp: { state: 'running', kbps: 790 } };
    fs.writeFileSync(path.join(yi.run, 'stream.json'), JSON.stringify(stream) + '\n');
    const r = await yi.api('/status');
    assert.equal(r.status, 200, r.text);
    const s = r.json as Record<string, any>;
    assert.equal(s.card.model, 'yi');
    assert.equal(s.card.cardDir, '/home/hd1/test');
    assert.ok(s.memory.total_kb > 0 && s.uptime > 0 && s.load.length === 3);
    assert.equal(s.rtsp, 'rtsp://127.0.0.1:554/ch0_0.h264');
    assert.match(s.local_time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d CES?T$/);
    const byName = Object.fromEntries((s.services as any[]).map((v) => [v.name, v]));
    assert.deepEqual(Object.keys(byName), ['ntp', 'web', 'rtsp', 'stream', 'telnet', 'ftp', 'ssh']);
    assert.equal(byName.stream.state, 'running');
    assert.equal(byName.stream.pid, 4242);
    assert.equal(byName.stream.restarts, 3);
    assert.ok(byName.stream.uptime >= 100 && byName.stream.uptime < 200);
    assert.equal(byName.ntp.state, 'stopped');
    assert.equal(byName.web.state, 'not started');
    // started at boot as each init script declares (SERVICE_SETTINGS), with this card's
    // settings: the stream worker neither pushes nor records, so it is off
    assert.deepEqual(Object.fromEntries(Object.entries(byName as Record<string, { enabled: boolean }>).map(([k, v]) => [k, v.enabled])), { ntp: true, web: true, rtsp: true, stream: false, telnet: false, ftp: false, ssh: false });
    assert.deepEqual(s.stream, stream);
    assert.deepEqual(s.vendor, [{ path: 'usr/bin/rtspsvr', what: s.vendor[0].what, built: 'missing', present: false }]);
    // copied onto the card later: found
    fs.mkdirSync(path.join(yi.dir, 'usr/bin'), { recursive: true });
    fs.writeFileSync(path.join(yi.dir, 'usr/bin/rtspsvr'), '');
    assert.equal(((await yi.api('/status')).json as any).vendor[0].present, true);
    // the SSH host key's fingerprint, once the ssh service wrote it; anything else in that file shows as none
    assert.equal(s.ssh_fingerprint, null);
    const fingerprint = 'SHA256:2S0mN9q+/rLxK3hVd8uQe1W7cZpT4yBfGjA6oIkHs5E';
    for (const [text, shown] of [[`${fingerprint}\n`, fingerprint], ['SHA256:"><b>x</b>\n', null], ['MD5:ab:cd\n', null], ['SHA256:\n', null]]) {
      fs.writeFileSync(path.join(yi.run, 'ssh.fingerprint'), text as string);
      assert.equal(((await yi.api('/status')).json as any).ssh_fingerprint, shown, text as string);
    }
    fs.rmSync(path.join(yi.run, 'ssh.fingerprint'));
  });

  test('start, stop and restart through the init scripts; not the web server that serves the page', async () => {
    yi.ran();
    const r = await yi.post('/service', { name: 'stream', action: 'restart' });
    assert.equal(r.status, 200);
    assert.match(String(r.json.output), /40-stream\.sh/);
    assert.deepEqual(yi.ran(), [`sh|${yi.dir}/etc/camfw/services/40-stream.sh|${yi.dir}|restart`]);
    for (const body of [{ name: 'web', action: 'stop' }, { name: 'sshd', action: 'start' }, { name: 'ntp', action: 'status; reboot' }]) assert.equal((await yi.post('/service', body)).status, 400);
    assert.deepEqual(yi.ran(), []);
    assert.equal((await yi.api('/service', { method: 'GET' })).status, 405);
  });

  test('the end of a log, with bytes that are not text made visible; only the card\'s own logs', async () => {
    fs.mkdirSync(path.join(yi.run, 'log/ntp'), { recursive: true });
    fs.writeFileSync(path.join(yi.run, 'log/ntp/current'), Buffer.concat([Buffer.from('x'.repeat(20000)), Buffer.from('ntpd: started\n\x1b[31mred'), Buffer.from([0xff, 0x0a])]));
    const r = await yi.api('/log?name=ntp');
    assert.equal(r.status, 200);
    const text = String(r.json.text);
    assert.equal(text.length, 16384);
    assert.ok(text.endsWith('ntpd: started\n?[31mred?\n'), JSON.stringify(text.slice(-40)));
    for (const q of ['name=../../etc/passwd', 'name=', 'x=ntp', 'name=ntp&x=1']) assert.equal((await yi.api(`/log?${q}`)).status, 400, q);
  });

  test('reboot: answered, then BusyBox reboot after the answer has gone', async () => {
    yi.ran();
    const r = await yi.post('/reboot', {});
    assert.equal(r.status, 200);
    const bb = path.join(yi.dir, 'bin/busybox');
    assert.deepEqual(await yi.ranDetached(), [`sh|-c|sleep 2; sync; exec "$0" reboot|${bb}`]);
    assert.equal((await yi.api('/reboot', { method: 'GET' })).status, 405);
  });
});

describe('camfw-api, the network', () => {
  const setup = (c: Card, lines: string) => {
    fs.mkdirSync(path.join(c.run, 'net'), { recursive: true });
    fs.writeFileSync(path.join(c.run, 'net/setup'), lines);
  };
  const good = { wifi: 'client', ssid: '', psk: '', country: '', channel: '', addressing: 'dhcp', address: '', netmask: '', gateway: '', dns: '' };
  /** The camera's own network, as the Network page sends it. */
  const ownNetwork = { ...good, wifi: 'ap', ssid: 'camera', psk: 'long enough', country: 'DE', channel: '6' };

  test('before the network started, nothing is tried; then its state, the Wi-Fi network and the saved addressing', async () => {
    const none = await fang.api('/network');
    assert.equal(none.status, 200, none.text);
    assert.equal(none.json.mode, '');
    const early = await fang.post('/network', { ...good, ssid: 'home', psk: 'long enough', country: 'DE' });
    assert.equal(early.status, 409);
    assert.match(String(early.json.error), /not started yet/);
    // the card's wpa_supplicant.conf names its network in hex, as the build writes it
    const conf = path.join(fang.dir, 'etc/wpa_supplicant.conf');
    fs.writeFileSync(conf, `network={\n\tssid=${Buffer.from('Café "1"').toString('hex').toUpperCase()}\n\tpsk=${'ab'.repeat(32)}\n}\n`);
    setup(fang, `mode=card\niface=lo\nwpa=wpa_supplicant\nconf=${conf}\nrecord=/nonexistent/NETWORK-FALLBACK.txt\n`);
    const n = await fang.api('/network');
    assert.equal(n.json.mode, 'card');
    assert.equal(n.json.iface, 'lo');
    assert.equal(n.json.ssid, 'Café "1"');
    assert.deepEqual({ ...(n.json.now as object), link: undefined }, { link: undefined, address: '127.0.0.1', netmask: '255.0.0.0', gateway: '', dns: (n.json.now as { dns: string }).dns });
    assert.deepEqual(n.json.saved, { addressing: 'dhcp', address: '', netmask: '', gateway: '', dns: '' });
    assert.deepEqual(n.json.try, { state: '', reason: '', seconds: 30 });
    assert.doesNotMatch(n.text, /abab/, 'the key is never sent');
    // the Xiaofang's stock hostapd can make its own network; the YI has none
    assert.equal(n.json.wifi, 'client');
    assert.equal(n.json.access_point, true);
    assert.deepEqual(n.json.ap, { ssid: '', channel: 0 });
    assert.equal((await yi.api('/network')).json.access_point, false);
  });

  test('new settings are checked as a whole, each fault a 400 naming its field, and nothing is written or run', async () => {
    const st = { ...good, addressing: 'static', address: '192.168.7.50', netmask: '255.255.255.0', gateway: '192.168.7.1', dns: '192.168.7.1' };
    const wifi = { ssid: 'home', psk: 'long enough', country: 'DE' };
    const bad: Array<[object, string]> = [
      [{ ...good, addressing: 'auto' }, 'addressing'],
      [{ ...st, address: '192.168.7.0' }, 'address'],
      [{ ...st, address: '192.168.7.255' }, 'address'],
      [{ ...st, address: '192.168.7.050x' }, 'address'],
      [{ ...st, address: '127.0.0.5', gateway: '127.0.0.1', netmask: '255.0.0.0' }, 'address'],
      [{ ...st, netmask: '255.0.255.0' }, 'netmask'],
      [{ ...st, netmask: '255.255.255.255' }, 'netmask'],
      [{ ...st, gateway: '192.168.8.1' }, 'gateway'],
      [{ ...st, gateway: '192.168.7.50' }, 'gateway'],
      [{ ...st, dns: '' }, 'dns'],
      [{ ...st, dns: '1.1.1.1 8.8.8.8 9.9.9.9 1.0.0.1' }, 'dns'],
      [{ ...st, dns: '1.1.1.1;reboot' }, 'dns'],
      [{ ...good, address: '192.168.7.50' }, 'address'],
      [{ ...good, ...wifi, ssid: 'x'.repeat(33) }, 'ssid'],
      [{ ...good, ...wifi, ssid: 'tab\there' }, 'ssid'],
      [{ ...good, ...wifi, psk: 'short' }, 'psk'],
      [{ ...good, ...wifi, psk: 'line\nbreak here' }, 'psk'],
      [{ ...good, ...wifi, psk: 'p'.repeat(64) }, 'psk'],
      [{ ...good, ...wifi, country: 'de' }, 'country'],
      [{ ...good, psk: 'long enough' }, 'psk'],
      [{ ...good, ssid: 'home', psk: 'long enough' }, 'country'],
      [{ ssid: 'home', psk: 'long enough', country: 'DE' }, 'wifi'],
      [{ ...good, addressing: undefined }, 'addressing'],
      [{ ...good, addressing: 'static', address: '', netmask: '', gateway: '', dns: '', ssid: undefined }, 'ssid'],
      [{ ...good, wifi: 'station' }, 'wifi'],
      [{ ...good, wifi: undefined }, 'wifi'],
      [{ ...good, ...wifi, channel: '6' }, 'channel'],
      [{ ...ownNetwork, addressing: 'static' }, 'addressing'],
      [{ ...ownNetwork, address: '192.168.0.1' }, 'address'],
      [{ ...ownNetwork, ssid: '' }, 'ssid'],
      [{ ...ownNetwork, ssid: 'new\nline' }, 'ssid'],
      [{ ...ownNetwork, psk: 'short' }, 'psk'],
      [{ ...ownNetwork, country: '' }, 'country'],
      [{ ...ownNetwork, channel: '' }, 'channel'],
      [{ ...ownNetwork, channel: '0' }, 'channel'],
      [{ ...ownNetwork, channel: '14' }, 'channel'],
      [{ ...ownNetwork, channel: '06' }, 'channel'],
      [{ ...ownNetwork, channel: '6;reboot' }, 'channel'],
      [{ ...ownNetwork, channel: 6 }, 'channel'],
    ];
    fang.ran();
    for (const [body, field] of bad) {
      const r = await fang.post('/network', body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.json.field, field, `${JSON.stringify(body)}: ${r.text}`);
    }
    assert.equal(fs.existsSync(path.join(fang.run, 'net/candidate')), false);
    assert.equal(fs.existsSync(path.join(fang.dir, 'etc/camfw/network.conf')), false);
    assert.deepEqual(fang.ran(), []);
  });

  test('valid settings go to the try, never straight to the card: the key derived, the addresses sourced back as given', async () => {
    const ssid = 'Café "x"';
    const psk = `$(touch /tmp/pwned)'"\`;`;
    fang.ran();
    const r = await fang.post('/network', { wifi: 'client', ssid, psk, country: 'DE', channel: '', addressing: 'static', address: '192.168.7.50', netmask: '255.255.255.0', gateway: '192.168.7.1', dns: '192.168.7.1 9.9.9.9' });
    assert.equal(r.status, 202, r.text);
    assert.deepEqual(r.json, { ok: true, trying: true, seconds: 30 });
    const cand = path.join(fang.run, 'net/candidate');
    const wpa = fs.readFileSync(path.join(cand, 'wpa_supplicant.conf'), 'utf8');
    const key = crypto.pbkdf2Sync(psk, Buffer.from(ssid), 4096, 32, 'sha1').toString('hex');
    assert.equal(wpa, `ctrl_interface=/var/run/wpa_supplicant\ncountry=DE\nnetwork={\n\tssid=${Buffer.from(ssid).toString('hex')}\n\tscan_ssid=1\n\tpsk=${key}\n}\n`);
    assert.equal((fs.statSync(path.join(cand, 'wpa_supplicant.conf')).mode & 0o777).toString(8), '600');
    const out = execFileSync('/bin/sh', ['-c', '. "$1"; printf "%s|%s|%s|%s" "$CAMFW_NET_ADDRESS" "$CAMFW_NET_NETMASK" "$CAMFW_NET_GATEWAY" "$CAMFW_NET_DNS"', 'sh', path.join(cand, 'network.conf')], { encoding: 'utf8' });
    assert.equal(out, '192.168.7.50|255.255.255.0|192.168.7.1|192.168.7.1 9.9.9.9');
    assert.equal(fs.existsSync(path.join(fang.dir, 'etc/camfw/network.conf')), false, 'saved only once tried');
    assert.deepEqual(await fang.ranDetached(), [`sh|${fang.dir}/etc/camfw/net-try.sh|${fang.dir}`]);
    // just asked: trying, although the recorder (not net-try.sh) never takes the try's lock;
    // asked 10 s ago and still without the lock, the try ended without a result
    assert.deepEqual((await fang.api('/network')).json.try, { state: 'trying', reason: 'starting the try', seconds: 30 });
    const tryFile = path.join(fang.run, 'net/try');
    fs.writeFileSync(tryFile, fs.readFileSync(tryFile, 'utf8').replace(/^asked=(\d+)$/m, (_, t: string) => `asked=${Number(t) - 10}`));
    assert.deepEqual((await fang.api('/network')).json.try, { state: 'failed', reason: 'the try ended without a result: see the boot log', seconds: 30 });
    fs.writeFileSync(path.join(fang.run, 'net/try'), 'state=saved\nreason=the gateway 192.168.7.1 answered\n');
    assert.deepEqual((await fang.api('/network')).json.try, { state: 'saved', reason: 'the gateway 192.168.7.1 answered', seconds: 30 });
  });

  test("the camera's own network: a hostapd.conf for the stock hostapd's driver, tried for 120 s; the YI has none", async () => {
    const ssid = 'cam $(reboot) "x"';
    const psk = `$(touch /tmp/pwned)'"\`;`;
    fang.ran();
    const r = await fang.post('/network', { ...ownNetwork, ssid, psk, channel: '11' });
    assert.equal(r.status, 202, r.text);
    assert.deepEqual(r.json, { ok: true, trying: true, seconds: 120 });
    const cand = path.join(fang.run, 'net/candidate');
    assert.deepEqual(fs.readdirSync(cand), ['hostapd.conf'], 'the addresses and the Wi-Fi client settings of an earlier try are gone');
    const key = crypto.pbkdf2Sync(psk, Buffer.from(ssid), 4096, 32, 'sha1').toString('hex');
    assert.equal(
      fs.readFileSync(path.join(cand, 'hostapd.conf'), 'utf8'),
      "# The camera's own Wi-Fi network, from the web UI (camfw-api), tried before it was saved.\n" +
        `interface=lo\ndriver=rtl871xdrv\nssid=${ssid}\ncountry_code=DE\nieee80211d=1\nhw_mode=g\nchannel=11\nwpa=2\nwpa_key_mgmt=WPA-PSK\nrsn_pairwise=CCMP\nwpa_psk=${key}\n`,
    );
    assert.equal((fs.statSync(path.join(cand, 'hostapd.conf')).mode & 0o777).toString(8), '600');
    assert.deepEqual(await fang.ranDetached(), [`sh|${fang.dir}/etc/camfw/net-try.sh|${fang.dir}`]);
    assert.deepEqual((await fang.api('/network')).json.try, { state: 'trying', reason: 'starting the try', seconds: 120 });
    // saved: its name and channel are shown, never its key
    fs.copyFileSync(path.join(cand, 'hostapd.conf'), path.join(fang.dir, 'etc/camfw/hostapd.conf'));
    fs.writeFileSync(path.join(fang.run, 'net/setup'), `mode=card\niface=lo\nwpa=wpa_supplicant\nconf=/nonexistent\nrecord=/nonexistent\nap=${fang.dir}/etc/camfw/hostapd.conf\n`);
    const n = await fang.api('/network');
    assert.equal(n.json.wifi, 'ap');
    assert.deepEqual(n.json.ap, { ssid, channel: 11 });
    assert.doesNotMatch(n.text, new RegExp(key));
    // leaving it needs the network to join
    const back = await fang.post('/network', good);
    assert.equal(back.status, 400);
    assert.equal(back.json.field, 'ssid');
    fs.rmSync(path.join(fang.dir, 'etc/camfw/hostapd.conf'));
    fs.rmSync(cand, { recursive: true });
    setup(fang, 'mode=card\niface=lo\nwpa=wpa_supplicant\nconf=/nonexistent\nrecord=/nonexistent\n');
    setup(yi, 'mode=card\niface=lo\nwpa=/home/wpa_supplicant\nconf=/nonexistent\nrecord=/nonexistent\n');
    const none = await yi.post('/network', ownNetwork);
    assert.equal(none.status, 400);
    assert.equal(none.json.field, 'wifi');
    assert.match(String(none.json.error), /cannot run its own network/);
    assert.equal(fs.existsSync(path.join(yi.run, 'net/candidate')), false);
  });

  test('one try at a time; the cloud app\'s Wi-Fi is taken only with a network; KEEP-CLOUD keeps it', async () => {
    const lock = spawn('flock', [path.join(fang.run, 'net/try.lock'), 'sleep', '30'], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && (await fang.api('/network')).json.try === undefined; i++) await new Promise((res) => setTimeout(res, 100));
      await new Promise((res) => setTimeout(res, 300));
      const busy = await fang.post('/network', good);
      assert.equal(busy.status, 409, busy.text);
      assert.match(String(busy.json.error), /being tried/);
    } finally {
      lock.kill();
    }
    setup(fang, 'mode=cloud\niface=lo\nwpa=wpa_supplicant\nconf=\nrecord=/nonexistent\n');
    const cloud = await fang.post('/network', good);
    assert.equal(cloud.status, 400);
    assert.equal(cloud.json.field, 'ssid');
    assert.equal((await fang.api('/network')).json.ssid, '');
    setup(fang, 'mode=kept\niface=lo\nwpa=wpa_supplicant\nconf=\nrecord=/nonexistent\n');
    const kept = await fang.post('/network', { ...good, ssid: 'home', psk: 'long enough', country: 'DE' });
    assert.equal(kept.status, 409);
    assert.match(String(kept.json.error), /KEEP-CLOUD/);
  });

  test('the scan: networks by quality, names unescaped, one entry each, hidden ones left out; iwlist\'s own reason when it cannot', async () => {
    setup(yi, 'mode=card\niface=lo\nwpa=/home/wpa_supplicant\nconf=/nonexistent\nrecord=/nonexistent\n');
    const cell = (n: number, essid: string, quality: number, security: string) =>
      `          Cell ${String(n).padStart(2, '0')} - Address: 02:00:00:00:00:0${n}\n                    ESSID:"${essid}"\n                    Frequency:2.437 GHz (Channel 6)\n` +
      `                    Encryption key:${security === 'open' ? 'off' : 'on'}\n` +
      (security === 'wpa2' || security === '802.1x' ? `                    IE: IEEE 802.11i/WPA2 Version 1\n                        Authentication Suites (1) : ${security === 'wpa2' ? 'PSK' : '802.1x'}\n` : '') +
      (security === 'wpa' ? '                    IE: WPA Version 1\n' : '') +
      `                    Quality=${quality}/70  Signal level=-50 dBm\n`;
    const listing =
      'lo        Scan completed :\n' +
      cell(1, 'weak', 7, 'wpa2') +
      cell(2, 'Caf\\xC3\\xA9 "5G"', 70, 'wpa2') +
      cell(3, 'open one', 35, 'open') +
      cell(4, '', 60, 'wpa2') +
      cell(5, 'weak', 35, 'wpa2') +
      cell(6, 'IE: WPA Version Quality=99/70', 14, 'wep') +
      cell(7, 'tab\\x09name', 50, 'wpa') +
      cell(8, 'corp', 21, '802.1x') +
      cell(9, 'old', 28, 'wpa');
    // the YI card's iwlist (here a script saying what iwlist says; the booted cameras run the real one)
    const iwlist = path.join(yi.dir, 'usr/sbin/iwlist');
    fs.mkdirSync(path.dirname(iwlist), { recursive: true });
    try {
      fs.writeFileSync(iwlist, `#!/bin/sh\necho "$1        Interface doesn't support scanning." >&2\necho >&2\nexit 255\n`, { mode: 0o755 });
      const cannot = await yi.api('/network/scan');
      assert.equal(cannot.status, 502, cannot.text);
      assert.equal(cannot.json.error, "the scan failed (lo        Interface doesn't support scanning.): type the network's name");
      fs.writeFileSync(iwlist, `#!/bin/sh\n[ "$1 $2" = "lo scan" ] || exit 9\ncat <<'EOF'\n${listing}EOF\n`);
      const r = await yi.api('/network/scan');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.networks, [
        { ssid: 'Café "5G"', security: 'wpa2', quality: 100, signal: -50, channel: 6 },
        { ssid: 'open one', security: 'open', quality: 50, signal: -50, channel: 6 },
        { ssid: 'weak', security: 'wpa2', quality: 50, signal: -50, channel: 6 },
        { ssid: 'old', security: 'wpa', quality: 40, signal: -50, channel: 6 },
        { ssid: 'corp', security: '802.1x', quality: 30, signal: -50, channel: 6 },
        { ssid: 'IE: WPA Version Quality=99/70', security: 'wep', quality: 20, signal: -50, channel: 6 },
      ]);
    } finally {
      fs.rmSync(iwlist);
    }
  });
});

describe('camfw-api, the recordings', () => {
  test('the list (segments only, newest first), play through lighttpd, delete', async () => {
    for (const f of ['20261130-101500.mp4', '20261130-102000.mp4', '20261130-102500.mov', 'notes.txt', '20261130-1030.mp4']) fs.writeFileSync(path.join(yi.record, f), 'x'.repeat(1000));
    fs.mkdirSync(path.join(yi.record, '20261130-103500.mp4'));
    const r = await yi.api('/recordings');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual((r.json.segments as any[]).map((s) => s.name), ['20261130-102500.mov', '20261130-102000.mp4', '20261130-101500.mp4']);
    assert.equal((r.json.segments as any[])[0].size, 1000);
    assert.ok(Number(r.json.free_mb) > 0);
    const play = await yi.api('/recording/20261130-102000.mp4');
    assert.equal(play.headers.get('x-sendfile'), path.join(yi.record, '20261130-102000.mp4'));
    assert.equal(play.headers.get('content-type'), 'video/mp4');
    assert.equal((await yi.api('/recording/20261130-102500.mov')).headers.get('content-type'), 'video/quicktime');
    for (const name of ['notes.txt', '..%2F..%2Fetc%2Fpasswd', '../../etc/passwd', '20261130-103500.mp4']) assert.equal((await yi.api(`/recording/${name}`)).status, 404, name);
    assert.equal((await cgi(yi.dir, yi.run, '/recording/20261130-102000.mp4', {}, { CAMFW_RECORD: yi.record })).status, 401);

    assert.equal((await yi.post('/recording/delete', { name: '20261130-101500.mp4' })).status, 200);
    assert.ok(!fs.existsSync(path.join(yi.record, '20261130-101500.mp4')));
    assert.equal((await yi.post('/recording/delete', { name: '20261130-101500.mp4' })).status, 404);
    const junk = await yi.post('/recording/delete', { name: 'notes.txt' });
    assert.equal(junk.status, 400);
    assert.ok(fs.existsSync(path.join(yi.record, 'notes.txt')));
  });
});

describe('camfw-login, the login of telnet, SSH and FTP', () => {
  const LOGIN = (c: Card) => path.join(c.dir, 'usr/lib/camfw/camfw-login');
  /** camfw-login with `input` on its standard input (no terminal: the password is echoed), for a client on the camera's own network. */
  const login = (c: Card, input: string, args: string[] = [], argv0?: string) =>
    run(['qemu-arm', '-cpu', 'arm926', ...(argv0 ? ['-0', argv0] : []), LOGIN(c), ...args], { input, allowFail: true, env: { TERM: 'vt100', CAMFW_RUN: c.run, TCPREMOTEIP: '127.0.0.1' } });

  test('the web password gives the shell, as the web user or root; anything else three times gives nothing', async () => {
    const c = await card('yi');
    c.ran();
    const wrong = await login(c, `owner\nismart12\nroot\nismart12\nowner\n${PASSWORD.toUpperCase()}\n`);
    assert.equal(wrong.code, 1);
    assert.equal((wrong.stdout.match(/Login incorrect/g) ?? []).length, 3);
    assert.deepEqual(c.ran(), []);
    const ok = await login(c, `owner\n${PASSWORD}\n`);
    assert.match(ok.stdout, /camfw: logged in as owner: a root shell/);
    // camfw's BusyBox as a login shell ($0 "-sh", no arguments)
    assert.deepEqual(c.ran(), ['']);
    assert.match((await login(c, `root\n${PASSWORD}\n`)).stdout, /camfw: logged in as root: a root shell/);
  });

  test('--check, for dropbear and ftpd: exit 0 for the web user or root with the web password, 1 for anything else, nothing run', async () => {
    const c = await card('yi');
    c.ran();
    const check = (input: string) => login(c, input, ['--check']);
    for (const user of ['owner', 'root']) assert.equal((await check(`${user}\0${PASSWORD}\0`)).code, 0, user);
    for (const [input, why] of [
      [`owner\0ismart12\0`, 'a wrong password'],
      [`admin\0${PASSWORD}\0`, 'another user'],
      [`owner\0${PASSWORD}`, 'a password without its NUL'],
      [`owner\n${PASSWORD}\n`, 'lines, not NUL-ended fields'],
      [`owner\0${'x'.repeat(300)}\0`, 'a 300-byte password'],
      ['', 'nothing'],
    ]) {
      const r = await check(input);
      assert.equal(r.code, 1, why);
      assert.equal(r.stdout + r.stderr, '', why);
    }
    assert.deepEqual(c.ran(), []);
  });

  test('as the shell dropbear runs after its check: the card\'s BusyBox sh, for a command or as a login shell', async () => {
    const c = await card('yi');
    c.ran();
    assert.equal((await login(c, '', ['-c', 'echo "$HOME"; exit 3'])).code, 0);
    assert.deepEqual(c.ran(), ['-c|echo "$HOME"; exit 3']);
    await login(c, '', [], '-camfw-login');
    assert.deepEqual(c.ran(), ['']);
    const usage = await login(c, '', ['--shell']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /usage: camfw-login/);
    assert.deepEqual(c.ran(), []);
  });

  test("a wrong password waits 3 s after its check, not in the others' way: the owner's right one comes through while wrong ones wait", async (t) => {
    const c = await card('yi');
    const check = (from: string, password: string) => {
      const t0 = Date.now();
      return run(['qemu-arm', '-cpu', 'arm926', LOGIN(c), '--check'], { input: `owner\0${password}\0`, allowFail: true, env: { CAMFW_RUN: c.run, TCPREMOTEIP: from } }).then((r) => ({ code: r.code, ms: Date.now() - t0, end: Date.now() }));
    };
    const wrong = ['203.0.113.1', '203.0.113.2'].map((from) => check(from, 'a wrong password'));
    // both counted (before their checks run), or a while
    const failures = path.join(c.run, 'login/failures');
    const t0 = Date.now();
    await waitFor('two wrong checks under way', () => (fs.existsSync(failures) && /203\.0\.113\.1 1[^]*203\.0\.113\.2 1|203\.0\.113\.2 1[^]*203\.0\.113\.1 1/.test(fs.readFileSync(failures, 'utf8'))) || Date.now() - t0 > 2000 || undefined, 10_000);
    const owner = await check('127.0.0.1', PASSWORD);
    const w = await Promise.all(wrong);
    assert.equal(owner.code, 0);
    assert.deepEqual(w.map((x) => x.code), [1, 1]);
    t.diagnostic(`the owner's check while two wrong ones ran: ${owner.ms} ms; the wrong ones ${w.map((x) => x.ms).join(' and ')} ms`);
    assert.ok(w.every((x) => x.end > owner.end), "a wrong password's wait held the owner's check up");
    // the web login's count: a client that failed nine times waits, even with the right
    // password (the record as limit.c keeps it, its clock the host's); the owner does not
    fs.writeFileSync(failures, `203.0.113.1 9 ${Number(process.hrtime.bigint() / 1_000_000_000n)}\n`);
    assert.equal((await check('203.0.113.1', PASSWORD)).code, 1, 'a client past its failures got a check');
    assert.equal((await check('127.0.0.1', PASSWORD)).code, 0);
  });

  test('a camera without its password yet has no telnet login', async () => {
    const c = await card('yi');
    fs.rmSync(path.join(c.dir, 'etc/camfw/web.passwd'));
    const r = await login(c, `admin\n${PASSWORD}\n`);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /no password yet/);
    assert.doesNotMatch(r.stdout, /login: /);
    assert.equal((await login(c, `owner\0${PASSWORD}\0`, ['--check'])).code, 1);
  });
});

describe('the web UI recipe', () => {
  test('every page, script, style and icon: under 50 KB, each page in the bundle', async (t) => {
    const www = path.join((await cardPrograms('yi')).built.get('webui')!.stageDir, 'www');
    const bytes = treeBytes(www);
    t.diagnostic(`the web UI: ${bytes} bytes (app.js ${fs.statSync(path.join(www, 'app.js')).size})`);
    assert.ok(bytes <= WEBUI_BUDGET, `${bytes} bytes`);
    const app = fs.readFileSync(path.join(www, 'app.js'), 'utf8');
    for (const id of ['status', 'services', 'network', 'time', 'video', 'streaming', 'recording', 'logs', 'system']) assert.ok(app.includes(`"${id}"`), id);
    assert.doesNotMatch(app, /innerHTML|eval\(|new Function/);
  });
});
