import fs from 'node:fs';
import { walkTree } from './images/tree.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

// Size budgets: each camera's are in its overlays/<model>/camera.ts; a card tree must also
// fit its partition with room for the filesystem's own structures (FS_OVERHEAD).

/** Share of a partition the files may fill; the rest is left to FAT tables, inodes and directories. */
export const FS_OVERHEAD = 0.1;

export class BudgetError extends Error {}

function human(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(2)} MiB` : `${(n / KiB).toFixed(1)} KiB`;
}

/** Bytes of the regular files below `root`. */
export function treeBytes(root: string): number {
  return walkTree(root)
    .filter((e) => e.kind === 'file')
    .reduce((s, e) => s + fs.statSync(e.abs).size, 0);
}

/** Fails when the files below `root` exceed `limit`, listing the largest ones. */
export function checkTreeBudget(what: string, root: string, limit: number): void {
  const files = walkTree(root)
    .filter((e) => e.kind === 'file')
    .map((e) => ({ rel: e.rel, size: fs.statSync(e.abs).size }));
  const total = files.reduce((s, f) => s + f.size, 0);
  if (total <= limit) return;
  const largest = files.sort((a, b) => b.size - a.size).slice(0, 10);
  throw new BudgetError(
    `${what} is ${human(total)}, over its budget of ${human(limit)} by ${human(total - limit)}. Largest files:\n` +
      largest.map((f) => `  ${human(f.size).padStart(11)}  ${f.rel}`).join('\n') +
      '\n(budgets are in scripts/lib/budgets.ts; partition sizes in the configuration, images.*)',
  );
}

export function checkFileBudget(what: string, file: string, limit: number): void {
  const size = fs.statSync(file).size;
  if (size > limit) throw new BudgetError(`${what} (${file}) is ${human(size)}, over its budget of ${human(limit)}`);
}

/** The budget of a tree that goes into a partition of `partitionMiB`: the smaller of the two limits. */
export function partitionLimit(budget: number, partitionMiB: number): number {
  return Math.min(budget, Math.floor(partitionMiB * MiB * (1 - FS_OVERHEAD)));
}
