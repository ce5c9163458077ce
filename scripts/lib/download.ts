import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { paths } from './paths.ts';
import { sha256File } from './hash.ts';
import { log } from './log.ts';

/** One place a file can come from; `fetchTo` writes it to the given temporary path. */
export interface Origin {
  describe: string;
  fetchTo(tmp: string): Promise<void>;
}

export class HashMismatchError extends Error {
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
    origin: string,
  ) {
    super(`sha256 mismatch for ${file} from ${origin}: expected ${expected}, got ${actual}`);
  }
}

export class DownloadError extends Error {}

/** Plain HTTP(S) download with Node's fetch; a body shorter than Content-Length is an error. */
export function httpOrigin(url: string): Origin {
  return {
    describe: url,
    async fetchTo(tmp) {
      let res: Response;
      try {
        res = await fetch(url, { signal: AbortSignal.timeout(15 * 60_000) });
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        throw new DownloadError(`cannot reach ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
      }
      if (!res.ok || !res.body) throw new DownloadError(`${url}: HTTP ${res.status} ${res.statusText}`);
      const expected = Number(res.headers.get('content-length') ?? NaN);
      const out = fs.createWriteStream(tmp);
      let got = 0;
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          got += chunk.length;
          if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        }
      } catch (e) {
        throw new DownloadError(`${url}: download broke off after ${got} bytes (${(e as Error).message})`);
      } finally {
        await new Promise<void>((r) => out.end(() => r()));
      }
      if (Number.isFinite(expected) && got !== expected)
        throw new DownloadError(`${url}: truncated download, got ${got} of ${expected} bytes`);
    },
  };
}

/** A file the user already has on disk. */
export function localOrigin(file: string): Origin {
  return {
    describe: file,
    async fetchTo(tmp) {
      if (!fs.existsSync(file)) throw new DownloadError(`${file}: no such file`);
      fs.copyFileSync(file, tmp);
    },
  };
}

/** Either a URL (http, https, file) or a local path. */
export function originFor(location: string): Origin {
  if (/^https?:\/\//.test(location)) return httpOrigin(location);
  return localOrigin(location.replace(/^file:\/\//, ''));
}

/**
 * Returns the path of `name` in the download cache (paths.dl), fetching it from the first origin that
 * delivers the right bytes. Every file is verified by sha256 before use, in the cache
 * too. A download is written to a private temporary name and renamed into place, so
 * two builds at once never see a half-written file.
 */
export async function ensureDownload(name: string, sha256: string, origins: Origin[]): Promise<string> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`${name}: "${sha256}" is not a sha256 (64 hex digits)`);
  fs.mkdirSync(paths.dl, { recursive: true });
  const dest = path.join(paths.dl, name);
  if (fs.existsSync(dest)) {
    const actual = await sha256File(dest);
    if (actual === sha256) return dest;
    const aside = `${dest}.bad-${actual.slice(0, 12)}`;
    fs.renameSync(dest, aside);
    log.warn(`cached ${name} has sha256 ${actual}, expected ${sha256}: moved it to ${aside} and fetching again`);
  }
  const failures: string[] = [];
  for (const origin of origins) {
    const tmp = path.join(paths.dl, `.${name}.${process.pid}.${crypto.randomUUID()}.part`);
    try {
      log.info(`fetch ${name} from ${origin.describe}`);
      await origin.fetchTo(tmp);
      const actual = await sha256File(tmp);
      if (actual !== sha256) throw new HashMismatchError(name, sha256, actual, origin.describe);
      fs.renameSync(tmp, dest);
      return dest;
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      if (e instanceof HashMismatchError && origins.length === 1) throw e;
      failures.push((e as Error).message);
      log.detail(`  ${(e as Error).message}`);
    }
  }
  throw new DownloadError(`could not fetch ${name} (sha256 ${sha256}):\n  - ${failures.join('\n  - ')}`);
}
