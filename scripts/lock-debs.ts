#!/usr/bin/env tsx
// Pins the current Debian versions of every .deb set camfw fetches (toolchain, test kernel source).
import { refreshLock, type DebSet } from './lib/deb-lock.ts';
import { aptUpdate } from './lib/debian.ts';
import { muslDebs } from '../toolchain/musl-armv5te.ts';
import { linuxSourceDebs } from '../test/qemu/kernel/kernel.ts';
import { log } from './lib/log.ts';

const sets: DebSet[] = [muslDebs, linuxSourceDebs];
await aptUpdate(true);
for (const set of sets) {
  const lock = await refreshLock(set);
  log.info(`${set.id}: pinned ${lock.packages.length} packages in ${set.lockFile}`);
  for (const p of lock.packages) log.info(`  ${p.package}:${p.architecture} ${p.version}`);
}
