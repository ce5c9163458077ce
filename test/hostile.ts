// The hostile-input sweep of the camera's API: shell metacharacters, newlines, `%00`,
// `../`, 100 KB strings, bad UTF-8, raw NUL bytes, JSON of the wrong shape, missing,
// unknown and repeated fields, to every call that takes a body, and to the one that takes a query. Run against
// camfw-api directly (web-api.test) and over HTTP against a booted camera (services.test).
import assert from 'node:assert/strict';

export interface ApiAnswer {
  status: number;
  json: Record<string, unknown>;
  /** The session cookie the answer set, `camfw_session=...`. */
  cookie?: string;
}

export interface SendOptions {
  cookie?: string;
  csrf?: string;
  type?: string;
  /** GET instead of POST (then `body` is ignored) */
  get?: boolean;
}

/** Sends one POST with `body` to /api`call` (or a GET of /api`call`). */
export type Send = (call: string, body: string | Buffer, opts: SendOptions) => Promise<ApiAnswer>;

/** What the sweep needs from where camfw-api runs. */
export interface SweepTarget {
  send: Send;
  /** A file of the card directory (etc/camfw/settings.conf), as it is now. */
  readCardFile(rel: string): Promise<string>;
  /** Whether any command in the hostile values ran: they all create this file. */
  marker: string;
  /** Also send a body above camfw-api's 128 KB (lighttpd, which refuses it first, may close the connection while it is sent). */
  overLimit: boolean;
}

interface Call {
  call: string;
  fields: string[];
  /** The other fields' values: valid ones, so that only the hostile one can be refused. */
  base: Record<string, unknown>;
  session: boolean;
  /** Whether leaving out a field is an error (the settings take any subset). */
  required: boolean;
}

/**
 * Sweeps every call that takes a body (logged in as `user` with `password`). Every value
 * that is not a valid one is a 400 naming its field; a valid but hostile one (a password,
 * a stream key) is taken exactly as it is, never as code. The settings and the stream
 * target change only through the values the sweep sent. Returns the password in force at
 * the end and the number of requests.
 */
export async function hostileSweep(target: SweepTarget, user: string, password: string): Promise<{ password: string; checked: number }> {
  const { send, marker } = target;
  const strings = [
    `'; touch ${marker}; '`,
    `$(touch ${marker})`,
    `\`touch ${marker}\``,
    `x"; touch ${marker}; "`,
    `line\ntouch ${marker}`,
    '../../../etc/passwd',
    '%00',
    'x'.repeat(100_000),
  ];
  // a and b: two string fields of the call (b absent for a call of one field)
  const raw: Array<[string, (a: string, b?: string) => string | Buffer | undefined, RegExp]> = [
    ['a NUL', (a) => `{"${a}":"a\\u0000b"}`, /NUL/],
    ['raw NUL bytes after a literal', (a) => Buffer.concat([Buffer.from(`{"${a}":true`), Buffer.alloc(4), Buffer.from('}')]), /expected ',' or '}'/],
    ['bad UTF-8', (a) => Buffer.concat([Buffer.from(`{"${a}":"`), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), /UTF-8/],
    ['an array', () => '["owner", "x"]', /JSON object/],
    ['a number for a string', (a) => `{"${a}":12345678}`, /must be a string/],
    ['an object for a string', (a) => `{"${a}":{"a":1}}`, /must be a string, true, false or a whole number/],
    ['an unknown field', (a) => `{"${a}":"owner","admin":true}`, /admin: not a field/],
    ['a field twice', (a) => `{"${a}":"owner","${a}":"x"}`, /given twice/],
    ['trailing text', (a) => `{"${a}":"owner"} ; rm -rf /`, /follows the JSON/],
    ['not JSON', (a, b) => `${a}=owner&${b ?? 'x'}=x`, /JSON object/],
  ];
  const login = await send('/login', JSON.stringify({ user, password }), {});
  assert.equal(login.status, 200, JSON.stringify(login.json));
  const session = { cookie: login.cookie!, csrf: String(login.json.csrf) };
  const calls: Call[] = [
    { call: '/setup', fields: ['user', 'password'], base: { user, password }, session: false, required: true },
    { call: '/login', fields: ['user', 'password'], base: { user, password }, session: false, required: true },
    { call: '/password', fields: ['old', 'new'], base: { old: password, new: password }, session: true, required: true },
    { call: '/settings', fields: ['hostname', 'webNames', 'ntpServer', 'timezone', 'streamQuality', 'videoResolution', 'recordSegmentSeconds', 'rtmp'], base: {}, session: true, required: false },
    { call: '/stream', fields: ['url', 'key'], base: { url: 'rtmp://127.0.0.1:1935/live', key: 'camfw-sweep' }, session: true, required: true },
    { call: '/service', fields: ['name', 'action'], base: { name: 'ntp', action: 'restart' }, session: true, required: true },
    { call: '/recording/delete', fields: ['name'], base: { name: '20260101-000000.mp4' }, session: true, required: true },
    // a Wi-Fi client on DHCP with the network kept: any address, country or channel given is
    // refused, so nothing here starts a try (a hostile but valid passphrase and network name
    // are web-api.test's, which has no network)
    { call: '/network', fields: ['wifi', 'addressing', 'address', 'netmask', 'gateway', 'dns', 'country', 'channel'], base: { wifi: 'client', addressing: 'dhcp', address: '', netmask: '', gateway: '', dns: '', ssid: '', psk: '', country: '', channel: '' }, session: true, required: true },
  ];
  const settingsBefore = await target.readCardFile('etc/camfw/settings.conf');
  let checked = 0;
  for (const { call, fields, base, session: needsSession, required } of calls) {
    const opts = () => (needsSession ? session : {});
    for (const field of fields)
      for (const value of strings) {
        const r = await send(call, JSON.stringify({ ...base, [field]: value }), opts());
        const what = `${call} ${field}=${JSON.stringify(value.slice(0, 40))}: ${r.status} ${JSON.stringify(r.json)}`;
        if (call === '/password' && field === 'new' && r.status === 200) {
          // a valid new password, stored exactly as given: it logs in
          password = value;
          base.old = value;
          Object.assign(session, { cookie: r.cookie!, csrf: String(r.json.csrf) });
          const again = await send('/login', JSON.stringify({ user, password: value }), {});
          assert.ok(again.status === 200 || again.status === 429, what);
        } else if (call === '/stream' && field === 'key' && r.status === 200) {
          // a key is printable ASCII without spaces, kept as given for avworker-min (no shell reads it)
          assert.ok(/^[!-~]+$/.test(value), what);
          assert.match(await target.readCardFile('etc/camfw/stream.conf'), new RegExp(`^rtmp=rtmp://127\\.0\\.0\\.1:1935/live/${value.replace(/[$()`.*+?^{}|[\]\\/]/g, '\\$&')}$`, 'm'), what);
        } else {
          // refused (400), a wrong login (401, or 429 once the address must wait), no setup
          // from outside the camera's own network (403) or after the first (409)
          assert.ok([400, 401, 403, 409, 429].includes(r.status), what);
        }
        if (value.length > 1024) assert.equal(r.status, 400, what);
        if (r.status === 400) assert.equal(r.json.field ?? field, field, what);
        checked++;
      }
    for (const [what, make, why] of raw) {
      const body = make(fields[0], fields[1]);
      if (body === undefined) continue;
      const r = await send(call, body, opts());
      assert.equal(r.status, 400, `${call} with ${what}: ${r.status} ${JSON.stringify(r.json)}`);
      assert.match(String(r.json.error), why, `${call} with ${what}`);
      checked++;
    }
    if (required) {
      const r = await send(call, JSON.stringify(Object.fromEntries(fields.slice(1).map((f) => [f, base[f]]))), opts());
      assert.equal(r.status, 400, `${call} without ${fields[0]}: ${r.status} ${JSON.stringify(r.json)}`);
      assert.match(String(r.json.error), new RegExp(`^${fields[0]}: missing$`));
      checked++;
    }
    // not JSON by its type, and a body above the limit
    assert.equal((await send(call, '{}', { ...opts(), type: 'application/x-www-form-urlencoded' })).status, 415);
    if (target.overLimit) assert.equal((await send(call, `{"${fields[0]}":"${'x'.repeat(140_000)}"}`, opts())).status, 413);
    checked += 2;
  }
  // the query of the log call
  for (const value of [...strings.slice(0, 7).map(encodeURIComponent), '..%2F..%2Fetc%2Fpasswd', 'camfw%00', 'stream/../../web']) {
    const r = await send(`/log?name=${value}`, '', { ...session, get: true });
    assert.equal(r.status, 400, `/log?name=${value}: ${r.status} ${JSON.stringify(r.json)}`);
    // refused by camfw-api, naming the field, or by lighttpd before it (a NUL in the URL)
    if (r.json.error !== undefined) assert.equal(r.json.field, 'name');
    checked++;
  }
  assert.equal(await target.readCardFile('etc/camfw/settings.conf'), settingsBefore, 'the settings changed');
  return { password, checked };
}
