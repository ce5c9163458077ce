import fs from 'node:fs';
import path from 'node:path';
import { paths } from './paths.ts';
import { log } from './log.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(dir: string): number {
  try {
    return Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8')) || 0;
  } catch {
    return 0; // just created by its holder, or just released
  }
}

/**
 * Serialises work on one shared resource (a cache entry, the apt lists) between
 * builds that run at the same time. mkdir is atomic; a lock left by a process
 * that no longer exists is taken over.
 */
export async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = path.join(paths.output, 'locks', `${name.replace(/[^\w.-]/g, '_')}.lock`);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = readPid(dir);
      if (pid && !alive(pid)) {
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (!announced) {
        log.info(`waiting for ${name} (held by process ${pid || '?'})`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
