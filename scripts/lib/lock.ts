import fs from 'node:fs';
import { log } from './log.ts';
import { lockFile, type FileLock } from './run.ts';

function holder(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim() || '?';
  } catch {
    return '?';
  }
}

/**
 * Serialises work on one shared resource (a cache entry, the apt lists) between builds
 * that run at the same time. The lock file lives beside the resource it guards, so two
 * output directories that share a cache (through a symlink) share its locks too. It is a
 * kernel lock (flock), released when its holder ends however it ends; the file only says
 * which process held it last, for the "waiting" message.
 */
export async function withLock<T>(file: string, what: string, fn: () => Promise<T>): Promise<T> {
  const lock = (await lockFile(file, { onWait: () => log.info(`waiting for ${what} (held by process ${holder(file)})`) }))!;
  try {
    fs.writeFileSync(file, `${process.pid}\n`);
    return await fn();
  } finally {
    await lock.release();
  }
}

/** A shared lock on `file` for as long as this process runs (readers of a cache). */
const held = new Map<string, Promise<FileLock>>();
export function holdShared(file: string): Promise<FileLock> {
  if (!held.has(file)) held.set(file, lockFile(file, { shared: true }).then((l) => l!));
  return held.get(file)!;
}

/**
 * Runs `fn` only when no other process holds `file` (not even shared); this process's own
 * shared hold is let go for the time. Returns false, doing nothing, when another holds it.
 */
export async function whenAlone(file: string, fn: () => void): Promise<boolean> {
  const mine = held.get(file);
  if (mine) {
    held.delete(file);
    await (await mine).release();
  }
  try {
    const lock = await lockFile(file, { wait: false });
    if (!lock) return false;
    try {
      fn();
    } finally {
      await lock.release();
    }
    return true;
  } finally {
    if (mine) await holdShared(file);
  }
}
