import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareTrees, extractPartition, firstDifference, readMbr, unpackFilesystem } from './images/inspect.ts';
import { run } from './run.ts';

export interface ArtifactDifference {
  model: string;
  artifact: string;
  /** Where the two differ, as precisely as could be found. */
  details: string[];
}

function sums(dir: string): Map<string, string> {
  const file = path.join(dir, 'SHA256SUMS');
  if (!fs.existsSync(file)) return new Map();
  return new Map(
    fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [hash, name] = l.split(/\s+/);
        return [name, hash] as [string, string];
      }),
  );
}

async function explainDiskImage(a: string, b: string): Promise<string[]> {
  const pa = readMbr(a);
  const pb = readMbr(b);
  if (JSON.stringify(pa) !== JSON.stringify(pb)) return [`partition tables differ: ${JSON.stringify(pa)} vs ${JSON.stringify(pb)}`];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'camfw-compare-'));
  const details: string[] = [];
  try {
    for (const p of pa) {
      const fa = path.join(tmp, `p${p.index}-a.img`);
      const fb = path.join(tmp, `p${p.index}-b.img`);
      extractPartition(a, p, fa);
      extractPartition(b, p, fb);
      const at = firstDifference(fa, fb);
      if (at < 0) continue;
      await unpackFilesystem(fa, p.type, path.join(tmp, `p${p.index}-a`));
      await unpackFilesystem(fb, p.type, path.join(tmp, `p${p.index}-b`));
      const files = await compareTrees(path.join(tmp, `p${p.index}-a`), path.join(tmp, `p${p.index}-b`));
      if (files.length) for (const f of files) details.push(`partition ${p.index}: /${f.path}: ${f.what}`);
      else details.push(`partition ${p.index}: same files; filesystem metadata differs from byte ${at} of the partition (disk offset ${p.offset + at})`);
    }
    if (!details.length) details.push(`outside the partitions, first at byte ${firstDifference(a, b)}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return details;
}

/** diffoscope's report when it is installed (Debian: diffoscope-minimal), else the first differing byte. */
async function explainFile(a: string, b: string): Promise<string[]> {
  const have = await run(['diffoscope', '--version'], { allowFail: true });
  if (have.code === 127) return [`first difference at byte ${firstDifference(a, b)} (install diffoscope-minimal for a full report)`];
  const r = await run(['diffoscope', '--text', '-', '--max-report-size', '200000', a, b], { allowFail: true });
  return r.stdout.split('\n').slice(0, 60);
}

/** Compares the artifacts of two output directories by SHA256SUMS, and explains each difference. */
export async function compareOutputs(a: string, b: string, models: string[]): Promise<ArtifactDifference[]> {
  const out: ArtifactDifference[] = [];
  for (const model of models) {
    const sa = sums(path.join(a, model));
    const sb = sums(path.join(b, model));
    if (!sa.size || !sb.size) {
      out.push({ model, artifact: 'SHA256SUMS', details: [`missing in ${!sa.size ? a : b}/${model}`] });
      continue;
    }
    for (const name of [...new Set([...sa.keys(), ...sb.keys()])].sort()) {
      if (sa.get(name) === sb.get(name)) continue;
      const fa = path.join(a, model, name);
      const fb = path.join(b, model, name);
      if (!sa.has(name) || !sb.has(name)) {
        out.push({ model, artifact: name, details: [`only in ${sa.has(name) ? a : b}`] });
        continue;
      }
      const details = name.endsWith('.img') ? await explainDiskImage(fa, fb) : await explainFile(fa, fb);
      out.push({ model, artifact: name, details });
    }
  }
  return out;
}
