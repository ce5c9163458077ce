// Who may use the camera's web UI: camfw-api (our CGI, ARM926 under qemu-arm) run directly
// with the CGI environment lighttpd gives it, and behind the card's own lighttpd and
// lighttpd.conf. The first password only from the camera's own network, logins against
// the hash the build wrote, sessions that end at logout, a CSRF token on every POST,
// failed logins that make the address wait, hostile input that changes nothing, and slow
// clients that cannot lock the owner out (one address holds at most 16 connections).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { startBackground } from '../scripts/lib/run.ts';
import { cgi, cookieOf } from './cgi.ts';
import { hostileSweep, type Send } from './hostile.ts';
import { renderCard, sessionCookie, tmpDir } from './helpers.ts';
import { freePort, waitForPage } from './qemu/camera.ts';

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
    assert.equal((await cgi(card, runDir, '/session', { addr: OUTSIDE })).json.own_network, false);
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
});

describe('the card\'s lighttpd in front of camfw-api', () => {
  test('the login page and /public/ to anyone, everything else after login, security headers, slow clients dropped', async () => {
    const card = await renderCard('fang', { web: { user: 'owner', password: PASSWORD } });
    const runDir = tmpDir('web-run');
    const port = await freePort();
    // The card's own lighttpd.conf, with what differs on an x86 host: lighttpd (an ARM
    // program under qemu-arm) cannot exec the ARM CGI itself, so qemu-arm is its
    // interpreter; the request log goes to a file, not to the camera's svlogd; camfw's
    // RAM directory is a temporary one.
    const conf = path.join(runDir, 'lighttpd.conf');
    const cardConf = fs.readFileSync(path.join(card, 'etc/lighttpd.conf'), 'utf8');
    const hostConf = cardConf
      .replace('cgi.assign = ( "" => "" )', 'cgi.assign = ( "" => "/usr/bin/qemu-arm" )')
      .replace(/accesslog\.filename = .*/, `accesslog.filename = "${runDir}/access.log"`)
      .replace('"CAMFW_RUN" => "/tmp/camfw"', `"CAMFW_RUN" => "${runDir}", "QEMU_CPU" => "arm926"`);
    assert.notEqual(hostConf, cardConf);
    assert.equal((hostConf.match(/qemu-arm|QEMU_CPU|access\.log"|CAMFW_RUN" => "\//g) ?? []).length, 4, hostConf);
    fs.writeFileSync(conf, hostConf);
    const record = tmpDir('web-record');
    const segment = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    fs.writeFileSync(path.join(record, '20261130-101500.mp4'), segment);
    const server = startBackground(['qemu-arm', '-cpu', 'arm926', '-E', `CAMFW_ROOT=${card}`, '-E', `CAMFW_WEB_PORT=${port}`, '-E', `CAMFW_RECORD_DIR=${record}`, path.join(card, 'usr/sbin/lighttpd'), '-D', '-f', conf]);
    try {
      const url = `http://127.0.0.1:${port}/`;
      assert.match((await waitForPage(`${url}public/build.txt`, 30_000)).body, /^model=fang$/m);
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

      const login = await fetch(`${url}api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'owner', password: PASSWORD }) });
      assert.equal(login.status, 200, server.stderr());
      const cookie = sessionCookie(login.headers.get('set-cookie'))!;
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

      // 20 clients sending a header line every 5 s: each is dropped, and the owner gets through
      const slow = await Promise.all(Array.from({ length: 20 }, () => slowClient(port)));
      await new Promise((r) => setTimeout(r, 6000));
      assert.equal((await fetch(url, { headers: { cookie }, signal: AbortSignal.timeout(10_000) })).status, 200);
      await new Promise((r) => setTimeout(r, 4000));
      const closed = slow.filter((s) => s.closed()).length;
      for (const s of slow) s.stop();
      assert.equal(closed, 20, `${closed} of 20 slow clients were closed by the server`);

      // 40 clients from one address, each sending a header line every 2 s (never idle long
      // enough for server.max-read-idle): that address holds 16 connections, the others are
      // closed as they come, and the owner on another address gets through; the 16 go once
      // their header has taken 10 s (camfw's lighttpd patch)
      const held = await Promise.all(Array.from({ length: 40 }, () => slowClient(port, 2000)));
      await new Promise((r) => setTimeout(r, 5000));
      const open = held.filter((s) => !s.closed()).length;
      const owner = await getFrom('127.0.0.2', `${url}api/session`, cookie);
      await new Promise((r) => setTimeout(r, 8000));
      const left = held.filter((s) => !s.closed()).length;
      for (const s of held) s.stop();
      // (16 less the test's own keep-alive connections from that address)
      assert.ok(open > 8 && open <= 16, `${open} of 40 slow clients from one address were held`);
      assert.equal(owner.status, 200);
      assert.equal(JSON.parse(owner.body).logged_in, true);
      assert.equal(left, 0, `${left} slow clients were still held 13 s after they connected`);
    } finally {
      await server.stop();
    }
  });
});

/** A GET from the local address `from` (another loopback address than the slow clients'). */
function getFrom(from: string, url: string, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { localAddress: from, headers: { cookie }, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url} from ${from}: no answer in 10 s`)));
    req.on('error', reject);
  });
}

/** A client that sends one header line every `everyMs` and never finishes its request. */
async function slowClient(port: number, everyMs = 5000): Promise<{ closed: () => boolean; stop: () => void }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let closed = false;
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  socket.write('GET / HTTP/1.1\r\nHost: camera\r\n');
  const timer = setInterval(() => !closed && socket.write('X-Slow: 1\r\n'), everyMs);
  return {
    closed: () => closed,
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}
