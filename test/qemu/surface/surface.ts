import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * The ARM EABI system calls of one kernel version, from that kernel's own
 * arch/arm/kernel/calls.S and traps.c (the file says which tree and commit).
 */
interface SyscallTable {
  source: string;
  /** The table's last number. */
  max: number;
  /** Numbers up to max that the kernel answers with sys_ni_syscall (obsolete, not implemented). */
  missing: number[];
  /** Slots the camera's own .config turns off, where that .config is known. */
  missingByConfig?: { config: string; numbers: number[] };
  /** The ARM-private calls (0x0f0000 range) that arm_syscall() handles. */
  private: number[];
  tail: Record<string, string>;
}

const TABLES = path.join(HERE, 'arm-syscalls.json');

export function syscallTable(kernel: string): SyscallTable {
  const all = JSON.parse(fs.readFileSync(TABLES, 'utf8')) as Record<string, SyscallTable | string>;
  const t = all[kernel];
  if (typeof t !== 'object') throw new Error(`${TABLES} has no system-call table for Linux ${kernel}`);
  return t;
}

/** Whether `kernel` had system call `nr`. */
export function hasSyscall(kernel: string, nr: number): boolean {
  const t = syscallTable(kernel);
  if (t.private.includes(nr)) return true;
  return nr <= t.max && !t.missing.includes(nr) && !(t.missingByConfig?.numbers ?? []).includes(nr);
}

/** The numbers `kernel` had, as FIRST-LAST lines: camera-kernel's table. */
export function allowedRanges(kernel: string): string {
  const t = syscallTable(kernel);
  const present = [...Array(t.max + 1).keys()].filter((n) => hasSyscall(kernel, n)).concat([...t.private].sort((a, b) => a - b));
  const lines: string[] = [];
  let first = present[0];
  for (let i = 1; i <= present.length; i++) {
    if (i < present.length && present[i] === present[i - 1] + 1) continue;
    lines.push(`${first}-${present[i - 1]}`);
    first = present[i];
  }
  return `# ARM EABI system calls of Linux ${kernel} (test/qemu/surface/arm-syscalls.json)\n${lines.join('\n')}\n`;
}
