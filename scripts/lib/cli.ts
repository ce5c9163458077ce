import { log } from './log.ts';

/** Runs a command-line entry point: errors end as one clear message and exit 1. */
export function main(fn: () => Promise<void>): void {
  fn().catch((e: unknown) => {
    const err = e as Error;
    log.error(process.env.CAMFW_VERBOSE ? (err.stack ?? String(err)) : (err.message ?? String(err)));
    process.exit(1);
  });
}
