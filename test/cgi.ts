// camfw-api (an ARM program) for one request under qemu-arm, with the CGI environment
// lighttpd's mod_cgi gives it: the tests of the API without a web server in between.
import assert from 'node:assert/strict';
import path from 'node:path';
import { run } from '../scripts/lib/run.ts';
import { sessionCookie } from './helpers.ts';

/** The client address of the camera's own network. */
export const OWN = '127.0.0.1';

export interface Answer {
  status: number;
  headers: Map<string, string>;
  json: Record<string, unknown>;
  /** The answer's body when it is not JSON. */
  text: string;
  /** What camfw-api logged (lighttpd puts it in the web service's log). */
  stderr: string;
}

export interface Call {
  method?: string;
  body?: string | Buffer | object;
  cookie?: string;
  csrf?: string;
  addr?: string;
  type?: string;
  /** The Host header; default the camera's address as a browser on its network gives it. */
  host?: string;
  /** The words that enter a network namespace, whose routing table is then the camera's (test/netns.ts). */
  inside?: string[];
}

/** `call` is the path below /api, with its query if any: "/log?name=web". */
export async function cgi(card: string, runDir: string, call: string, c: Call = {}, extraEnv: Record<string, string> = {}): Promise<Answer> {
  const body = Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body === undefined ? '' : typeof c.body === 'string' ? c.body : JSON.stringify(c.body));
  const [pathInfo, query = ''] = call.split(/\?(.*)/s);
  const env: Record<string, string> = {
    CAMFW_ROOT: card,
    CAMFW_RUN: runDir,
    REQUEST_METHOD: c.method ?? (c.body === undefined ? 'GET' : 'POST'),
    PATH_INFO: pathInfo,
    QUERY_STRING: query,
    REMOTE_ADDR: c.addr ?? OWN,
    HTTP_HOST: c.host ?? '127.0.0.1',
    CONTENT_TYPE: c.type ?? 'application/json',
    CONTENT_LENGTH: String(body.length),
    HTTP_COOKIE: c.cookie ?? '',
    HTTP_X_CSRF_TOKEN: c.csrf ?? '',
    ...extraEnv,
  };
  const r = await run([...(c.inside ?? []), 'qemu-arm', '-cpu', 'arm926', ...Object.entries(env).flatMap(([k, v]) => ['-E', `${k}=${v}`]), path.join(card, 'usr/lib/camfw/camfw-api')], { input: body, allowFail: true });
  assert.equal(r.code, 0, r.stderr);
  const [head, ...rest] = r.stdout.split('\r\n\r\n');
  const headers = new Map(head.split('\r\n').map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as [string, string]));
  const text = rest.join('\r\n\r\n').trim();
  return { status: Number(/^(\d+)/.exec(headers.get('status') ?? '')?.[1]), headers, json: text.startsWith('{') ? JSON.parse(text) : {}, text, stderr: r.stderr };
}

export const cookieOf = (a: Answer) => sessionCookie(a.headers.get('set-cookie'));
