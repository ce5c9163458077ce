import { spawn } from 'node:child_process';
import { $ } from 'zx';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { paths } from './paths.ts';
import { elapsed, log } from './log.ts';

export interface RunOptions {
  cwd?: string;
  /** Merged over process.env; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Full output goes to this file (appended); without it, output is kept in memory. */
  logFile?: string;
  input?: string | Buffer;
  /** Return a non-zero exit instead of throwing. */
  allowFail?: boolean;
  /** Give up after this many milliseconds. */
  timeoutMs?: number;
  /**
   * The program's standard output goes to this file (replaced), not to memory or the log:
   * a pipeline in TypeScript, so the program's exit status is never lost behind a `|`.
   */
  stdoutFile?: string;
  /** With stdoutFile: compress it, like `gzip -n -LEVEL` (no name, no time: reproducible). */
  gzipLevel?: number;
  /** Also show the program's output as it comes (a long run whose output a person follows). */
  passthrough?: boolean;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export class ToolError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly tail: string,
  ) {
    super(message);
  }
}

const TAIL_LINES = 40;

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatCommand(argv: readonly string[]): string {
  return argv.map(quote).join(' ');
}

function tailOf(text: string, lines = TAIL_LINES): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function mergedEnv(extra: RunOptions['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * The one place where camfw starts an external program. It records the command,
 * its directory, duration and exit status in output/logs/commands.log, sends the
 * program's output to `logFile` when given, and on failure throws a ToolError
 * whose message ends with the tail of that output.
 */
export async function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const cmd = formatCommand(argv);
  const t0 = Date.now();
  log.detail(`$ ${cmd}`);
  let out: fs.WriteStream | undefined;
  if (opts.logFile) {
    fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
    fs.appendFileSync(opts.logFile, `\n$ ${cmd}\n# cwd ${opts.cwd ?? process.cwd()}\n`);
    out = fs.createWriteStream(opts.logFile, { flags: 'a' });
  }
  const proc = $({
    cwd: opts.cwd,
    env: mergedEnv(opts.env),
    // zx takes an empty string for no input and leaves stdin open: give it as an empty Buffer
    input: opts.input === '' ? Buffer.alloc(0) : opts.input,
    quiet: true,
    nothrow: true,
    timeout: opts.timeoutMs,
    verbose: false,
  })`${argv}`;
  if (out) {
    if (!opts.stdoutFile) proc.stdout.on('data', (b: Buffer) => out!.write(b));
    proc.stderr.on('data', (b: Buffer) => out!.write(b));
  }
  if (opts.passthrough) {
    proc.stdout.on('data', (b: Buffer) => process.stdout.write(b));
    proc.stderr.on('data', (b: Buffer) => process.stderr.write(b));
  }
  const toFile = opts.stdoutFile ? writeStdout(proc.stdout, opts.stdoutFile, opts.gzipLevel) : undefined;
  const [result] = await Promise.all([proc, toFile]);
  if (out) await new Promise<void>((resolve) => out!.end(resolve));
  const code = result.exitCode ?? (result.signal ? 128 : 1);
  recordCommand(cmd, opts.cwd, Date.now() - t0, code);
  if (code !== 0 && !opts.allowFail) {
    const tail = opts.logFile
      ? tailOf(fs.readFileSync(opts.logFile, 'utf8'))
      : tailOf(opts.stdoutFile ? result.stderr : `${result.stdout}\n${result.stderr}`);
    const where = opts.logFile ? `\nfull log: ${opts.logFile}` : '';
    throw new ToolError(
      `command failed (exit ${code}${result.signal ? `, ${result.signal}` : ''}): ${cmd}\n--- last lines ---\n${tail}${where}`,
      code,
      tail,
    );
  }
  log.detail(`  exit ${code} in ${elapsed(t0)}`);
  return { stdout: result.stdout, stderr: result.stderr, code };
}

function writeStdout(stdout: NodeJS.ReadableStream, file: string, gzipLevel?: number): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sink = fs.createWriteStream(file);
  return gzipLevel === undefined ? pipeline(stdout, sink) : pipeline(stdout, zlib.createGzip({ level: gzipLevel }), sink);
}

export interface BackgroundProcess {
  /** The program's process ID (undefined if it could not start). */
  pid: number | undefined;
  /** Everything the program wrote to stderr so far. */
  stderr(): string;
  /** Whether the program has ended. */
  exited(): boolean;
  /** Sends `signal` and waits as `wait` does. */
  signal(signal: NodeJS.Signals, timeoutMs: number): Promise<number | null | undefined>;
  /** Waits, at most `timeoutMs`, for the program to end; its exit code (null: killed by a signal), or undefined if it still runs. */
  wait(timeoutMs: number): Promise<number | null | undefined>;
  /** Stops the program (SIGTERM) and waits for it to end. */
  stop(): Promise<void>;
}

/**
 * Starts a long-running program (an emulated camera) in the background. Like `run`, it
 * records the command, duration and exit status in output/logs/commands.log, when it ends.
 */
export function startBackground(argv: readonly string[], opts: { cwd?: string } = {}): BackgroundProcess {
  const cmd = formatCommand(argv);
  const t0 = Date.now();
  log.detail(`$ ${cmd} &`);
  const proc = spawn(argv[0], argv.slice(1), { cwd: opts.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((resolve) =>
    proc.on('close', (code, signal) => {
      recordCommand(`${cmd} &`, opts.cwd, Date.now() - t0, code ?? (signal === 'SIGTERM' ? 0 : 128));
      resolve();
    }),
  );
  proc.on('error', (e) => (stderr += `cannot start ${argv[0]}: ${e.message}\n`));
  const ended = () => proc.exitCode !== null || proc.signalCode !== null;
  const wait = async (timeoutMs: number) => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    return ended() ? proc.exitCode : undefined;
  };
  return {
    pid: proc.pid,
    stderr: () => stderr,
    exited: ended,
    signal(signal, timeoutMs) {
      proc.kill(signal);
      return wait(timeoutMs);
    },
    wait,
    async stop() {
      if (!ended()) proc.kill('SIGTERM');
      await exited;
    },
  };
}

function recordCommand(cmd: string, cwd: string | undefined, ms: number, code: number): void {
  try {
    fs.mkdirSync(paths.logs, { recursive: true });
    const line = `${new Date().toISOString()} exit=${code} ${(ms / 1000).toFixed(2)}s cwd=${cwd ?? process.cwd()} $ ${cmd}\n`;
    fs.appendFileSync(path.join(paths.logs, 'commands.log'), line);
  } catch {
    // The command log is a convenience; a read-only output dir must not fail the build.
  }
}

export interface FileLock {
  release(): Promise<void>;
}

/**
 * Takes a flock(1) lock on `file` (exclusive, or shared) and holds it until release() or
 * until this process ends. The lock lives in the kernel with a `flock FILE cat` process
 * whose standard input is our pipe: when we exit, however we exit, the pipe closes, cat
 * ends and the kernel drops the lock. There is never a stale lock to take over.
 * `onWait` is called once if the lock is not ours within half a second; with `wait: false`
 * a lock held elsewhere gives undefined at once.
 */
export function lockFile(file: string, opts: { shared?: boolean; wait?: boolean; onWait?: () => void } = {}): Promise<FileLock | undefined> {
  const argv = ['flock', opts.shared ? '--shared' : '--exclusive', ...(opts.wait === false ? ['--nonblock'] : []), file, 'cat'];
  const cmd = formatCommand(argv);
  const t0 = Date.now();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const proc = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const closed = new Promise<number>((resolve) =>
    proc.on('close', (code, signal) => {
      recordCommand(cmd, undefined, Date.now() - t0, code ?? (signal ? 128 : 1));
      resolve(code ?? 128);
    }),
  );
  // cat echoes this line only once flock has the lock and has started it; a flock that
  // gives up (--nonblock) never reads it
  proc.stdin.on('error', () => {});
  proc.stdin.write('locked\n');
  return new Promise((resolve, reject) => {
    const waiting = setTimeout(() => opts.onWait?.(), 500);
    proc.on('error', (e) => {
      clearTimeout(waiting);
      reject(new ToolError(`cannot run flock for ${file}: ${e.message}`, 127, ''));
    });
    proc.stdout.once('data', () => {
      clearTimeout(waiting);
      // a lock held for the whole run must not keep Node alive; its release must
      const handles = [proc, proc.stdin, proc.stdout, proc.stderr] as unknown as Array<{ ref?: () => void; unref?: () => void }>;
      for (const h of handles) h.unref?.();
      resolve({
        async release() {
          for (const h of handles) h.ref?.();
          proc.stdin.end();
          await closed;
        },
      });
    });
    void closed.then((code) => {
      clearTimeout(waiting);
      if (opts.wait === false && code === 1) resolve(undefined);
      else reject(new ToolError(`flock on ${file} failed (exit ${code}): ${stderr.trim()}`, code, stderr));
    });
  });
}
