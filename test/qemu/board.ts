import type { Kernel } from './kernel/kernel.ts';

/**
 * The options of `qemu-system-arm` that every emulated machine starts with: `-M
 * versatilepb` (an ARM926EJ-S, the cameras' CPU) with `ramMiB`, the test kernel booting
 * `initrd` with `append`, no display, monitor or host audio (the board's sound chip,
 * PL041, gets none), and no reboot: a guest that restarts ends its emulator.
 */
export function versatileBoard(kernel: Kernel, ramMiB: number, initrd: string, append: string): string[] {
  return [
    '-M', 'versatilepb', '-m', String(ramMiB),
    '-kernel', kernel.zImage, '-dtb', kernel.dtb, '-initrd', initrd, '-append', append,
    '-audiodev', 'none,id=noaudio', '-global', 'pl041.audiodev=noaudio',
    '-display', 'none', '-monitor', 'none', '-no-reboot',
  ];
}
