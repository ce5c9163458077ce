import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackground } from '../../../scripts/lib/run.ts';
import { versatileBoard } from '../board.ts';
import { installBusybox, packInitramfs } from '../initramfs.ts';
import { waitForLine } from '../lines.ts';
import { kernelModule, testKernel } from '../kernel/kernel.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The phone's modules: its Wi-Fi (the board's SMC91C111) and its line to the test host (virtio-net). */
const PHONE_MODULES = ['mii', 'smc91x', 'failover', 'net_failover', 'virtio_net'];

/** Its Wi-Fi's MAC address: the camera's network card has QEMU's default one. */
const PHONE_MAC = '52:54:00:70:68:6e';

export interface RunningPhone {
  /** The camera's port 80 or 8080 as the phone reaches it on the camera's own network, relayed to host loopback. */
  urlOn(cameraPort: 80 | 8080): string;
  console(): string;
  /** Waits until the phone's console has a line matching `re`; returns the console. */
  consoleLine(re: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the test's phone: a second emulated ARM machine whose Wi-Fi is the air link
 * `airSocket` (the camera's QEMU listens there; its radio passes frames only while the
 * camera's own network runs with the name and key the phone was given). Its second
 * network card reaches only the host: `hostPorts` on 127.0.0.1 are relayed through the
 * phone to the camera's ports 80 and 8080 (init.sh).
 */
export async function startPhone(work: string, airSocket: string, busybox: string, hostPorts: Record<80 | 8080, number>): Promise<RunningPhone> {
  const kernel = await testKernel();
  const root = path.join(work, 'phone.d');
  fs.rmSync(root, { recursive: true, force: true });
  for (const d of ['etc', 'lib/modules', 'proc', 'sys', 'dev', 'tmp']) fs.mkdirSync(path.join(root, d), { recursive: true });
  await installBusybox(root, busybox);
  for (const m of PHONE_MODULES) fs.copyFileSync(kernelModule(kernel, m), path.join(root, 'lib/modules', `${m}.ko`));
  fs.copyFileSync(path.join(HERE, 'init.sh'), path.join(root, 'init'));
  fs.chmodSync(path.join(root, 'init'), 0o755);
  for (const f of ['dhcp.script', 'relay.sh']) fs.copyFileSync(path.join(HERE, f), path.join(root, 'etc', f));
  fs.chmodSync(path.join(root, 'etc/dhcp.script'), 0o755);
  const initrd = path.join(work, 'phone-initrd.gz');
  await packInitramfs(root, initrd);
  const consoleLog = path.join(work, 'phone-console.log');
  fs.writeFileSync(consoleLog, '');
  const qemu = startBackground([
    'qemu-system-arm',
    ...versatileBoard(kernel, 48, initrd, 'console=ttyAMA0 panic=-1 rdinit=/init'),
    '-netdev', `stream,id=air,server=off,addr.type=unix,addr.path=${airSocket}`,
    '-net', `nic,model=smc91c111,netdev=air,macaddr=${PHONE_MAC}`,
    // the host only: nothing the phone sends goes further
    '-netdev', `user,id=host,restrict=on,hostfwd=tcp:127.0.0.1:${hostPorts[80]}-:80,hostfwd=tcp:127.0.0.1:${hostPorts[8080]}-:8080`,
    // (no boot ROM: the kernel is loaded directly)
    '-device', 'virtio-net-pci,netdev=host,romfile=',
    '-serial', `file:${consoleLog}`,
  ]);
  const readConsole = () => `${fs.readFileSync(consoleLog, 'utf8')}${qemu.stderr() ? `\n[qemu stderr]\n${qemu.stderr()}` : ''}`;
  return {
    urlOn: (cameraPort) => `http://127.0.0.1:${hostPorts[cameraPort]}/`,
    console: readConsole,
    consoleLine: (re, timeoutMs = 60_000) => waitForLine(readConsole, re, timeoutMs, "the phone's console", qemu.exited),
    stop: () => qemu.stop(),
  };
}
