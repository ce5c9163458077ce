// The owner's login while strangers attack the camera (the probe of issue 19): the web
// login (POST /api/login through the card's lighttpd) and an SSH login (host ssh to the
// card's dropbear, which asks camfw-login, sharing the web login's limit), each alone, the
// baseline measured in the same run, and while each attack runs. The card's lighttpd,
// camfw-api, dropbear and camfw-login run under qemu-arm on loopback, every client from
// a loopback address of its own (the camera's own network: the attackers there get its
// reserved check too, the worst case).
import fs from 'node:fs';
import path from 'node:path';
import { run, startBackground } from './run.ts';
import { persistentSlowClient, request } from '../../test/attack-clients.ts';
import { startCardWeb, type CardWeb } from '../../test/card-web.ts';
import { cardPrograms, renderCard, tmpDir } from '../../test/helpers.ts';
import { freePort } from '../../test/qemu/camera.ts';
import { accepts, waitFor } from '../../test/wait.ts';

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

interface Ssh {
  port: number;
  askpass: string;
  stop(): Promise<void>;
}

/**
 * The card's dropbear under qemu-arm on a free port of 127.0.0.1, with camfw-login (the
 * run directory the web login's) as its check and shell: through a host script, since an
 * ARM program under qemu-arm cannot exec another one itself.
 */
async function startSsh(card: string, web: CardWeb): Promise<Ssh> {
  const dropbear = path.join((await cardPrograms('fang')).built.get('dropbear')!.stageDir, 'usr/sbin/dropbearmulti');
  const dir = tmpDir('bench-ssh');
  await run(['qemu-arm', '-cpu', 'arm926', dropbear, 'dropbearkey', '-t', 'ed25519', '-f', path.join(dir, 'key')]);
  const login = path.join(dir, 'camfw-login.sh');
  fs.writeFileSync(login, `#!/bin/sh\nexec qemu-arm -cpu arm926 '${card}/usr/lib/camfw/camfw-login' "$@"\n`, { mode: 0o755 });
  const askpass = path.join(dir, 'askpass.sh');
  fs.writeFileSync(askpass, '#!/bin/sh\nprintf \'%s\\n\' "$CAMFW_BENCH_PASSWORD"\n', { mode: 0o700 });
  const port = await freePort();
  const env = { DROPBEAR_PASSWORD_CHECK: login, DROPBEAR_SHELL: login, CAMFW_RUN: web.runDir };
  const server = startBackground(['qemu-arm', '-cpu', 'arm926', ...Object.entries(env).flatMap(([k, v]) => ['-E', `${k}=${v}`]), dropbear, 'dropbear', '-F', '-E', '-p', `127.0.0.1:${port}`, '-r', path.join(dir, 'key')]);
  await waitFor('dropbear under qemu-arm', () => accepts(port), 30_000, () => server.stderr());
  return { port, askpass, stop: () => server.stop() };
}

/** An SSH login as root from `from` with `password`: whether dropbear took it, and its time. */
async function sshLogin(s: Ssh, from: string, password: string): Promise<{ ok: boolean; ms: number }> {
  const t0 = Date.now();
  const r = await run(
    ['ssh', '-v', '-b', from, '-p', String(s.port), '-F', '/dev/null', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no', '-o', 'NumberOfPasswordPrompts=1', 'root@127.0.0.1', 'true'],
    { env: { SSH_ASKPASS: s.askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: 'none', CAMFW_BENCH_PASSWORD: password }, input: '', allowFail: true, timeoutMs: 120_000 },
  );
  return { ok: /Authenticated to/.test(r.stderr), ms: Date.now() - t0 };
}

/** The owner's SSH login, typed again when the camera was busy: its time in ms. */
async function ownerSsh(s: Ssh): Promise<number> {
  const t0 = Date.now();
  for (let attempt = 0; attempt < 10; attempt++) {
    if ((await sshLogin(s, OWNER, PASSWORD)).ok) return Date.now() - t0;
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error("the owner's SSH login failed 10 times");
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

const ATTACKS: Record<string, (web: CardWeb, ssh: Ssh) => () => Promise<void>> = {
  // 4 addresses, 16 connections each, a byte every 3 s of a kept-alive connection's next
  // header or of a POST body, each back as soon as it is closed
  'slow connections (4 x 16)': (web) => {
    const held = ATTACKERS.flatMap((from) => Array.from({ length: 16 }, (_, i) => persistentSlowClient(web.port, from, { every: 3000, kind: i % 2 ? 'next header' : 'body' })));
    return async () => held.forEach((h) => h.stop());
  },
  // 4 addresses keeping 16 wrong web logins in flight each
  'web guesses (4 x 16 at once)': (web) =>
    loops(ATTACKERS.length * 16, (i) => request(ATTACKERS[i % ATTACKERS.length], web.port, 'POST', '/api/login', { 'content-type': 'application/json' }, JSON.stringify({ user: 'owner', password: `guess ${i} xxxx` }))),
  // 3 addresses keeping a wrong SSH login going each
  'wrong SSH logins (3 at once)': (_web, ssh) => loops(3, (i) => sshLogin(ssh, ATTACKERS[i], 'a wrong password')),
};

export async function benchLogin(runs: number): Promise<Record<string, unknown>> {
  const card = await renderCard('fang', { web: { user: 'owner', password: PASSWORD } });
  const web = await startCardWeb(card, tmpDir('bench-record'), 'fang');
  const ssh = await startSsh(card, web);
  const results: Record<string, unknown> = {};
  try {
    const measure = async () => {
      const w: number[] = [];
      const s: number[] = [];
      for (let i = 0; i < runs; i++) {
        w.push(await webLogin(web));
        s.push(await ownerSsh(ssh));
      }
      return { webMs: median(w), sshMs: median(s) };
    };
    const alone = await measure();
    results.alone = alone;
    console.log(`the owner alone: web login ${alone.webMs} ms, SSH login ${alone.sshMs} ms (median of ${runs})`);
    for (const [name, start] of Object.entries(ATTACKS)) {
      const stop = start(web, ssh);
      // the attack under way before the owner comes
      await new Promise((res) => setTimeout(res, 5000));
      const m = await measure();
      await stop();
      results[name] = { ...m, webRatio: m.webMs / alone.webMs, sshRatio: m.sshMs / alone.sshMs };
      console.log(`during ${name}: web login ${m.webMs} ms (${(m.webMs / alone.webMs).toFixed(1)}x), SSH login ${m.sshMs} ms (${(m.sshMs / alone.sshMs).toFixed(1)}x)`);
      // the attackers' failures forgotten between two attacks (an hour of quiet)
      fs.rmSync(path.join(web.runDir, 'login/failures'), { force: true });
    }
  } finally {
    await ssh.stop();
    await web.stop();
  }
  return results;
}
