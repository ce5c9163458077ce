// The hostile-input sweep of the camera's API: shell metacharacters, newlines, `%00`,
// `../`, 100 KB strings, bad UTF-8, JSON of the wrong shape, missing, unknown and repeated
// fields, to every call that takes a body. Run against camfw-api directly (web-login.test)
// and over HTTP against a booted camera (services.test).
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
}

/** Sends one POST with `body` to /api`call`. */
export type Send = (call: string, body: string | Buffer, opts: SendOptions) => Promise<ApiAnswer>;

/**
 * Sweeps /setup, /login and /password (logged in as `user` with `password`). Every value
 * that is not a valid one is a 400 naming its field; a valid but hostile password is taken
 * as it is (it then logs in, exactly). `marker` is a file that every command in the values
 * would create. `overLimit`: also send a body above camfw-api's 128 KB (lighttpd, which
 * refuses it first, may close the connection while it is sent). Returns the password in
 * force at the end and the number of requests.
 */
export async function hostileSweep(send: Send, user: string, password: string, marker: string, overLimit = true): Promise<{ password: string; checked: number }> {
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
  const raw: Array<[string, string | Buffer, RegExp]> = [
    ['a NUL', '{"user":"owner","password":"a\\u0000b"}', /NUL/],
    ['bad UTF-8', Buffer.concat([Buffer.from('{"user":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","password":"x"}')]), /UTF-8/],
    ['an array', '["owner", "x"]', /JSON object/],
    ['a number for a string', '{"user":"owner","password":12345678}', /must be a string/],
    ['an object for a string', '{"user":{"a":1},"password":"x"}', /must be a string, true, false or a whole number/],
    ['a missing field', '{"user":"owner"}', /^\w+: missing$/],
    ['an unknown field', '{"user":"owner","password":"x","admin":true}', /admin: not a field/],
    ['a field twice', '{"user":"owner","user":"x","password":"x"}', /given twice/],
    ['trailing text', '{"user":"owner","password":"x"} ; rm -rf /', /follows the JSON/],
    ['not JSON', 'user=owner&password=x', /JSON object/],
  ];
  const login = await send('/login', JSON.stringify({ user, password }), {});
  assert.equal(login.status, 200, JSON.stringify(login.json));
  const session = { cookie: login.cookie!, csrf: String(login.json.csrf) };
  const calls: Array<[string, string[], boolean]> = [
    ['/setup', ['user', 'password'], false],
    ['/login', ['user', 'password'], false],
    ['/password', ['old', 'new'], true],
  ];
  let checked = 0;
  for (const [call, fields, needsSession] of calls) {
    const opts = () => (needsSession ? session : {});
    for (const field of fields)
      for (const value of strings) {
        const body = Object.fromEntries(fields.map((f) => [f, f === field ? value : f === 'user' ? user : password]));
        const r = await send(call, JSON.stringify(body), opts());
        const what = `${call} ${field}=${JSON.stringify(value.slice(0, 40))}: ${r.status} ${JSON.stringify(r.json)}`;
        if (call === '/password' && field === 'new' && r.status === 200) {
          // a valid new password, stored exactly as given: it logs in
          password = value;
          Object.assign(session, { cookie: r.cookie!, csrf: String(r.json.csrf) });
          const again = await send('/login', JSON.stringify({ user, password: value }), {});
          assert.ok(again.status === 200 || again.status === 429, what);
        } else {
          // refused (400), a wrong login (401, or 429 once the address must wait), or no setup (409)
          assert.ok([400, 401, 409, 429].includes(r.status), what);
        }
        if (value.length > 1024) assert.equal(r.status, 400, what);
        if (r.status === 400) assert.equal(r.json.field ?? field, field, what);
        checked++;
      }
    for (const [what, text, why] of raw) {
      // the call's own field names
      const rename = (t: string) => t.replaceAll('"user"', `"${fields[0]}"`).replaceAll('"password"', `"${fields[1]}"`);
      const body = Buffer.isBuffer(text) ? Buffer.from(rename(text.toString('latin1')), 'latin1') : rename(text);
      const r = await send(call, body, opts());
      assert.equal(r.status, 400, `${call} with ${what}: ${r.status} ${JSON.stringify(r.json)}`);
      assert.match(String(r.json.error), why, `${call} with ${what}`);
      checked++;
    }
    // not JSON by its type, and a body above the limit
    assert.equal((await send(call, '{}', { ...opts(), type: 'application/x-www-form-urlencoded' })).status, 415);
    if (overLimit) assert.equal((await send(call, `{"user":"${'x'.repeat(140_000)}"}`, opts())).status, 413);
    checked += 2;
  }
  return { password, checked };
}
