import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { debianOrigTarball } from './debian.ts';
import { ensureDownload, httpOrigin, type Origin } from './download.ts';

export interface SourceSpec {
  /** Upstream release URL; the file is cached under its base name. */
  url: string;
  sha256: string;
  /** Debian source package whose .orig tarball is the same upstream release. */
  debian?: string;
}

/** Debian's archive as a mirror of the upstream tarball: same bytes, checked the same way. */
function debianOrigin(pkg: string, sha256: string): Origin {
  return {
    describe: `Debian source package ${pkg}`,
    async fetchTo(tmp) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'camfw-src-'));
      try {
        fs.copyFileSync(await debianOrigTarball(pkg, sha256, dir), tmp);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export function sourceFileName(src: SourceSpec): string {
  return path.basename(new URL(src.url).pathname);
}

/** Upstream first, then Debian; returns the verified file in the download cache. */
export function fetchSource(src: SourceSpec): Promise<string> {
  const origins = [httpOrigin(src.url)];
  if (src.debian) origins.push(debianOrigin(src.debian, src.sha256));
  return ensureDownload(sourceFileName(src), src.sha256, origins);
}
