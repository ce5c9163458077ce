// The user configuration: defaults, refusals that name key, value and what is allowed,
// secrets kept out of anything shown, and the committed JSON Schema in step with the code.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { jsonSchema, loadConfig, loadConfigFile, redactConfig, refusedSettings, secretKeys, validateConfig } from '../scripts/lib/config.ts';
import { CAMERAS } from '../scripts/lib/cameras.ts';
import { configFiles, webPasswdLine, WEB_PASSWORD_ROUNDS, wpaPsk, wpaSsid } from '../scripts/lib/card-config.ts';
import { paths } from '../scripts/lib/paths.ts';
import { runBuild, tmpDir } from './helpers.ts';

describe('configuration', () => {
  test('an empty configuration gets every default', () => {
    const c = validateConfig({});
    assert.equal(c.timezone, 'UTC0');
    assert.deepEqual(c.web, { user: 'admin', port: 80, names: '' });
    assert.deepEqual(c.video, { resolution: '1920x1080', fps: 15, bitrateKbps: 2048, timestamp: false, flip: false, mirror: false, ir: 'auto' });
    assert.equal(c.services.telnet, false);
    assert.equal(c.services.ssh, false);
    assert.equal(c.services.ftp, false);
    assert.equal(c.wifi, undefined);
    assert.deepEqual(c.images, { fangBootMiB: 64, fangDataMiB: 32, yiCardMiB: 64 });
  });

  test('the example configuration is valid', () => {
    const c = loadConfig(path.join(paths.root, 'config/example.json'));
    assert.equal(c.hostname, 'front-door');
  });

  test('bad values are refused together, naming key, value and what is allowed', () => {
    assert.throws(
      () => validateConfig({ hostname: 'Front Door', video: { fps: 60, resolution: '4k' }, web: { password: 'short' }, services: { rtmp: true }, extra: 1 }),
      (e: Error) => {
        assert.match(e.message, /hostname: "Front Door" is not allowed: lower-case letters, digits and inner hyphens/);
        assert.match(e.message, /video\.fps: 60 is not allowed: 1 to 30/);
        assert.match(e.message, /video\.resolution: "4k" is not allowed: one of 1920x1080, 1280x720, 640x360/);
        assert.match(e.message, /web\.password: \(secret, not shown\) is not allowed: at least 8 bytes \(UTF-8\)/);
        assert.match(e.message, /extra: unknown key/);
        assert.match(e.message, /services\.rtmp: true needs stream\.url/);
        assert.doesNotMatch(e.message, /short/);
        return true;
      },
    );
    assert.throws(() => validateConfig({ wifi: { ssid: 'home' } }), /wifi\.psk: missing \(required when wifi is given\)/);
    assert.throws(() => validateConfig({ timezone: 'Europe/Berlin' }), /timezone: "Europe\/Berlin" is not allowed: a POSIX TZ string/);
    assert.throws(() => validateConfig({ images: { fangBootMiB: 8 } }), /images\.fangBootMiB: 8 is not allowed: 33 to 1024/);
  });

  test('a file that is not JSON, or missing, is named', () => {
    const dir = tmpDir('config');
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ "web": ');
    assert.throws(() => loadConfig(path.join(dir, 'bad.json')), /bad\.json is not valid JSON/);
    assert.throws(() => loadConfig(path.join(dir, 'none.json')), /cannot read config .*none\.json/);
  });

  test('secrets are redacted and stored on the card only in the form the camera needs', () => {
    assert.deepEqual(secretKeys(), ['wifi.psk', 'web.password', 'stream.url', 'stream.key']);
    const c = validateConfig({
      wifi: { ssid: 'home', psk: 'wifi secret 1' },
      web: { password: 'web secret 1' },
      // a key inside the URL is as secret as the key
      stream: { url: 'rtmp://x/live/url-secret/', key: 'stream-secret' },
      services: { rtmp: true },
    });
    const shown = JSON.stringify(redactConfig(c));
    for (const s of ['wifi secret 1', 'web secret 1', 'stream-secret', 'url-secret']) assert.ok(!shown.includes(s), s);
    const files = configFiles(c, CAMERAS.fang);
    const open = files.filter((f) => !f.secret).map((f) => f.content).join('\n');
    for (const s of ['wifi secret 1', 'web secret 1', 'stream-secret', 'url-secret']) assert.ok(!open.includes(s), s);
    const all = files.map((f) => f.content).join('\n');
    assert.ok(!all.includes('wifi secret 1') && !all.includes('web secret 1'));
    assert.ok(all.includes(`psk=${wpaPsk('home', 'wifi secret 1')}`));
    // the RTMP target with its key, only in the secret file avworker-min reads
    assert.deepEqual(files.filter((f) => f.content.includes('stream-secret')).map((f) => [f.rel, f.secret]), [['etc/camfw/stream.conf', true]]);
    assert.match(all, /^rtmp=rtmp:\/\/x\/live\/url-secret\/stream-secret$/m);
    assert.throws(() => validateConfig({ stream: { url: 'rtmps://x/live' } }), /stream\.url: \(secret, not shown\) is not allowed: rtmp:\/\/host\[:port\]\/app \(plain RTMP: the camera has no TLS/);
  });

  test('the web password is PBKDF2-HMAC-SHA256 with a random salt; no password, no file', () => {
    assert.equal(webPasswdLine('u', 'pw', Buffer.from('salt')), `u:pbkdf2-sha256:${WEB_PASSWORD_ROUNDS}:73616c74:${crypto.pbkdf2Sync('pw', 'salt', WEB_PASSWORD_ROUNDS, 32, 'sha256').toString('hex')}\n`);
    const [, , , salt, hash] = webPasswdLine('admin', 'correct horse').trim().split(':');
    assert.equal(hash, crypto.pbkdf2Sync('correct horse', Buffer.from(salt, 'hex'), WEB_PASSWORD_ROUNDS, 32, 'sha256').toString('hex'));
    // the same login gives another hash on every card
    assert.notEqual(webPasswdLine('admin', 'correct horse'), webPasswdLine('admin', 'correct horse'));
    assert.equal(configFiles(validateConfig({}), CAMERAS.yi).find((f) => f.rel === 'etc/camfw/web.passwd'), undefined);
    const withPassword = configFiles(validateConfig({ web: { password: 'correct horse' } }), CAMERAS.yi).find((f) => f.rel === 'etc/camfw/web.passwd')!;
    assert.equal(withPassword.secret, true);
    assert.ok(!withPassword.content.includes('correct horse'));
  });

  test('Wi-Fi settings reach wpa_supplicant exactly: hex SSIDs where quoting cannot carry them, lengths in bytes', () => {
    const conf = (ssid: string) => configFiles(validateConfig({ wifi: { ssid, psk: 'wifi secret 1' } }), CAMERAS.yi).find((f) => f.rel === 'etc/wpa_supplicant.conf')!.content;
    assert.match(conf('home net'), /^\tssid="home net"$/m);
    for (const ssid of ['say "hi"', 'back\\slash', 'tab\there', 'Café', '"', ' x ']) {
      const value = /^\tssid=(.*)$/m.exec(conf(ssid))![1];
      // wpa_supplicant reads a quoted value byte for byte, an unquoted one as hex
      const bytes = value.startsWith('"') ? Buffer.from(value.slice(1, value.lastIndexOf('"')), 'latin1') : Buffer.from(value, 'hex');
      assert.deepEqual(bytes, Buffer.from(ssid, 'utf8'), `${JSON.stringify(ssid)} became ${value}`);
      if (/["\\\t]|[^\x20-\x7e]/.test(ssid)) assert.match(value, /^([0-9a-f]{2})+$/, ssid);
    }
    assert.equal(wpaSsid(' x '), '" x "');
    // 16 × é is 32 bytes: the longest SSID; 17 × é is 17 UTF-16 units but 34 bytes
    assert.doesNotThrow(() => validateConfig({ wifi: { ssid: 'é'.repeat(16), psk: 'wifi secret 1' } }));
    assert.throws(() => validateConfig({ wifi: { ssid: 'é'.repeat(17), psk: 'wifi secret 1' } }), /wifi\.ssid: .* at most 32 bytes \(UTF-8\)/);
    assert.throws(() => validateConfig({ wifi: { ssid: 'home', psk: 'ü'.repeat(32) } }), /wifi\.psk: .* at most 63 bytes \(UTF-8\)/);
    assert.throws(() => validateConfig({ web: { password: 'ü'.repeat(3) } }), /web\.password: .* at least 8 bytes/);
  });

  test('settings a card cannot honour yet are refused, not ignored, by the build', async () => {
    const dir = tmpDir('refused');
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ video: { fps: 10 }, stream: { url: 'rtmp://x/live' }, services: { telnet: true, ssh: true, ftp: true, rtsp: true } }));
    const { given } = loadConfigFile(file);
    assert.deepEqual(refusedSettings(given, 'fang', CAMERAS.fang.unsupported).map((r) => r.split(':')[0]), []);
    assert.deepEqual(refusedSettings(given, 'yi', CAMERAS.yi.unsupported).map((r) => r.split(':')[0]), ['video.fps']);
    // the example builds for both cameras
    assert.deepEqual(refusedSettings(loadConfigFile(path.join(paths.root, 'config/example.json')).given, 'yi', CAMERAS.yi.unsupported), []);
    const r = await runBuild(path.join(dir, 'out'), { config: file, args: ['--model', 'yi'] });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /video\.fps: not supported on yi: the YI's rtspsvr serves fixed streams/);
    assert.ok(!fs.existsSync(path.join(dir, 'out', 'yi')), 'the build did work before refusing');
  });

  test('config/camfw.schema.json is what `npm run schema` writes', () => {
    const committed = fs.readFileSync(path.join(paths.root, 'config/camfw.schema.json'), 'utf8');
    assert.equal(committed, JSON.stringify(jsonSchema(), null, 2) + '\n', 'run `npm run schema` and commit the result');
  });
});
