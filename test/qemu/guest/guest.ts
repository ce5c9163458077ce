import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { paths } from '../../../scripts/lib/paths.ts';
import { run } from '../../../scripts/lib/run.ts';
import { setupMusl } from '../../../toolchain/musl-armv5te.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The emulated cameras' own programs (the C files here), by name. */
export const GUEST_PROGRAMS = ['camera-kernel', 'syscall-probe', 'standin', 'ifrename', 'memhog'] as const;
export type GuestProgram = (typeof GUEST_PROGRAMS)[number];

let built: Promise<Record<GuestProgram, string>> | undefined;

/** The guest programs, built static for the ARM926EJ-S once per run (every boot uses them). */
export function guestPrograms(): Promise<Record<GuestProgram, string>> {
  return (built ??= buildGuestPrograms(path.join(paths.output, 'qemu', 'guest')));
}

async function buildGuestPrograms(dir: string): Promise<Record<GuestProgram, string>> {
  const tc = await setupMusl();
  fs.mkdirSync(dir, { recursive: true });
  const out = {} as Record<GuestProgram, string>;
  for (const name of GUEST_PROGRAMS) {
    out[name] = path.join(dir, name);
    await run([`${tc.crossPrefix}gcc`, '-static', '-Os', '-std=gnu99', '-Wall', '-Wextra', '-Werror', '-o', out[name], path.join(HERE, `${name}.c`)]);
  }
  return out;
}
