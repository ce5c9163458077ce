import { spawn } from 'node:child_process';
import { $ } from 'zx';
import fs from 'node:fs';
import path from 'node:path';
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
    input: opts.input,
    quiet: true,
    nothrow: true,
    timeout: opts.timeoutMs,
    verbose: false,
  })`${argv}`;
  if (out) {
    proc.stdout.on('data', (b: Buffer) => out!.write(b));
    proc.stderr.on('data', (b: Buffer) => out!.write(b));
  }
  const result = await proc;
  if (out) await new Promise<void>((resolve) => out!.end(resolve));
  const code = result.exitCode ?? (result.signal ? 128 : 1);
  recordCommand(cmd, opts.cwd, Date.now() - t0, code);
  if (code !== 0 && !opts.allowFail) {
    const tail = opts.logFile
      ? tailOf(fs.readFileSync(opts.logFile, 'utf8'))
      : tailOf(`${result.stdout}\n${result.stderr}`);
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

export interface BackgroundProcess {
  /** Everything the program wrote to stderr so far. */
  stderr(): string;
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
  return {
    stderr: () => stderr,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
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
