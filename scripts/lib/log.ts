/** Console reporting: one line per event, prefixed with elapsed build time. */
const started = Date.now();
let quiet = false;

export function setQuiet(value: boolean): void {
  quiet = value;
}

export function elapsed(since: number): string {
  const s = (Date.now() - since) / 1000;
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${Math.round(s % 60).toString().padStart(2, '0')}s`;
}

function stamp(): string {
  return `[${elapsed(started).padStart(6)}]`;
}

export const log = {
  info(msg: string): void {
    if (!quiet) process.stderr.write(`${stamp()} ${msg}\n`);
  },
  warn(msg: string): void {
    process.stderr.write(`${stamp()} warning: ${msg}\n`);
  },
  error(msg: string): void {
    process.stderr.write(`${stamp()} error: ${msg}\n`);
  },
  detail(msg: string): void {
    if (process.env.CAMFW_VERBOSE) process.stderr.write(`${stamp()}   ${msg}\n`);
  },
};

/**
 * Runs a long step and reports it: a start line, a heartbeat every `everyMs`
 * while it runs (so a 5-minute ffmpeg build is visibly alive), and the time it took.
 */
export async function step<T>(label: string, fn: () => Promise<T>, everyMs = 30_000): Promise<T> {
  const t0 = Date.now();
  log.info(`${label} ...`);
  const timer = setInterval(() => log.info(`${label}: still running (${elapsed(t0)})`), everyMs);
  timer.unref();
  try {
    const result = await fn();
    log.info(`${label}: done in ${elapsed(t0)}`);
    return result;
  } finally {
    clearInterval(timer);
  }
}
