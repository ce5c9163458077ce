// Who may use the camera's web UI: camfw-api (our CGI, ARM926 under qemu-arm) run directly
// with the CGI environment lighttpd gives it, and behind the card's own lighttpd and
// lighttpd.conf. Only requests that name the camera (DNS rebinding), the first password
// only from the camera's own network (not its gateway), logins against the hash the build
// wrote, sessions that end at logout, a CSRF token on every POST, failed logins counted
// before the check and one check at a time per address, a bounded record of them,
// hostile input that changes nothing, and slow clients that cannot lock the owner out.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run, startBackground } from '../scripts/lib/run.ts';
import { exchange, persistentSlowClient, request, slowClient } from './attack-clients.ts';
import { startCardWeb, type CardWeb } from './card-web.ts';
import { cgi, cookieOf } from './cgi.ts';
import { hostileSweep, type Send } from './hostile.ts';
import { renderCard, sessionCookie, tmpDir } from './helpers.ts';
import { cameraNetwork } from './netns.ts';
import { waitFor } from './wait.ts';

const PASSWORD = 'a long enough test password';
/** TEST-NET-3: never a network the host (or a camera) is on. */
const OUTSIDE = '203.0.113.5';

describe('camfw-api, the CGI behind the login', () => {
  let withPassword: string;
  let firstVisit: string;
  before(async () => {
    withPassword = await renderCard('yi', { web: { user: 'owner', password: PASSWORD } });
    firstVisit = await renderCard('yi', {});
  });

  test('a card built with a password: the hash the build wrote logs the owner in, and nothing else does', async () => {
    const runDir = tmpDir('api-run');
    const passwd = fs.readFileSync(path.join(withPassword, 'etc/camfw/web.passwd'), 'utf8');
    assert.match(passwd, /^owner:pbkdf2-sha256:\d+:[0-9a-f]{32}:[0-9a-f]{64}\n$/);
    assert.ok(!passwd.includes(PASSWORD));
    assert.deepEqual((await cgi(withPassword, runDir, '/session')).json, { setup_needed: false, logged_in: false, own_network: true });
    assert.equal((await cgi(withPassword, runDir, '/login', { body: { user: 'owner', password: 'wrong password' } })).status, 401);
    assert.equal((await cgi(withPassword, runDir, '/login', { body: { user: 'admin', password: PASSWORD } })).status, 401);
    assert.equal((await cgi(withPassword, runDir, '/setup', { body: { user: 'owner', password: 'another password 1' } })).status, 409);
    const ok = await cgi(withPassword, runDir, '/login', { body: { user: 'owner', password: PASSWORD } });
    assert.equal(ok.status, 200);
    const cookie = cookieOf(ok)!;
    assert.match(ok.headers.get('set-cookie')!, /^camfw_session=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict$/);
    const session = await cgi(withPassword, runDir, '/session', { cookie });
    assert.equal(session.json.logged_in, true);
    assert.equal(session.json.csrf, ok.json.csrf);
    // the session directory never holds a token
    const stored = fs.readdirSync(path.join(runDir, 'sessions'));
    assert.equal(stored.length, 1);
    assert.ok(!stored[0].includes(cookie.split('=')[1]) && !fs.readFileSync(path.join(runDir, 'sessions', stored[0]), 'utf8').includes(cookie.split('=')[1]));

    // the UI's files only with the session; index.html sends a stranger to the login page
    const page = await cgi(withPassword, runDir, '/file/index.html', { cookie });
    assert.equal(page.headers.get('x-sendfile'), path.join(withPassword, 'www/index.html'));
    assert.equal((await cgi(withPassword, runDir, '/file/index.html')).headers.get('location'), '/public/login.html');
    assert.equal((await cgi(withPassword, runDir, '/file/app.js')).status, 401);
    for (const bad of ['../etc/camfw/web.passwd', '.hidden', 'a//b', 'public/../../etc/camfw/web.passwd', '%2e%2e/x'])
      assert.equal((await cgi(withPassword, runDir, `/file/${bad}`, { cookie })).status, 404, bad);

    // logout: POST with the CSRF token, and the session is gone on the camera
    assert.equal((await cgi(withPassword, runDir, '/logout', { method: 'POST', cookie })).status, 403);
    assert.equal((await cgi(withPassword, runDir, '/logout', { method: 'POST', cookie, csrf: 'f'.repeat(64) })).status, 403);
    assert.equal((await cgi(withPassword, runDir, '/logout', { method: 'GET', cookie, csrf: String(ok.json.csrf) })).status, 405);
    const out = await cgi(withPassword, runDir, '/logout', { method: 'POST', cookie, csrf: String(ok.json.csrf) });
    assert.equal(out.status, 200);
    assert.match(out.headers.get('set-cookie')!, /Max-Age=0/);
    assert.equal((await cgi(withPassword, runDir, '/session', { cookie })).json.logged_in, false);
    assert.equal((await cgi(withPassword, runDir, '/file/index.html', { cookie })).status, 302);
  });

  test('first visit: the password only from the camera\'s own network, not a common one, counted in bytes; one setup wins', async () => {
    const runDir = tmpDir('api-run');
    const card = fs.mkdtempSync(path.join(runDir, 'card-'));
    fs.cpSync(firstVisit, card, { recursive: true });
    assert.ok(!fs.existsSync(path.join(card, 'etc/camfw/web.passwd')));
    assert.deepEqual((await cgi(card, runDir, '/session')).json, { setup_needed: true, logged_in: false, own_network: true });
    // from outside, a camera without its password looks like one with a password nobody knows
    assert.deepEqual((await cgi(card, runDir, '/session', { addr: OUTSIDE })).json, { logged_in: false, own_network: false });
    assert.equal((await cgi(card, runDir, '/login', { addr: OUTSIDE, body: { user: 'admin', password: PASSWORD } })).status, 401);
    assert.equal((await cgi(card, runDir, '/login', { body: { user: 'admin', password: PASSWORD } })).status, 409);
    const outside = await cgi(card, runDir, '/setup', { addr: OUTSIDE, body: { user: 'admin', password: PASSWORD } });
    assert.equal(outside.status, 403);
    assert.match(String(outside.json.error), /own network/);
    for (const [password, why] of [
      ['password', /most common/],
      ['Password1', /most common/],
      ['ismart12', /most common/],
      ['admin', /8 to 128 bytes/],
      // 3 characters, 6 bytes
      ['ééé', /8 to 128 bytes \(UTF-8\), not 6/],
      ['zzzzzzzzzz', /one character repeated/],
      ['x'.repeat(129), /8 to 128 bytes/],
    ] as const) {
      const r = await cgi(card, runDir, '/setup', { body: { user: 'admin', password } });
      assert.equal(r.status, 400, password);
      assert.equal(r.json.field, 'password');
      assert.match(String(r.json.error), why);
    }
    assert.ok(!fs.existsSync(path.join(card, 'etc/camfw/web.passwd')));
    const set = await cgi(card, runDir, '/setup', { body: { user: 'admin', password: 'mot de passe sûr' } });
    assert.equal(set.status, 200, JSON.stringify(set.json));
    assert.ok(cookieOf(set));
    assert.equal(fs.statSync(path.join(card, 'etc/camfw/web.passwd')).mode & 0o777, 0o600);
    assert.equal((await cgi(card, runDir, '/setup', { body: { user: 'admin', password: 'somebody else 2' } })).status, 409);
    assert.equal((await cgi(card, runDir, '/login', { body: { user: 'admin', password: 'mot de passe sûr' } })).status, 200);
  });

  test('failed logins make the address wait, doubling, and answer at once (no slot held)', async () => {
    const runDir = tmpDir('api-run');
    for (let i = 0; i < 5; i++) assert.equal((await cgi(withPassword, runDir, '/login', { body: { user: 'owner', password: `guess ${i} xxxx` } })).status, 401);
    const t0 = Date.now();
    const limited = await cgi(withPassword, runDir, '/login', { body: { user: 'owner', password: PASSWORD } });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.ok(Date.now() - t0 < 5000);
    // another address is not held up
    assert.equal((await cgi(withPassword, runDir, '/login', { addr: '127.0.0.2', body: { user: 'owner', password: PASSWORD } })).status, 200);
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal((await cgi(withPassword, runDir, '/login', { body: { user: 'owner', password: PASSWORD } })).status, 200);
  });

  test('hostile input to every call: a 400 naming the field, nothing runs, nothing else changes', async () => {
    const runDir = tmpDir('api-run');
    const card = fs.mkdtempSync(path.join(runDir, 'card-'));
    fs.cpSync(withPassword, card, { recursive: true });
    const marker = path.join(runDir, 'pwned');
    const passwdFile = path.join(card, 'etc/camfw/web.passwd');
    const passwdBefore = fs.readFileSync(passwdFile, 'utf8');
    const send: Send = async (call, body, opts) => {
      const r = await cgi(card, runDir, call, { ...opts, ...(opts.get ? {} : { body }) });
      return { ...r, cookie: cookieOf(r) };
    };
    const readCardFile = async (rel: string) => fs.readFileSync(path.join(card, rel), 'utf8');
    const { password, checked } = await hostileSweep({ send, readCardFile, marker, overLimit: true }, 'owner', PASSWORD);
    assert.ok(checked >= 7 * 12);
    assert.ok(!fs.existsSync(marker), 'a value ran as a command');
    // only /password changes it, and only to what it was given
    if (password === PASSWORD) assert.equal(fs.readFileSync(passwdFile, 'utf8'), passwdBefore, 'the password changed');
    assert.deepEqual(fs.readdirSync(path.join(card, 'etc/camfw')).filter((f) => f.endsWith('.new')), []);
  });

  test('the Host header: an IP address or one of the camera\'s names, else a 421 and a log line before any other work (DNS rebinding)', async () => {
    const runDir = tmpDir('api-run');
    const card = fs.mkdtempSync(path.join(runDir, 'card-'));
    fs.cpSync(firstVisit, card, { recursive: true });
    // the domain the network's DHCP server gave (udhcpc.script keeps it there)
    fs.mkdirSync(path.join(runDir, 'net'));
    fs.writeFileSync(path.join(runDir, 'net/dhcp-domain'), 'home.example\n');
    const ask = (host: string) => cgi(card, runDir, '/session', { host });
    for (const host of ['127.0.0.1', '127.0.0.1:8080', '192.168.1.20:80', '10.0.2.15:65535', '[::1]', '[fe80::1]:8080', '[2001:db8::7]', 'camfw-yi', 'CAMFW-YI', 'camfw-yi:80', 'camfw-yi.local', 'camfw-yi.local.', 'Camfw-Yi.Local:8080', 'camfw-yi.home.example', 'camfw-yi.home.example:8080'])
      assert.equal((await ask(host)).status, 200, host);
    for (const host of [
      '',
      'rebind.attacker.example',
      'rebind.attacker.example:80',
      'camfw-yi.attacker.example',
      'camfw-yi.local.attacker.example',
      'camfw-yi.home.example.attacker.example',
      'attacker.example.camfw-yi',
      'xcamfw-yi',
      '127.0.0.1.nip.io',
      '7f000001.rbndr.us',
      '127.0.0.1:0',
      '127.0.0.1:080',
      '127.0.0.1:65536',
      '127.0.0.1:+80',
      '127.0.0.1:',
      '127.0.0.1:80:80',
      '127.1',
      '0177.0.0.1',
      '2130706433',
      '::1',
      '[::1',
      '[::1]x',
      '[::1]:0',
      '[127.0.0.1]',
      '[fe80::1%25eth0]',
      'camfw-yi\t',
      'camfw-yi x',
      'user@127.0.0.1',
      'x'.repeat(300),
    ]) {
      const r = await ask(host);
      assert.equal(r.status, 421, JSON.stringify(host));
      assert.match(String(r.json.error), host ? /is not this camera: open it by its address or its name \(camfw-yi, camfw-yi\.local\)/ : /no Host header/);
      assert.match(r.stderr, /camfw-api: refused a request from 127\.0\.0\.1 (for Host|without a Host)/);
    }
    // the probe's attack: a page rebound to the camera, in a browser on the camera's own
    // network, claims it; and with a password set, guesses logins: refused before either
    const rebound = { host: 'rebind.attacker.example', addr: '127.0.0.1' };
    assert.equal((await cgi(card, runDir, '/setup', { ...rebound, body: { user: 'admin', password: PASSWORD } })).status, 421);
    assert.ok(!fs.existsSync(path.join(card, 'etc/camfw/web.passwd')));
    assert.equal((await cgi(withPassword, runDir, '/login', { ...rebound, body: { user: 'owner', password: 'a guess that fails' } })).status, 421);
    assert.ok(!fs.existsSync(path.join(runDir, 'login/failures')), 'a refused request was counted as a login');

    // the owner's other names (a reverse proxy, a DNS entry of their own): a setting, with the same rules
    const set = await cgi(card, runDir, '/setup', { body: { user: 'admin', password: PASSWORD } });
    assert.equal(set.status, 200);
    const session = { cookie: cookieOf(set)!, csrf: String(set.json.csrf) };
    assert.equal((await cgi(card, runDir, '/settings', { ...session, body: { webNames: 'cam.example.org nvr.lan' } })).status, 200);
    for (const host of ['cam.example.org', 'CAM.example.org:443', 'nvr.lan:8080', 'nvr.lan.']) assert.equal((await cgi(card, runDir, '/session', { ...session, host })).status, 200, host);
    for (const host of ['example.org', 'x.cam.example.org', 'nvr.lan.attacker.example', 'cam.example.org nvr.lan']) assert.equal((await cgi(card, runDir, '/session', { ...session, host })).status, 421, host);
    for (const bad of [' cam.example.org', 'cam.example.org ', 'a  b', 'a b c d e f g h i', '-x.example', 'x_y.example', 'cam.example.org:8080', '*.example.org', `${'x'.repeat(64)}.example`])
      assert.equal((await cgi(card, runDir, '/settings', { ...session, body: { webNames: bad } })).status, 400, bad);
    assert.equal(((await cgi(card, runDir, '/settings', session)).json.settings as Record<string, unknown>).webNames, 'cam.example.org nvr.lan');
    assert.equal((await cgi(card, runDir, '/settings', { ...session, body: { webNames: '' } })).status, 200);
    assert.equal((await cgi(card, runDir, '/session', { ...session, host: 'cam.example.org' })).status, 421);
  });

  test("the own network: hosts of the camera's networks and loopback, not a gateway, a network's own or broadcast address, nor beyond", async () => {
    const runDir = tmpDir('api-run');
    const card = fs.mkdtempSync(path.join(runDir, 'card-'));
    fs.cpSync(firstVisit, card, { recursive: true });
    // the camera at 192.0.2.10/24, its router 192.0.2.1 (TEST-NET-1: no host's real network)
    const net = await cameraNetwork('192.0.2.10/24', '192.0.2.1');
    try {
      const inside = (addr: string, call = '/session', body?: object) => cgi(card, runDir, call, { addr, inside: net.enter, ...(body ? { body } : {}) });
      for (const [addr, own] of [
        ['192.0.2.77', true],
        ['::ffff:192.0.2.77', true],
        ['192.0.2.10', true],
        ['127.0.0.1', true],
        ['192.0.2.1', false],
        ['::ffff:192.0.2.1', false],
        ['192.0.2.0', false],
        ['192.0.2.255', false],
        ['203.0.113.5', false],
        ['198.51.100.1', false],
        ['2001:db8::1', false],
      ] as const) {
        const r = await inside(addr);
        assert.deepEqual(r.json, own ? { setup_needed: true, logged_in: false, own_network: true } : { logged_in: false, own_network: false }, addr);
      }
      // a router that rewrites the source of what it forwards (a port forward, hairpin NAT)
      // makes the internet look like its own address: it cannot set the first password
      for (const addr of ['192.0.2.1', '192.0.2.255', '192.0.2.0']) {
        const r = await inside(addr, '/setup', { user: 'admin', password: PASSWORD });
        assert.equal(r.status, 403, addr);
        assert.match(String(r.json.error), /own network/);
      }
      assert.ok(!fs.existsSync(path.join(card, 'etc/camfw/web.passwd')));
      assert.equal((await inside('192.0.2.77', '/setup', { user: 'admin', password: PASSWORD })).status, 200);
      // and with the password set, the gateway learns no more than any outsider
      assert.equal((await inside('192.0.2.1', '/setup', { user: 'admin', password: PASSWORD })).status, 403);
    } finally {
      await net.stop();
    }
  });

  test('every client outside the own network shares one count: ten failures from ten addresses make the internet wait, not the owner', async () => {
    const runDir = tmpDir('api-run');
    const guess = (addr: string, password = 'a guess that fails') => cgi(withPassword, runDir, '/login', { addr, body: { user: 'owner', password } });
    for (let i = 1; i <= 10; i++) assert.equal((await guess(`203.0.113.${i}`)).status, 401, `guess ${i}`);
    // an eleventh address, even with the right password, waits: the internet guesses no faster than one address
    const waits = await guess('198.51.100.7', PASSWORD);
    assert.equal(waits.status, 429);
    assert.match(String(waits.json.error), /wait \d+ s/);
    // the owner on the camera's own network does not
    assert.equal((await guess('127.0.0.1', PASSWORD)).status, 200);
    // one line per client and one for all the outside: no file per address
    const table = fs.readFileSync(path.join(runDir, 'login/failures'), 'utf8').trim().split('\n');
    assert.equal(table.length, 11, table.join('\n'));
    assert.match(table.join('\n'), /^outside 10 \d+$/m);
    assert.deepEqual(fs.readdirSync(path.join(runDir, 'login')).sort(), ['check0', 'check1', 'check2', 'failures', 'lock']);
  });

  test('the failures record is bounded: at most 128 clients, the one quiet longest goes first, and a client quiet for an hour is forgotten', async () => {
    const runDir = tmpDir('api-run');
    fs.mkdirSync(path.join(runDir, 'login'), { mode: 0o700 });
    // the CGI's clock: seconds since boot, the host's here
    const now = Number(process.hrtime.bigint() / 1_000_000_000n);
    const lines = Array.from({ length: 128 }, (_, i) => `10.${i >> 8}.${i & 255}.9 3 ${now - 1000 + i}`);
    lines[5] = `10.99.99.9 4 ${now - 3700}`;
    fs.writeFileSync(path.join(runDir, 'login/failures'), `${lines.join('\n')}\n`);
    const guess = (addr: string) => cgi(withPassword, runDir, '/login', { addr, body: { user: 'owner', password: 'a guess that fails' } });
    for (let i = 0; i < 3; i++) assert.equal((await guess(`127.0.3.${i}`)).status, 401);
    const table = fs.readFileSync(path.join(runDir, 'login/failures'), 'utf8');
    const clients = table.trim().split('\n').map((l) => l.split(' ')[0]);
    assert.equal(clients.length, 128);
    assert.ok(table.length < 128 * 40, `${table.length} bytes`);
    // the hour-old entry expired; the two quiet longest then made room
    assert.ok(!clients.includes('10.99.99.9'), 'a client quiet for an hour is still there');
    assert.ok(!clients.includes('10.0.0.9') && !clients.includes('10.0.1.9'), 'the clients quiet longest were kept');
    assert.ok(clients.includes('10.0.2.9') && ['127.0.3.0', '127.0.3.1', '127.0.3.2'].every((c) => clients.includes(c)), clients.join(' '));
  });

  test('at most one check at a time per client and three on the camera, the last kept for its own network', async () => {
    const runDir = tmpDir('api-run');
    const login = (addr: string) => cgi(withPassword, runDir, '/login', { addr, body: { user: 'owner', password: PASSWORD } });
    assert.equal((await login('127.0.0.1')).status, 200);
    // checks in flight, as the kernel sees them: a process that holds a check's lock
    const hold = async (check: number, client: string) => {
      const file = path.join(runDir, 'login', `check${check}`);
      fs.writeFileSync(file, client);
      const holder = startBackground(['flock', '--exclusive', '--no-fork', file, 'sleep', '60']);
      await waitFor(`a holder of check${check}`, async () => (await run(['flock', '--nonblock', file, 'true'], { allowFail: true })).code !== 0 || undefined, 10_000);
      return holder;
    };
    const first = await hold(0, '203.0.113.9');
    try {
      // this client has a check running: its next waits, another client does not
      const busy = await login('203.0.113.9');
      assert.equal(busy.status, 429);
      assert.equal(busy.headers.get('retry-after'), '1');
      assert.match(String(busy.json.error), /checking another login from this address/);
      assert.equal((await login('203.0.113.10')).status, 200);
      const second = await hold(1, '203.0.113.11');
      try {
        // two checks run for outside clients: the third is the own network's
        assert.equal((await login('203.0.113.12')).status, 429);
        assert.equal((await login('127.0.0.1')).status, 200);
        const third = await hold(2, '127.0.0.5');
        try {
          assert.equal((await login('127.0.0.1')).status, 429);
        } finally {
          await third.stop();
        }
        assert.equal((await login('127.0.0.1')).status, 200);
      } finally {
        await second.stop();
      }
      // a busy answer is not a failure: it costs the client nothing
      assert.doesNotMatch(fs.existsSync(path.join(runDir, 'login/failures')) ? fs.readFileSync(path.join(runDir, 'login/failures'), 'utf8') : '', /203\.0\.113\.12 /);
    } finally {
      await first.stop();
    }
  });
});

describe('the card\'s lighttpd in front of camfw-api', () => {
  let card: string;
  let runDir: string;
  let url: string;
  let port: number;
  let web: CardWeb;
  let server: CardWeb['server'];
  const segment = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
  before(async () => {
    card = await renderCard('fang', { web: { user: 'owner', password: PASSWORD } });
    const record = tmpDir('web-record');
    fs.writeFileSync(path.join(record, '20261130-101500.mp4'), segment);
    // a link named like a segment, to a secret of the card: neither listed nor served
    fs.symlinkSync(path.join(card, 'etc/camfw/stream.conf'), path.join(record, '20261130-101600.mp4'));
    web = await startCardWeb(card, record, 'fang');
    ({ runDir, url, port, server } = web);
  });
  after(() => web?.stop());

  /** A session of the owner's, from `from` (each test its own loopback address: one address holds 16 connections). */
  const ownerLogin = async (from: string) => {
    const r = await request(from, port, 'POST', '/api/login', { 'content-type': 'application/json' }, JSON.stringify({ user: 'owner', password: PASSWORD }));
    assert.equal(r.status, 200, `${r.status} ${r.body}`);
    return sessionCookie(r.headers['set-cookie']?.join(' '))!;
  };

  test('the login page and /public/ to anyone, everything else after login, security headers, no version anywhere, links in the recordings refused', async () => {
    const first = await fetch(url, { redirect: 'manual' });
    assert.equal(first.status, 302, server.stderr());
    assert.equal(first.headers.get('location'), '/public/login.html');
    assert.equal(first.headers.get('x-frame-options'), 'DENY');
    assert.match(first.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.match(await (await fetch(`${url}public/login.html`)).text(), /<script src="login\.js"/);
    assert.equal((await fetch(`${url}index.html`, { redirect: 'manual' })).status, 302);
    for (const p of ['app.js', 'etc/camfw/web.passwd', '../etc/camfw/web.passwd', 'usr/lib/camfw/camfw-api', 'api/file/../etc/camfw/web.passwd']) {
      const r = await fetch(`${url}${p}`, { redirect: 'manual' });
      assert.ok([401, 404].includes(r.status), `${p}: ${r.status}`);
    }
    // what a scanner learns without the password: no server or version in any header
    for (const p of ['', 'public/build.txt', 'public/login.html', 'public/nothing', 'api/session', 'api/nothing']) {
      const r = await fetch(`${url}${p}`, { redirect: 'manual' });
      await r.arrayBuffer();
      assert.equal(r.headers.get('server'), null, `${p}: Server: ${r.headers.get('server')}`);
      for (const [name, value] of r.headers) assert.doesNotMatch(value, /lighttpd|1\.4\.\d+/i, `${p}: ${name}: ${value}`);
    }

    const cookie = await ownerLogin('127.0.0.1');
    const page = await fetch(url, { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script src="app\.js" defer><\/script>/);
    assert.equal((await fetch(`${url}app.js`, { headers: { cookie } })).headers.get('content-type'), 'text/javascript');
    // a recording, as a browser's player asks for it: in ranges
    const part = await fetch(`${url}api/recording/20261130-101500.mp4`, { headers: { cookie, range: 'bytes=1000-1999' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-type'), 'video/mp4');
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), segment.subarray(1000, 2000));
    assert.equal((await fetch(`${url}api/recording/20261130-101500.mp4`)).status, 401);
    // the link is not a recording
    const list = (await (await fetch(`${url}api/recordings`, { headers: { cookie } })).json()) as { segments: Array<{ name: string }> };
    assert.deepEqual(list.segments.map((x) => x.name), ['20261130-101500.mp4']);
    const linked = await fetch(`${url}api/recording/20261130-101600.mp4`, { headers: { cookie } });
    assert.equal(linked.status, 404);
    assert.doesNotMatch(await linked.text(), /rtmp|avworker/);
  });

  test('HTTP/2 is off: neither its preface nor an upgrade to h2c gets an HTTP/2 answer', async () => {
    const preface = await exchange('127.0.0.1', port, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00');
    assert.match(preface, /^HTTP\/1\.[01] (400|505) /);
    const upgrade = await exchange('127.0.0.1', port, 'GET /public/build.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nConnection: close\r\n\r\n');
    assert.match(upgrade, /^HTTP\/1\.1 200 OK\r\n/);
    assert.doesNotMatch(upgrade, /101 Switching/);
  });

  test('slow clients: each request, header and body, is closed 10 s after its first byte, on a kept-alive connection too', async (t) => {
    // 20 clients sending a header line every 5 s: each is dropped (server.max-read-idle), and the owner gets through
    const slow = await Promise.all(Array.from({ length: 20 }, () => slowClient(port, '127.0.0.11', { every: 5000 })));
    await new Promise((r) => setTimeout(r, 6000));
    const cookie = await ownerLogin('127.0.0.12');
    await new Promise((r) => setTimeout(r, 4000));
    const dropped = slow.filter((x) => x.closed()).length;
    for (const x of slow) x.stop();
    assert.equal(dropped, 20, `${dropped} of 20 slow clients were closed by the server`);

    // 40 clients from one address, each sending a header line every 2 s (never idle long
    // enough for server.max-read-idle): that address holds 16 connections, the others are
    // closed as they come, and the owner on another address gets through
    const many = await Promise.all(Array.from({ length: 40 }, () => slowClient(port, '127.0.0.14', { every: 2000 })));
    await new Promise((r) => setTimeout(r, 3000));
    const open = many.filter((x) => !x.closed()).length;
    const meanwhile = await request('127.0.0.12', port, 'GET', '/api/session', { cookie });
    for (const x of many) x.stop();
    assert.equal(open, 16, `${open} of 40 slow clients from one address were held`);
    assert.equal(JSON.parse(meanwhile.body).logged_in, true);

    // one byte every 3 s (never idle for server.max-read-idle): a first request's header,
    // the next request's header on a kept-alive connection, and a POST's body
    const kinds = ['first header', 'next header', 'body'] as const;
    const clients = await Promise.all(kinds.map((kind) => slowClient(port, '127.0.0.13', { every: 3000, kind, cookie })));
    const t0 = Date.now();
    await waitFor('the three slow requests to be closed', () => clients.every((c) => c.closed()) || Date.now() - t0 > 24_000 || undefined, 30_000);
    for (const c of clients) c.stop();
    for (const [i, c] of clients.entries()) {
      assert.ok(c.closed(), `the slow ${kinds[i]} was still open ${(Date.now() - t0) / 1000} s after it began`);
      t.diagnostic(`the slow ${kinds[i]}: closed ${(c.closedAfter()! / 1000).toFixed(1)} s after its first byte`);
      // (the check runs every second; a byte every 3 s)
      assert.ok(c.closedAfter()! < 15_000, `the slow ${kinds[i]} was closed ${c.closedAfter()} ms after its first byte`);
    }
  });

  test('four addresses holding 16 slow connections each (all 64) do not keep the owner out', async (t) => {
    const attackers = ['127.0.0.21', '127.0.0.22', '127.0.0.23', '127.0.0.24'];
    const cookie = await ownerLogin('127.0.0.25');
    // each connection holds its place as the probe's did, and comes back when it is closed
    const held = attackers.flatMap((from) => Array.from({ length: 16 }, (_, i) => persistentSlowClient(port, from, { every: 3000, kind: i % 2 ? 'next header' : 'body', cookie })));
    try {
      await waitFor('64 slow connections', () => held.filter((h) => h.open()).length >= 60 || undefined, 30_000, () => `${held.filter((h) => h.open()).length} open`);
      await new Promise((r) => setTimeout(r, 3000));
      const t0 = Date.now();
      const login = await request('127.0.0.26', port, 'POST', '/api/login', { 'content-type': 'application/json' }, JSON.stringify({ user: 'owner', password: PASSWORD }));
      const loginMs = Date.now() - t0;
      assert.equal(login.status, 200, `the owner's login during the attack: ${login.status} ${login.body}`);
      const t1 = Date.now();
      const page = await request('127.0.0.26', port, 'GET', '/', { cookie: sessionCookie(login.headers['set-cookie']?.join(' '))! });
      assert.equal(page.status, 200);
      t.diagnostic(`the owner, while 4 addresses hold 16 slow connections each: login ${loginMs} ms, the page ${Date.now() - t1} ms; ${held.filter((h) => h.open()).length} attackers' connections open, ${held.reduce((n, h) => n + h.reopened(), 0)} reopened`);
      assert.match(server.stderr(), /every connection is taken: closing one from 127\.0\.0\.2[1-4] that waits for a request/);
    } finally {
      for (const h of held) h.stop();
    }
  });

  test('guesses sent at once are checked one at a time: after five failures and the wait, 16 at once are one check', async (t) => {
    const from = '127.0.0.31';
    const guess = (password: string) => request(from, port, 'POST', '/api/login', { 'content-type': 'application/json' }, JSON.stringify({ user: 'owner', password }));
    for (let i = 0; i < 5; i++) assert.equal((await guess(`guess ${i} xxxx`)).status, 401);
    assert.equal((await guess('too soon')).status, 429);
    await new Promise((r) => setTimeout(r, 2500));
    const t0 = Date.now();
    const owner = request('127.0.0.32', port, 'POST', '/api/login', { 'content-type': 'application/json' }, JSON.stringify({ user: 'owner', password: PASSWORD })).then((r) => ({ ...r, ms: Date.now() - t0 }));
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => guess(`parallel ${i} xxxx`)));
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((x) => x === 401).length, 1, statuses.join(' '));
    assert.equal(statuses.filter((x) => x === 429).length, 15, statuses.join(' '));
    const record = fs.readFileSync(path.join(runDir, 'login/failures'), 'utf8');
    assert.match(record, /^127\.0\.0\.31 6 \d+$/m);
    const o = await owner;
    assert.equal(o.status, 200);
    t.diagnostic(`the owner's login from another address while 16 guesses came at once: ${o.ms} ms`);
  });
});
