import fs from 'node:fs';
import path from 'node:path';
import { paths } from './paths.ts';
import { run, type RunResult } from './run.ts';
import { withLock } from './lock.ts';
import { log } from './log.ts';

/**
 * A private apt setup under output/apt, made at run time from the Debian URIs of the
 * machine's own apt sources. It carries its own lists, cache, empty dpkg status and the
 * foreign architectures camfw needs (armel for the toolchain, armhf for the test
 * kernel), so the system's apt configuration and dpkg architectures are never changed.
 */

const ARCHES = ['amd64', 'armel', 'armhf'] as const;
const APT_DIR = paths.apt;

export interface AptSource {
  uri: string;
  suite: string;
  components: string[];
  signedBy?: string;
}

function osCodename(): string {
  const text = fs.readFileSync('/etc/os-release', 'utf8');
  const m = /^VERSION_CODENAME=(\S+)/m.exec(text);
  if (!m) throw new Error('cannot tell the Debian release: /etc/os-release has no VERSION_CODENAME');
  return m[1].replace(/"/g, '');
}

/** The suites of this Debian release (bookworm, bookworm-updates, bookworm-security). */
function isReleaseSuite(suite: string, codename: string): boolean {
  return suite === codename || suite === `${codename}-updates` || suite === `${codename}-security`;
}

/** Parses one-line (.list) and deb822 (.sources) apt source files. */
export function parseAptSources(text: string, deb822: boolean): AptSource[] {
  const out: AptSource[] = [];
  if (deb822) {
    for (const stanza of text.split(/\n\s*\n/)) {
      const fields = new Map<string, string>();
      let key = '';
      for (const line of stanza.split('\n')) {
        if (line.startsWith('#')) continue;
        const m = /^([\w-]+):\s*(.*)$/.exec(line);
        if (m) fields.set((key = m[1].toLowerCase()), m[2].trim());
        else if (/^\s/.test(line) && key) fields.set(key, `${fields.get(key)} ${line.trim()}`);
      }
      if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) continue;
      if ((fields.get('enabled') ?? 'yes') === 'no') continue;
      for (const uri of (fields.get('uris') ?? '').split(/\s+/).filter(Boolean))
        for (const suite of (fields.get('suites') ?? '').split(/\s+/).filter(Boolean))
          out.push({
            uri,
            suite,
            components: (fields.get('components') ?? '').split(/\s+/).filter(Boolean),
            signedBy: fields.get('signed-by'),
          });
    }
    return out;
  }
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const signedBy = /signed-by=(\S+)/.exec(m[1] ?? '')?.[1];
    out.push({ uri: m[2], suite: m[3], components: m[4].split(/\s+/).filter(Boolean), signedBy });
  }
  return out;
}

export function machineDebianSources(etc = '/etc/apt'): AptSource[] {
  const codename = osCodename();
  const files: Array<[string, boolean]> = [];
  if (fs.existsSync(path.join(etc, 'sources.list'))) files.push([path.join(etc, 'sources.list'), false]);
  const parts = path.join(etc, 'sources.list.d');
  if (fs.existsSync(parts))
    for (const f of fs.readdirSync(parts).sort()) {
      if (f.endsWith('.list')) files.push([path.join(parts, f), false]);
      if (f.endsWith('.sources')) files.push([path.join(parts, f), true]);
    }
  const sources = files.flatMap(([f, deb822]) => parseAptSources(fs.readFileSync(f, 'utf8'), deb822));
  const debian = sources.filter((s) => isReleaseSuite(s.suite, codename) && s.components.includes('main'));
  if (debian.length === 0)
    throw new Error(
      `no Debian ${codename} source with component main in ${etc}/sources.list{,.d}: camfw fetches its toolchain and sources from the Debian archive; add the Debian archive to apt's sources`,
    );
  return debian;
}

function sourcesList(sources: AptSource[]): string {
  const lines: string[] = [];
  for (const s of sources) {
    const signed = s.signedBy ? ` signed-by=${s.signedBy}` : '';
    lines.push(`deb [arch=${ARCHES.join(',')}${signed}] ${s.uri} ${s.suite} main`);
    lines.push(`deb-src ${signed ? `[${signed.trim()}] ` : ''}${s.uri} ${s.suite} main`);
  }
  return lines.join('\n') + '\n';
}

function aptOptions(): string[] {
  const o = (k: string, v: string) => ['-o', `${k}=${v}`];
  const opts = [
    ...o('Dir::Etc::SourceList', path.join(APT_DIR, 'sources.list')),
    ...o('Dir::Etc::SourceParts', path.join(APT_DIR, 'empty')),
    ...o('Dir::Etc::PreferencesParts', path.join(APT_DIR, 'empty')),
    ...o('Dir::Etc::Preferences', path.join(APT_DIR, 'empty', 'none')),
    ...o('Dir::State::Lists', path.join(APT_DIR, 'lists')),
    ...o('Dir::State::status', path.join(APT_DIR, 'status')),
    ...o('Dir::Cache', path.join(APT_DIR, 'cache')),
    ...o('Debug::NoLocking', '1'),
    ...o('APT::Architecture', 'amd64'),
    ...ARCHES.flatMap((a) => o('APT::Architectures::', a)),
    ...o('Acquire::Retries', '3'),
  ];
  if (process.getuid?.() === 0) opts.push(...o('APT::Sandbox::User', 'root'));
  return opts;
}

function prepare(): void {
  for (const d of ['lists/partial', 'cache/archives/partial', 'empty']) fs.mkdirSync(path.join(APT_DIR, d), { recursive: true });
  fs.writeFileSync(path.join(APT_DIR, 'status'), '', { flag: 'a' });
  const list = sourcesList(machineDebianSources());
  const file = path.join(APT_DIR, 'sources.list');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== list) fs.writeFileSync(file, list);
}

function listsPresent(): boolean {
  const dir = path.join(APT_DIR, 'lists');
  return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.includes('Packages'));
}

/** Refreshes the private package lists (once per build at most, or when forced). */
let updatedThisRun = false;
export async function aptUpdate(force = false): Promise<void> {
  await withLock(path.join(APT_DIR, '.lock'), 'the private apt lists', async () => {
    prepare();
    if (updatedThisRun || (!force && listsPresent())) return;
    log.info('apt: refreshing the private Debian package lists');
    // A mirror mid-sync can fail one index; what camfw needs is checked by the look-ups after.
    const r = await run(['apt-get', ...aptOptions(), 'update'], { allowFail: true, logFile: path.join(paths.logs, 'apt-update.log') });
    if (r.code !== 0) log.warn(`apt-get update reported errors (see ${path.join(paths.logs, 'apt-update.log')}); continuing with the indexes it got`);
    updatedThisRun = true;
  });
}

export function apt(tool: 'apt-get' | 'apt-cache', args: string[], cwd?: string): Promise<RunResult> {
  return run([tool, ...aptOptions(), ...args], { cwd, allowFail: true });
}

export interface DebRecord {
  package: string;
  architecture: string;
  version: string;
  filename: string;
  sha256: string;
  size: number;
}

/** The candidate version of `pkg:arch` in the private lists, as the index describes it. */
export async function debCandidate(pkg: string, arch: string): Promise<DebRecord & { depends: string }> {
  await aptUpdate();
  const r = await apt('apt-cache', ['show', '--no-all-versions', `${pkg}:${arch}`]);
  if (r.code !== 0) throw new Error(`Debian has no package ${pkg}:${arch}: ${r.stderr.trim()}`);
  const f = (k: string) => new RegExp(`^${k}: (.*)$`, 'm').exec(r.stdout)?.[1] ?? '';
  return {
    package: f('Package'),
    architecture: f('Architecture'),
    version: f('Version'),
    filename: path.basename(f('Filename')),
    sha256: f('SHA256'),
    size: Number(f('Size')),
    depends: f('Depends'),
  };
}

/**
 * Downloads `pkg:arch=version` into `dir` with `apt-get download` (no root needed) and
 * returns the file's path. Throws MissingVersionError when the archive no longer has it.
 */
export class MissingVersionError extends Error {}

export async function debDownload(pkg: string, arch: string, version: string, dir: string): Promise<string> {
  await aptUpdate();
  fs.mkdirSync(dir, { recursive: true });
  let r = await apt('apt-get', ['download', `${pkg}:${arch}=${version}`], dir);
  if (r.code !== 0 && /not found|Unable to locate/i.test(r.stderr)) {
    await aptUpdate(true);
    r = await apt('apt-get', ['download', `${pkg}:${arch}=${version}`], dir);
  }
  if (r.code !== 0) {
    const msg = `apt-get download ${pkg}:${arch}=${version} failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`;
    throw /not found|Unable to locate/i.test(r.stderr) ? new MissingVersionError(msg) : new Error(msg);
  }
  const file = fs.readdirSync(dir).find((f) => f.startsWith(`${pkg}_`) && f.endsWith(`_${arch === 'all' ? 'all' : arch}.deb`));
  if (!file) throw new Error(`apt-get download ${pkg}:${arch}=${version} left no .deb in ${dir}`);
  return path.join(dir, file);
}

/**
 * Fetches the Debian source package that carries the upstream tarball with this
 * sha256 (Debian's .orig.tar.* are the upstream releases, byte for byte) into `dir`
 * and returns the path of that file.
 */
export async function debianOrigTarball(srcPackage: string, sha256: string, dir: string): Promise<string> {
  await aptUpdate();
  const show = await apt('apt-cache', ['showsrc', srcPackage]);
  if (show.code !== 0) throw new Error(`Debian has no source package ${srcPackage}`);
  for (const stanza of show.stdout.split(/\n\s*\n/)) {
    const version = /^Version: (.*)$/m.exec(stanza)?.[1];
    const hit = new RegExp(`^ ${sha256} \\d+ (\\S+)$`, 'm').exec(stanza);
    if (!version || !hit) continue;
    fs.mkdirSync(dir, { recursive: true });
    const r = await apt('apt-get', ['source', '--download-only', `${srcPackage}=${version}`], dir);
    const file = path.join(dir, hit[1]);
    if (r.code !== 0 || !fs.existsSync(file))
      throw new Error(`apt-get source --download-only ${srcPackage}=${version} failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return file;
  }
  throw new Error(`no version of Debian source package ${srcPackage} in the archive carries a file with sha256 ${sha256}`);
}

/**
 * Fetches the Debian packaging (`.debian.tar.xz`, which carries debian/patches/) of
 * `srcPackage` `version` into `dir` and returns the path of `file`.
 */
export async function debianPackagingTarball(srcPackage: string, version: string, file: string, dir: string): Promise<string> {
  await aptUpdate();
  fs.mkdirSync(dir, { recursive: true });
  const r = await apt('apt-get', ['source', '--download-only', '--diff-only', `${srcPackage}=${version}`], dir);
  const out = path.join(dir, file);
  if (r.code !== 0 || !fs.existsSync(out))
    throw new Error(`apt-get source --download-only --diff-only ${srcPackage}=${version} gave no ${file}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return out;
}
