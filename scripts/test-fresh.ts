#!/usr/bin/env tsx
// Proves the README on a fresh machine: a minimal Debian 12 root made by mmdebstrap from
// this machine's own Debian archive, with only Node 20 and npm added (the README assumes
// them), a clone of the project, and the README's quick-start commands run there exactly
// as written. A package the build or the tests need but do not install fails here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { main } from './lib/cli.ts';
import { machineDebianSources } from './lib/debian.ts';
import { ensureHostPackages } from './lib/host-deps.ts';
import { elapsed, log, step } from './lib/log.ts';
import { paths } from './lib/paths.ts';
import { run } from './lib/run.ts';

const HELP = `usage: npm run test:fresh [-- --keep] [-- --own-cache]

Makes a minimal Debian 12 root with mmdebstrap (from this machine's Debian apt sources),
copies Node and npm into it, clones this repository's HEAD into /root/camfw there, and
runs the README's quick-start commands in it, as root, exactly as written. Needs root
(mmdebstrap, chroot and mounts). The root is removed at the end, pass or fail, unless
--keep is given. This machine's camfw cache (downloads, test kernels: ${paths.cache}) is
mounted at the root's ~/.cache/camfw, as a second clone on one machine would find it;
--own-cache starts from an empty one (the test kernel is then built, about 8 minutes
more). About 25 minutes on two cores with the cache (see README).`;

const SUITE = 'bookworm';
const PROJECT = '/root/camfw';

/** The command lines of the README's quick start, comments dropped. */
function quickStartCommands(readme: string): string[] {
  const section = /^## Quick start[^\n]*\n([\s\S]*?)^## /m.exec(readme)?.[1];
  const block = section && /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no ```sh block under "## Quick start"');
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

/** mmdebstrap's mirror list: the Debian entries of this machine's apt sources, as one-line entries. */
function sourcesList(): string {
  return (
    machineDebianSources()
      .map((s) => `deb ${s.signedBy ? `[signed-by=${s.signedBy}] ` : ''}${s.uri} ${s.suite} ${s.components.join(' ')}`)
      .join('\n') + '\n'
  );
}

/** Node and npm as this machine has them, and what npm needs to reach its registry from here. */
function addNode(root: string): void {
  const node = fs.realpathSync(process.execPath);
  fs.copyFileSync(node, path.join(root, 'usr/bin/node'));
  fs.chmodSync(path.join(root, 'usr/bin/node'), 0o755);
  const npmDir = path.resolve(path.dirname(node), '../lib/node_modules/npm');
  if (!fs.existsSync(npmDir)) throw new Error(`npm is not at ${npmDir}: test:fresh copies Node and npm from where Debian's nodejs puts them`);
  fs.cpSync(npmDir, path.join(root, 'usr/lib/node_modules/npm'), { recursive: true, verbatimSymlinks: true });
  for (const [bin, cli] of [['npm', 'npm-cli.js'], ['npx', 'npx-cli.js']]) fs.symlinkSync(`../lib/node_modules/npm/bin/${cli}`, path.join(root, 'usr/bin', bin));
  if (fs.existsSync('/etc/npmrc')) fs.copyFileSync('/etc/npmrc', path.join(root, 'etc/npmrc'));
  // certificate authorities this machine adds (an intercepting proxy on the way to the registries)
  const extra = '/usr/local/share/ca-certificates';
  if (fs.existsSync(extra)) fs.cpSync(extra, path.join(root, extra), { recursive: true });
}

main(async () => {
  const { values } = parseArgs({
    options: { keep: { type: 'boolean', default: false }, 'own-cache': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) return console.log(HELP);
  if (process.getuid?.() !== 0) throw new Error('npm run test:fresh needs root: mmdebstrap, chroot and bind mounts');
  const commands = quickStartCommands(fs.readFileSync(path.join(paths.root, 'README.md'), 'utf8'));
  await step('host packages', () => ensureHostPackages('fresh'));
  const t0 = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'camfw-fresh-'));
  const root = path.join(dir, 'root');
  const logs = path.join(paths.logs, 'fresh');
  const mounted: string[] = [];
  const times: string[] = [];
  try {
    fs.writeFileSync(path.join(dir, 'sources.list'), sourcesList());
    // this machine's apt settings (how it reaches its archive) go into the root as they are
    const aptConf = fs.existsSync('/etc/apt/apt.conf.d') ? fs.readdirSync('/etc/apt/apt.conf.d').sort().map((f) => `--aptopt=/etc/apt/apt.conf.d/${f}`) : [];
    let t = Date.now();
    await step('fresh root: mmdebstrap', () =>
      run(['mmdebstrap', '--variant=minbase', '--include=ca-certificates,git', ...aptConf, SUITE, root, path.join(dir, 'sources.list')], {
        logFile: path.join(logs, 'mmdebstrap.log'),
      }),
    );
    times.push(`mmdebstrap ${elapsed(t)}`);
    addNode(root);
    fs.copyFileSync('/etc/resolv.conf', path.join(root, 'etc/resolv.conf'));
    await run(['git', 'clone', '--quiet', paths.root, path.join(root, PROJECT.slice(1))]);
    const mount = async (args: string[], target: string) => {
      await run(['mount', ...args, path.join(root, target)]);
      mounted.push(path.join(root, target));
    };
    await mount(['-t', 'proc', 'proc'], 'proc');
    await mount(['--bind', '/sys'], 'sys');
    await mount(['--bind', '/dev'], 'dev');
    await mount(['--bind', '/dev/pts'], 'dev/pts');
    await mount(['-t', 'tmpfs', 'tmpfs'], 'dev/shm');
    if (!values['own-cache']) {
      fs.mkdirSync(paths.cache, { recursive: true });
      fs.mkdirSync(path.join(root, 'root/.cache/camfw'), { recursive: true });
      await mount(['--bind', paths.cache], 'root/.cache/camfw');
    }
    const chroot = (command: string, logName: string) =>
      run(
        [
          'chroot', root, '/usr/bin/env', '-i', 'HOME=/root', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8',
          'NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt', ...(process.env.CI ? [`CI=${process.env.CI}`] : []),
          '/bin/sh', '-c', `cd ${PROJECT} && ${command}`,
        ],
        { logFile: path.join(logs, `${logName}.log`), passthrough: true },
      );
    await chroot('update-ca-certificates > /dev/null', 'ca-certificates');
    for (const [i, command] of commands.entries()) {
      t = Date.now();
      log.info(`fresh root: ${command}`);
      await step(`fresh root: README command ${i + 1}`, () => chroot(command, `readme-${i + 1}`));
      times.push(`${command} ${elapsed(t)}`);
    }
    log.info(`fresh Debian 12 root passed the README in ${elapsed(t0)}: ${times.join(', ')}`);
  } finally {
    for (const m of mounted.reverse()) await run(['umount', m], { allowFail: true });
    if (values.keep) log.info(`kept the fresh root at ${root}`);
    else {
      const still = fs.readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.split(' ')[1]?.startsWith(dir));
      if (still.length) log.error(`still mounted, so not removed: ${still.map((l) => l.split(' ')[1]).join(', ')}`);
      else fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});
