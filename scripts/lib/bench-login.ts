// The owner's login while strangers attack the camera (the probe of issue 19): the web
// login (POST /api/login through the card's lighttpd) and the password check behind SSH,
// telnet and FTP (camfw-login --check, sharing the web login's limit), each alone, the
// baseline measured in the same run, and while each attack runs. The card's lighttpd,
// camfw-api and camfw-login run under qemu-arm on loopback, every client from a loopback
// address of its own (the camera's own network: the attackers there get its reserved
// check too, the worst case).
import fs from 'node:fs';
import path from 'node:path';
import { run } from './run.ts';
import { persistentSlowClient, request } from '../../test/attack-clients.ts';
import { startCardWeb, type CardWeb } from '../../test/card-web.ts';
import { renderCard, tmpDir } from '../../test/helpers.ts';

const PASSWORD = 'the owner of this camera';
const OWNER = '127.0.0.9';
const ATTACKERS = ['127.0.0.21', '127.0.0.22', '127.0.0.23', '127.0.0.24'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The owner's web login as the login page makes it (a busy answer waited for and sent again): its time in ms. */
async function webLogin(web: CardWeb): Promise<number> {
  const t0 = Date.now();
  for (let attempt = 0; attempt < 10; attempt++) {
    const r = await request(OWNER, web.port, 'POST', '/api/login', { 'content-type': 'application/json' }, JSON.stringify({ user: 'owner', password: PASSWORD }));
    if (r.status === 200) return Date.now() - t0;
    if (r.status !== 429) throw new Error(`the owner's login: ${r.status} ${r.body}`);
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error("the owner's login was busy 10 times");
}

/** camfw-login --check for `user` and `password` from `from`: its exit status and time. */
async function check(card: string, web: CardWeb, from: string, password: string): Promise<{ code: number; ms: number }> {
  const t0 = Date.now();
  const r = await run(['qemu-arm', '-cpu', 'arm926', path.join(card, 'usr/lib/camfw/camfw-login'), '--check'], {
    input: `owner\0${password}\0`,
    allowFail: true,
    env: { CAMFW_RUN: web.runDir, TCPREMOTEIP: from },
  });
  return { code: r.code, ms: Date.now() - t0 };
}

/** The owner's SSH check, tried again when the camera was busy (as an owner types it again): its time in ms. */
async function ownerCheck(card: string, web: CardWeb): Promise<number> {
  const t0 = Date.now();
  for (let attempt = 0; attempt < 10; attempt++) {
    if ((await check(card, web, OWNER, PASSWORD)).code === 0) return Date.now() - t0;
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error("the owner's check failed 10 times");
}

/** Runs `attack` until the returned stop is called: each loop keeps its requests going. */
function loops(n: number, one: (i: number) => Promise<unknown>): () => Promise<void> {
  let stopped = false;
  const all = Array.from({ length: n }, async (_, i) => {
    while (!stopped) await one(i).catch(() => new Promise((res) => setTimeout(res, 200)));
  });
  return async () => {
    stopped = true;
    await Promise.all(all);
  };
}

const ATTACKS: Record<string, (card: string, web: CardWeb) => () => Promise<void>> = {
  // 4 addresses, 16 connections each, a byte every 3 s of a kept-alive connection's next
  // header or of a POST body, each back as soon as it is closed
  'slow connections (4 x 16)': (_card, web) => {
    const held = ATTACKERS.flatMap((from) => Array.from({ length: 16 }, (_, i) => persistentSlowClient(web.port, from, { every: 3000, kind: i % 2 ? 'next header' : 'body' })));
    return async () => held.forEach((h) => h.stop());
  },
  // 4 addresses keeping 16 wrong web logins in flight each
  'web guesses (4 x 16 at once)': (_card, web) =>
    loops(ATTACKERS.length * 16, (i) => request(ATTACKERS[i % ATTACKERS.length], web.port, 'POST', '/api/login', { 'content-type': 'application/json' }, JSON.stringify({ user: 'owner', password: `guess ${i} xxxx` }))),
  // 3 addresses keeping a wrong SSH password check running each
  'wrong SSH checks (3 at once)': (card, web) => loops(3, (i) => check(card, web, ATTACKERS[i], 'a wrong password')),
};

export async function benchLogin(runs: number): Promise<Record<string, unknown>> {
  const card = await renderCard('fang', { web: { user: 'owner', password: PASSWORD } });
  const web = await startCardWeb(card, tmpDir('bench-record'), 'fang');
  const results: Record<string, unknown> = {};
  try {
    const measure = async () => {
      const w: number[] = [];
      const s: number[] = [];
      for (let i = 0; i < runs; i++) {
        w.push(await webLogin(web));
        s.push(await ownerCheck(card, web));
      }
      return { webMs: median(w), sshCheckMs: median(s) };
    };
    const alone = await measure();
    results.alone = alone;
    console.log(`the owner alone: web login ${alone.webMs} ms, SSH password check ${alone.sshCheckMs} ms (median of ${runs})`);
    for (const [name, start] of Object.entries(ATTACKS)) {
      const stop = start(card, web);
      // the attack under way before the owner comes
      await new Promise((res) => setTimeout(res, 5000));
      const m = await measure();
      await stop();
      results[name] = { ...m, webRatio: m.webMs / alone.webMs, sshCheckRatio: m.sshCheckMs / alone.sshCheckMs };
      console.log(`during ${name}: web login ${m.webMs} ms (${(m.webMs / alone.webMs).toFixed(1)}x), SSH password check ${m.sshCheckMs} ms (${(m.sshCheckMs / alone.sshCheckMs).toFixed(1)}x)`);
      // the attackers' failures forgotten between two attacks (an hour of quiet)
      fs.rmSync(path.join(web.runDir, 'login/failures'), { force: true });
    }
  } finally {
    await web.stop();
  }
  return results;
}
