import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chooseToolchain, setupToolchain, type Toolchain } from '../toolchain/index.ts';
import { buildRecipes, type BuiltRecipe } from '../scripts/lib/builder.ts';
import { camera, type ModelId } from '../scripts/lib/cameras.ts';
import { buildInfo } from '../scripts/lib/build-info.ts';
import { allCardRecipes, overlay, populateCardDir, templateView } from '../scripts/lib/card-parts.ts';
import { validateConfig } from '../scripts/lib/config.ts';
import { readMbr } from '../scripts/lib/images/inspect.ts';
import { CardTree } from '../scripts/lib/manifest.ts';
import { addVendorFiles } from '../scripts/lib/vendor.ts';
import { ensureHostPackages } from '../scripts/lib/host-deps.ts';
import { setQuiet } from '../scripts/lib/log.ts';
import { paths } from '../scripts/lib/paths.ts';
import { run } from '../scripts/lib/run.ts';
import type { RunningCamera } from './qemu/camera.ts';
import { guestPrograms } from './qemu/guest/guest.ts';

setQuiet(!process.env.CAMFW_VERBOSE);

let hostReady: Promise<void> | undefined;
export function hostPackages(): Promise<void> {
  return (hostReady ??= ensureHostPackages('test'));
}

export interface Built {
  tc: Toolchain;
  built: Map<string, BuiltRecipe>;
}

const builds = new Map<string, Promise<Built>>();
/**
 * The card programs as `npm run build` made them for `model` (same toolchain choice), with
 * those of every camera's card built by that toolchain (allCardRecipes); the build cache
 * makes this free after a build, and builds what is missing otherwise.
 */
export function cardPrograms(model: ModelId): Promise<Built> {
  const tcId = chooseToolchain(camera(model));
  if (!builds.has(tcId))
    builds.set(
      tcId,
      (async () => {
        await hostPackages();
        const tc = await setupToolchain(tcId);
        return { tc, built: await buildRecipes(allCardRecipes(), tc) };
      })(),
    );
  return builds.get(tcId)!;
}

/** A card directory of `model` (fang's data/, yi's test/) rendered from `config` into a temporary directory. */
export async function renderCard(model: ModelId, config: unknown): Promise<string> {
  const dir = tmpDir('card');
  const { tc, built } = await cardPrograms(model);
  const input = { camera: camera(model), tc, built, info: await buildInfo(), config: validateConfig(config) };
  const tree = new CardTree(dir);
  populateCardDir(input, tree, '', true, await addVendorFiles(model, tree, undefined));
  overlay(templateView(input), tree, `${model}/${input.camera.cardOverlay}`, '');
  return dir;
}

const made: string[] = [];
function removeTmpDirs(): void {
  if (process.env.CAMFW_KEEP_TMP) return;
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}
process.on('exit', removeTmpDirs);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    removeTmpDirs();
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  });

/**
 * A temporary directory for one test file: removed when the file's tests end, pass or
 * fail (kept with CAMFW_KEEP_TMP=1, to look at what a test made).
 */
export function tmpDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `camfw-${prefix}-`));
  made.push(dir);
  return dir;
}

/**
 * A directory to put alone on PATH for a script run by the card's BusyBox under
 * qemu-arm: every applet is a small host script that runs that same BusyBox, as an
 * ARM926 with the camera's kernel version, so the script uses the card's tools and no
 * host program. (QEMU's user mode cannot exec an ARM program itself.)
 */
export async function cardToolbox(busybox: string, kernel: string): Promise<string> {
  const dir = tmpDir('toolbox');
  const applets = (await run(['qemu-arm', '-cpu', 'arm926', busybox, '--list'])).stdout.trim().split('\n');
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const qemu = (process.env.PATH ?? '').split(':').map((d) => path.join(d, 'qemu-arm')).find((f) => fs.existsSync(f));
  if (!qemu) throw new Error('qemu-arm is not on PATH');
  for (const a of applets)
    fs.writeFileSync(path.join(dir, a), `#!/bin/sh\nexec ${quote(qemu)} -cpu arm926 -r ${quote(kernel)} ${quote(busybox)} ${quote(a)} "$@"\n`, { mode: 0o755 });
  return dir;
}

const TSX = path.join(paths.root, 'node_modules/.bin/tsx');
const BUILD = path.join(paths.root, 'scripts/build.ts');
/** The test configuration: no web password (the published images have none), so its images are reproducible. */
export const TEST_CONFIG = path.join(paths.root, 'test/fixtures/config.json');

/** An output directory that shares downloads, toolchains and compiled recipes with output/: only the image stage runs. */
export function imageStageOutput(parent: string): string {
  const out = path.join(parent, 'out');
  fs.mkdirSync(out, { recursive: true });
  for (const d of [paths.dl, paths.apt, paths.toolchains, paths.stage]) fs.symlinkSync(d, path.join(out, path.basename(d)));
  return out;
}

export interface ImageBuild {
  umask?: string;
  /** A command the build runs under, e.g. ['faketime', '2031-02-03 04:05:06']. */
  wrapper?: string[];
  env?: Record<string, string>;
  cwd?: string;
  config?: string;
  args?: string[];
}

/** Runs `npm run build` (the script itself) into `out`; returns its result without throwing. */
export function runBuild(out: string, b: ImageBuild = {}) {
  return run(['sh', '-c', 'umask "$0" && exec "$@"', b.umask ?? '022', ...(b.wrapper ?? []), TSX, BUILD, '--config', b.config ?? TEST_CONFIG, '--jobs', '1', ...(b.args ?? [])], {
    cwd: b.cwd ?? paths.root,
    env: { CAMFW_OUTPUT: out, ...b.env },
    allowFail: true,
    timeoutMs: 600_000,
  });
}

/** Like runBuild, and it must succeed. */
export async function buildImages(out: string, b: ImageBuild = {}): Promise<void> {
  const r = await runBuild(out, b);
  if (r.code !== 0) throw new Error(`build into ${out} failed:\n${r.stderr.slice(-3000)}`);
}

/**
 * The card image of `model` built with the test configuration plus `config` (the image
 * stage only), copied to `dir`/`name`.img. `vendor` names vendor files to give the build,
 * each the emulated cameras' stand-in program under that name.
 */
export async function cardImage(model: ModelId, dir: string, name: string, config: object = {}, vendor: string[] = []): Promise<string> {
  const out = imageStageOutput(path.join(dir, name));
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(TEST_CONFIG, 'utf8')), ...config }));
  const args = ['--model', model];
  if (vendor.length) {
    const vendorDir = path.join(dir, `${name}-vendor`);
    fs.mkdirSync(vendorDir);
    const { standin } = await guestPrograms();
    for (const v of vendor) fs.copyFileSync(standin, path.join(vendorDir, v));
    args.push('--vendor-dir', vendorDir);
  }
  await buildImages(out, { config: file, args });
  const img = path.join(dir, `${name}.img`);
  fs.copyFileSync(path.join(out, model, `camfw-${model}.img`), img);
  return img;
}

export interface ProbedStream {
  codec_name: string;
  width?: number;
  height?: number;
  sample_rate?: string;
}

/** The streams the host's ffprobe finds at an RTSP URL (over TCP, as the cards pull it). */
export async function probeRtsp(url: string): Promise<ProbedStream[]> {
  const r = await run(['ffprobe', '-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=codec_name,width,height,sample_rate', '-of', 'json', url], { timeoutMs: 60_000 });
  return (JSON.parse(r.stdout) as { streams: ProbedStream[] }).streams;
}

/**
 * The page cache the camera's programs do not map (logs read, the card's files) emptied
 * first, so that what a probe finds depends on the programs running and not on what the
 * test read before it.
 */
const DROP_CACHES = 'sync; echo 3 > /proc/sys/vm/drop_caches';

/**
 * Whether a program that needs `kib` KiB resident gets it: memhog touches every page, then
 * says "holding"; the OOM killer ends it when the camera has not that much left. The
 * answer waits for one or the other (a loaded host makes the emulated camera slow), then
 * a second more for a late kill (a process the OOM killer took may linger as a zombie:
 * that counts as killed). memhog is gone when this returns.
 */
export async function memhogHolds(cam: RunningCamera, kib: number): Promise<boolean> {
  const r = await cam.exec(
    [
      DROP_CACHES,
      `memhog ${kib} > /tmp/memhog.out & p=$!; i=0`,
      `alive() { kill -0 "$p" 2> /dev/null && ! grep -q '^State:.*Z' "/proc/$p/status"; }`,
      `while [ "$i" -lt 90 ] && alive && ! grep -q holding /tmp/memhog.out; do sleep 1; i=$((i + 1)); done`,
      'sleep 1',
      'if alive && grep -q holding /tmp/memhog.out; then echo holds; kill "$p"; else echo killed; fi',
      'wait "$p" 2> /dev/null; rm -f /tmp/memhog.out; sleep 1',
    ].join('; '),
    120_000,
  );
  return r.output.trim().endsWith('holds');
}

export async function memAvailableKiB(cam: RunningCamera): Promise<number> {
  const r = await cam.exec(`${DROP_CACHES}; grep MemAvailable /proc/meminfo`);
  return Number(/MemAvailable:\s+(\d+) kB/.exec(r.output)?.[1]);
}

/**
 * Whether the camera's RTSP server answers an OPTIONS request for `pathOnCamera` on the
 * camera's own 127.0.0.1:554, asking again for up to `withinMs` (the supervisor restarts a
 * server that could not start yet with a backoff).
 */
export async function rtspAnswersInside(cam: RunningCamera, pathOnCamera: string, withinMs = 0): Promise<boolean> {
  const end = Date.now() + withinMs;
  for (;;) {
    const r = await cam.exec(`{ printf 'OPTIONS rtsp://127.0.0.1:554/${pathOnCamera} RTSP/1.0\\r\\nCSeq: 1\\r\\n\\r\\n'; sleep 2; } | nc 127.0.0.1 554`);
    if (/^RTSP\/1\.0 200 OK/m.test(r.output)) return true;
    if (Date.now() >= end) return false;
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/** The session cookie (`camfw_session=...`) a Set-Cookie header sets. */
export const sessionCookie = (setCookie: string | null | undefined) => /camfw_session=[0-9a-f]{64}/.exec(setCookie ?? '')?.[0];

/** The password the tests give a camera on its first visit. */
export const OWNER_PASSWORD = 'owner-test-password-3c9f';

/** A request the camera makes to its own web server on `guestPort` (from 127.0.0.1, its own network), with BusyBox wget: the answer's headers and body. */
export async function cameraRequest(cam: RunningCamera, guestPort: 80 | 8080, call: string, body?: object): Promise<{ headers: string; body: string }> {
  const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  const post = body ? ` --header 'Content-Type: application/json' --post-data ${quote(JSON.stringify(body))}` : '';
  // -S: the headers, on stderr before the body
  const r = await cam.exec(`wget -q -S -O /tmp/answer${post} http://127.0.0.1:${guestPort}/api/${call} 2>&1; echo; cat /tmp/answer; rm -f /tmp/answer`);
  const at = r.output.lastIndexOf('\n{');
  return { headers: r.output.slice(0, at), body: r.output.slice(at + 1) };
}

/**
 * A logged-in session on the camera's web UI on `guestPort`: the first visit's password
 * when the card has none, a login otherwise, both from the camera's own network (inside
 * it: the test host reaches the camera through QEMU's forward, whose source the camera
 * sees as its gateway, which may not set the first password and counts its failed logins
 * with the internet's). The cookie header to send and the CSRF token, good from anywhere.
 */
export async function ownerSession(cam: RunningCamera, guestPort: 80 | 8080 = 80, password = OWNER_PASSWORD): Promise<{ cookie: string; csrf: string }> {
  const state = JSON.parse((await cameraRequest(cam, guestPort, 'session')).body) as { setup_needed: boolean };
  const r = await cameraRequest(cam, guestPort, state.setup_needed ? 'setup' : 'login', { user: 'admin', password });
  const cookie = sessionCookie(r.headers);
  const csrf = r.body.startsWith('{') ? (JSON.parse(r.body) as { csrf?: string }).csrf : undefined;
  if (!cookie || !csrf) throw new Error(`no session on the camera's port ${guestPort}: ${r.headers}\n${r.body}`);
  return { cookie, csrf };
}

/**
 * Forgets the camera's failed logins, as an hour of quiet would: the test host reaches
 * the camera from its gateway, an outsider, whose failures all count as the internet's
 * (recipes/camfw-api/limit.c), so one test's wrong passwords would make the next wait.
 */
export async function forgetFailedLogins(cam: RunningCamera): Promise<void> {
  const r = await cam.exec('rm -f /tmp/camfw/login/failures');
  if (r.code !== 0) throw new Error(`cannot forget the failed logins: ${r.output}`);
}

/**
 * A telnet session on host port `port`: the login's user and password when asked, then
 * `command`; what the camera sent (telnet's option negotiation left out), once `until`
 * shows in it (an error if the connection ends first).
 */
export function telnet(port: number, user: string, password: string, command: string, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let step = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`telnet: no ${until} within 60 s:\n${text}`));
    }, 60_000);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      if (until.test(text)) resolve(text);
      else reject(new Error(`telnet: the connection ended without ${until}:\n${text}`));
    };
    socket.on('data', (d: Buffer) => {
      // IAC (255) and the option bytes after it are negotiation, not text
      for (let i = 0; i < d.length; i++) {
        if (d[i] === 255) i += d[i + 1] >= 251 && d[i + 1] <= 254 ? 2 : 1;
        else text += String.fromCharCode(d[i]);
      }
      if (step === 0 && /login: $/.test(text)) (socket.write(`${user}\r\n`), (step = 1));
      if (step === 1 && /Password: $/.test(text)) (socket.write(`${password}\r\n`), (step = 2));
      if (step === 2 && /logged in as /.test(text)) (socket.write(`${command}\r\n`), (step = 3));
      if (until.test(text)) done();
    });
    socket.on('close', done);
    socket.on('error', reject);
  });
}

/**
 * `command` over SSH (the host's OpenSSH client) on host port `port`, logging in as `user`
 * with `password` by password only (SSH_ASKPASS gives it, from the environment), with the
 * camera's host key kept in `knownHosts`; or, for `{ tty }`, a login shell on a terminal
 * that is given those lines. Exit 255 when the login fails.
 */
export async function ssh(port: number, user: string, password: string, command: string | { tty: string }, knownHosts: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const askpass = path.join(path.dirname(knownHosts), 'askpass.sh');
  fs.writeFileSync(askpass, '#!/bin/sh\nprintf \'%s\\n\' "$CAMFW_TEST_SSH_PASSWORD"\n', { mode: 0o700 });
  return run(
    [
      'ssh', '-p', String(port), '-o', 'BatchMode=no', '-o', 'StrictHostKeyChecking=accept-new', '-o', `UserKnownHostsFile=${knownHosts}`,
      '-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no', '-o', 'NumberOfPasswordPrompts=1', '-o', 'ConnectTimeout=30',
      '-F', '/dev/null', ...(typeof command === 'string' ? [`${user}@127.0.0.1`, command] : ['-tt', `${user}@127.0.0.1`]),
    ],
    { env: { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: 'none', CAMFW_TEST_SSH_PASSWORD: password }, input: typeof command === 'string' ? '' : command.tty, allowFail: true, timeoutMs: 120_000 },
  );
}

/**
 * curl on the camera's FTP port (host port `port`), logged in as `user`: the data
 * connections in active mode, which the camera opens back to its peer (10.0.2.2, the host
 * loopback to QEMU's user network). Exit 67 when the login is refused.
 */
export function ftp(port: number, user: string, password: string, remotePath: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(['curl', '-sS', '--ftp-port', '127.0.0.1', '--max-time', '90', '--user', `${user}:${password}`, ...args, `ftp://127.0.0.1:${port}/${remotePath}`], { allowFail: true, timeoutMs: 120_000 });
}

/** MTOOLS_SKIP_CHECK: mtools reads the card images camfw makes without checking their geometry. */
export const MTOOLS = { env: { MTOOLS_SKIP_CHECK: '1' } };

/** The owner's calls to a camera's API, logged in (ownerSession). */
export interface Owner {
  get<T = Record<string, unknown>>(call: string, timeoutMs?: number): Promise<{ status: number; json: T }>;
  post(call: string, body: object): Promise<{ status: number; json: Record<string, unknown> }>;
}

/** The owner's calls to the camera's port `guestPort` at `base` (ownerSession). */
export async function owner(cam: RunningCamera, guestPort: 80 | 8080 = 80, base = cam.urlOn(guestPort)): Promise<Owner> {
  const { cookie, csrf } = await ownerSession(cam, guestPort);
  return {
    async get<T>(call: string, timeoutMs = 15_000) {
      const r = await fetch(`${base}api/${call}`, { headers: { cookie }, signal: AbortSignal.timeout(timeoutMs) });
      return { status: r.status, json: (await r.json()) as T };
    },
    async post(call, body) {
      const r = await fetch(`${base}api/${call}`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
      return { status: r.status, json: (await r.json()) as Record<string, unknown> };
    },
  };
}

/** A network try's end (GET /api/network's try). */
export interface Try {
  state: string;
  reason: string;
}

/**
 * A network try's end as the camera reports it (net-try.sh, which tries for `trySeconds`),
 * asking through every moment the camera is away.
 */
export async function tryResult(cam: RunningCamera, o: Owner, trySeconds: number, timeoutMs = (trySeconds + 45) * 1000): Promise<Try> {
  const end = Date.now() + timeoutMs;
  let last: Try | undefined;
  let error = '';
  while (Date.now() < end) {
    try {
      const t = (await o.get<{ try: Try & { seconds: number } }>('network', 5000)).json.try;
      last = { state: t.state, reason: t.reason };
      if (last.state !== 'trying') return last;
    } catch (e) {
      // the camera is on the settings being tried
      error = String(e);
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
  const log = await cam.exec('tail -n 40 /tmp/camfw.log; route -n; ifconfig', 10_000).then(
    (r) => `${r.output}\nits radio: ${cam.console().match(/camfw-test: wifi link \w+/g)?.join(', ')}`,
    () => `(the camera does not answer on its control line either; its console ends:)\n${cam.console().slice(-4000)}`,
  );
  throw new Error(`the try did not end within ${timeoutMs / 1000} s (last seen: ${JSON.stringify(last)}, last error: ${error}); the camera's boot log ends:\n${log}`);
}

/** POST /api/network's fields for a Wi-Fi client on DHCP, and with the Wi-Fi network kept. */
export const DHCP = { wifi: 'client', channel: '', addressing: 'dhcp', address: '', netmask: '', gateway: '', dns: '' };
export const NO_WIFI = { ssid: '', psk: '', country: '' };

/** Puts a file on the card image's first (FAT) partition, as a computer writes it there. */
export async function putOnFat(card: string, name: string, content: string): Promise<void> {
  const file = path.join(tmpDir('fat'), name);
  fs.writeFileSync(file, content);
  await run(['mcopy', '-o', '-i', `${card}@@${readMbr(card)[0].offset}`, file, `::/${name}`], MTOOLS);
}
