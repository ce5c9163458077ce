import fs from 'node:fs';
import path from 'node:path';
import { paths } from './paths.ts';
import { run } from './run.ts';

export interface BuildInfo {
  version: string;
  /** Short commit id, with +dirty when tracked files differ from it. */
  revision: string;
  /** Every timestamp in the images; from the project's inputs, never from the clock. */
  sourceDateEpoch: number;
}

/** Directories whose every file reaches the cards or a recipe's build: an untracked file there changes the build. */
const APPLIED_WHOLE = ['overlays', 'recipes'];

/**
 * SOURCE_DATE_EPOCH is the environment's when set (reproducible-builds.org convention),
 * otherwise the date of the last commit. The revision is marked +dirty when a tracked
 * file differs from the commit, or an untracked file sits where the build takes every
 * file (overlays/, recipes/).
 */
export async function buildInfo(root = paths.root): Promise<BuildInfo> {
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const git = (args: string[]) => run(['git', '-C', root, ...args], { allowFail: true });
  const head = await git(['log', '-1', '--format=%h %ct']);
  const [commit, commitTime] = head.code === 0 ? head.stdout.trim().split(' ') : ['', ''];
  const changed = async () =>
    (await git(['status', '--porcelain', '--untracked-files=no'])).stdout.trim() !== '' ||
    (await git(['status', '--porcelain', '--untracked-files=all', '--', ...APPLIED_WHOLE])).stdout.trim() !== '';
  const dirty = commit ? await changed() : false;
  const env = process.env.SOURCE_DATE_EPOCH;
  const sourceDateEpoch = env !== undefined ? Number(env) : Number(commitTime);
  if (!Number.isInteger(sourceDateEpoch) || sourceDateEpoch <= 0)
    throw new Error(
      env !== undefined
        ? `SOURCE_DATE_EPOCH="${env}" is not a Unix time in seconds`
        : 'cannot date this build: not a git checkout with a commit; set SOURCE_DATE_EPOCH (seconds since 1970)',
    );
  return { version, revision: commit ? `${commit}${dirty ? '+dirty' : ''}` : 'unknown', sourceDateEpoch };
}
