import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { paths } from '../../scripts/lib/paths.ts';
import { startBackground, type BackgroundProcess } from '../../scripts/lib/run.ts';
import { CAMERAS, type ModelId } from '../../scripts/lib/cameras.ts';
import { versatileBoard } from './board.ts';
import { guestPrograms } from './guest/guest.ts';
import { installBusybox, packInitramfs } from './initramfs.ts';
import { kernelModule, testKernel } from './kernel/kernel.ts';
import { waitForLine } from './lines.ts';
import { waitFor } from '../wait.ts';
import type { AccessPoint, EmulatedModel } from './model.ts';
import { emulatedModel } from './models.ts';
import { startPhone, type RunningPhone } from './phone/phone.ts';
import { startSensor } from './sensor/sensor.ts';
import { allowedRanges } from './surface/surface.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * Modules of the test kernel that the stock firmware models load: the network card
 * (mii and smc91x, also the Wi-Fi driver stand-ins) and softdog, the stand-in for a
 * camera's hardware watchdog.
 */
const FIRMWARE_MODULES = ['mii', 'smc91x', 'softdog'];

/**
 * RAM the emulated camera gets on top of what Linux has on the camera: the test kernel
 * keeps about 0.9 MB more for itself than the cameras' 2.6.35 and 3.0.8 kernels (7092K
 * reserved against 6172K).
 */
const TEST_KERNEL_EXTRA_MIB = 1;
/** The domain the access point's DHCP gives, as a home router gives its own (RFC 8375's for homes). */
export const HOME_DOMAIN = 'home.arpa';
/** How long the first command waits for the control shell of a booting camera. */
const CONTROL_READY_MS = 300_000;

interface InitramfsInput {
  model: ModelId;
  emulated: EmulatedModel;
  busybox: string;
  /** The access point the radio can join. */
  accessPoint?: AccessPoint;
  /** The network a phone in range joins when the camera makes it itself. */
  phone?: AccessPoint;
  /** The sensor's port for each of the model's sensor servers. */
  sensorPorts: number[];
}

/**
 * The initramfs of an emulated camera: camfw's own busybox as the stock system's tools,
 * the kernel modules, the vendor stand-ins and /init playing the stock firmware of the
 * model under camera-kernel: every process, the card's included, sees only the system
 * calls of the camera's kernel.
 */
async function buildInitramfs(input: InitramfsInput, out: string): Promise<void> {
  const { model, emulated, busybox } = input;
  const kernel = await testKernel();
  const guest = await guestPrograms();
  const root = `${out}.d`;
  fs.rmSync(root, { recursive: true, force: true });
  for (const d of ['usr/lib/stock', 'etc/stock', 'proc', 'sys', 'dev', 'tmp', 'lib/modules']) fs.mkdirSync(path.join(root, d), { recursive: true });
  const install = (from: string, rel: string, mode = 0o755) => {
    fs.copyFileSync(from, path.join(root, rel));
    fs.chmodSync(path.join(root, rel), mode);
  };
  await installBusybox(root, busybox);
  for (const m of FIRMWARE_MODULES) install(kernelModule(kernel, m), `lib/modules/${m}.ko`, 0o644);
  install(guest['camera-kernel'], 'init');
  install(guest['syscall-probe'], 'usr/bin/syscall-probe');
  install(guest.ifrename, 'usr/bin/ifrename');
  install(guest.memhog, 'usr/bin/memhog');
  install(guest.standin, 'usr/lib/stock/standin');
  install(path.join(HERE, 'stock-common.sh'), 'etc/firmware-common.sh', 0o644);
  install(path.join(HERE, 'hotplug.sh'), 'sbin/hotplug');
  install(path.join(HERE, model, 'init.sh'), 'sbin/stock-init');
  for (const stock of [path.join(HERE, 'stock'), path.join(HERE, model, 'stock')])
    for (const f of fs.readdirSync(stock)) install(path.join(stock, f), `etc/stock/${f}`, f.endsWith('.script') ? 0o755 : 0o644);
  for (const p of emulated.rootStandins ?? []) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.symlinkSync('/usr/lib/stock/standin', path.join(root, p));
  }
  const etcStock = (rel: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(root, 'etc/stock', rel)), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/stock', rel), content);
  };
  etcStock('sensor-port', emulated.sensor.map((spec, i) => `${spec} ${input.sensorPorts[i]}\n`).join(''));
  const wifiInterface = emulated.wifiInterface;
  if (wifiInterface) etcStock('wifi-ifname', wifiInterface);
  const paired = emulated.defaultAccessPoint;
  if (paired) etcStock('paired.conf', `network={\n\tssid="${paired.ssid}"\n\tpsk="${paired.passphrase}"\n}\n`);
  // a network's name and key in the forms wpa_supplicant and hostapd take them; the PSK
  // is PBKDF2-HMAC-SHA1(passphrase, SSID, 4096) as IEEE 802.11i defines it
  const network = (dir: string, ap: AccessPoint) => {
    etcStock(`${dir}/ssid`, Buffer.from(ap.ssid));
    etcStock(`${dir}/ssid.hex`, Buffer.from(ap.ssid).toString('hex'));
    etcStock(`${dir}/passphrase`, Buffer.from(ap.passphrase));
    etcStock(`${dir}/psk.hex`, crypto.pbkdf2Sync(ap.passphrase, ap.ssid, 4096, 32, 'sha1').toString('hex'));
  };
  if (input.accessPoint) network('wifi', input.accessPoint);
  if (input.phone) network('phone', input.phone);
  fs.writeFileSync(path.join(root, 'etc/camera-syscalls'), allowedRanges(CAMERAS[model].kernel));
  await packInitramfs(root, out);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface RunningCamera {
  /** The camera's web server on port 80, forwarded from host loopback. */
  url: string;
  /** The camera's port 80 or 8080 as a URL on host loopback. */
  urlOn(guestPort: 80 | 8080): string;
  /** The camera's RTSP server (guest port 554), forwarded from host loopback. */
  rtspUrl(pathOnCamera: string): string;
  /** The host's port that reaches the camera's port 23 (telnet). */
  telnetPort: number;
  /** The host's port that reaches the camera's port 22 (SSH). */
  sshPort: number;
  /** The host's port that reaches the camera's port 21 (FTP; data connections in active mode only, which the camera opens to the host). */
  ftpPort: number;
  console(): string;
  /** Waits until the console has a line matching `re`; returns the console. */
  consoleLine(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Waits until `file` in the camera has a line matching `re`; returns the file. */
  fileLine(file: string, re: RegExp, timeoutMs?: number): Promise<string>;
  /** Waits until something in the camera listens on TCP `guestPort` (a log line saying a server starts comes before it listens); failing, says what `said` gives. */
  listening(guestPort: number, timeoutMs?: number, said?: () => Promise<string>): Promise<void>;
  /** Runs a one-line shell command in the camera (under its system-call filter) and returns its output and status. */
  exec(command: string, timeoutMs?: number): Promise<{ code: number; output: string }>;
  /** Whether the camera's radio link to the access point (and the host) is up now. */
  linkUp(): boolean;
  /** The phone in range (BootOptions.phone), started with the camera. */
  phone?: RunningPhone;
  /** Waits for camfw's own /public/build.txt (model=MODEL) on the camera's port; failing, says what QEMU and the console show. */
  cardPage(guestPort?: 80 | 8080, timeoutMs?: number): Promise<{ body: string; ms: number }>;
  /** Whether the emulator has ended (the camera rebooted or powered off), waiting up to `timeoutMs` for it. */
  ended(timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

export interface BootOptions {
  /** Write to the card image itself (to test what the camera changes on it); default: a snapshot. */
  writable?: boolean;
  /** The camera's flash disk (YI: its 9088 KiB JFFS2 /home); default: the model's stock one, made for this boot. */
  flash?: string;
  /** The access point in the camera's range; default: the network the camera was paired with. */
  accessPoint?: AccessPoint;
  /**
   * A phone in range that joins the network with this name and passphrase when the
   * camera makes it itself (its own network, hostapd): a second emulated machine on the
   * air link, through which the test reaches the camera then.
   */
  phone?: AccessPoint;
}

/** A line-oriented client of a QEMU unix socket (QMP or a serial port). */
async function connectUnix(sock: string, timeoutMs = 10_000): Promise<net.Socket> {
  const t0 = Date.now();
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(sock);
        s.once('connect', () => resolve(s));
        s.once('error', reject);
      });
    } catch (e) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`cannot connect to QEMU at ${sock}: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** QEMU's monitor protocol, for the one thing the tests need: the radio link. */
async function qmpClient(sock: string): Promise<{ command(execute: string, args?: object): Promise<unknown>; close(): void }> {
  const s = await connectUnix(sock);
  let buf = '';
  const waiting: Array<{ resolve: (r: unknown) => void; reject: (e: Error) => void; what: string }> = [];
  s.on('data', (d) => {
    buf += d.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const msg = JSON.parse(buf.slice(0, nl)) as { return?: unknown; error?: { desc: string }; QMP?: unknown };
      buf = buf.slice(nl + 1);
      if (msg.return !== undefined) waiting.shift()?.resolve(msg.return);
      else if (msg.error) {
        const w = waiting.shift();
        w?.reject(new Error(`QMP ${w.what}: ${msg.error.desc}`));
      }
    }
  });
  // QEMU gone (the camera rebooted): nothing will answer
  s.on('error', () => undefined);
  s.on('close', () => {
    for (const w of waiting.splice(0)) w.reject(new Error(`QMP ${w.what}: QEMU closed the monitor`));
  });
  const command = (execute: string, args?: object) =>
    new Promise<unknown>((resolve, reject) => {
      waiting.push({ resolve, reject, what: execute });
      s.write(JSON.stringify({ execute, ...(args ? { arguments: args } : {}) }) + '\n');
    });
  await command('qmp_capabilities');
  return { command, close: () => s.destroy() };
}

/**
 * Boots an emulated camera: the test kernel on `-M versatilepb` (an ARM926EJ-S, the
 * cameras' CPU) with the camera's RAM, the initramfs, the card image as a virtio disk on
 * the PCI bus (a snapshot unless `writable`) and the camera's flash. The network card is
 * the board's SMC91C111, standing in for the Wi-Fi: its link starts down and follows the
 * model's radio (up only while the camera is associated with `accessPoint`; with a
 * `phone`, open to the phone alone while the camera's own network runs with the phone's
 * name and key). Guest ports 80, 8080, 554, 23, 22 and 21 are forwarded to free ports on
 * 127.0.0.1; the image sensor runs on the host.
 */
export async function bootCamera(model: ModelId, cardImage: string, busybox: string, opts: BootOptions = {}): Promise<RunningCamera> {
  const emulated = await emulatedModel(model);
  fs.mkdirSync(path.join(paths.output, 'qemu'), { recursive: true });
  const work = fs.mkdtempSync(path.join(paths.output, 'qemu', `${model}-`));
  const cleanups: Array<() => Promise<void> | void> = [() => (process.env.CAMFW_KEEP_TMP ? undefined : fs.rmSync(work, { recursive: true, force: true }))];
  const stop = async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  };
  try {
    const sensor = await startSensor(emulated.sensor);
    cleanups.push(() => sensor.stop());
    const initrd = path.join(work, 'initrd.gz');
    await buildInitramfs({ model, emulated, busybox, accessPoint: opts.accessPoint ?? emulated.defaultAccessPoint, phone: opts.phone, sensorPorts: sensor.ports }, initrd);
    const flash = opts.flash ?? (await emulated.flash?.(work));
    const kernel = await testKernel();
    const consoleLog = path.join(work, 'console.log');
    const qmpSock = path.join(work, 'qmp.sock');
    const ctlSock = path.join(work, 'ctl.sock');
    const airSock = path.join(work, 'air.sock');
    // A free port can be taken again before QEMU binds it (other boots, the sensor): QEMU
    // then refuses the forwarding rule and exits, and the boot starts again on new ports.
    // the guest's ports reached from host loopback
    const GUEST_PORTS = { port: 80, altPort: 8080, rtspPort: 554, telnetPort: 23, sshPort: 22, ftpPort: 21 };
    type Ports = Record<keyof typeof GUEST_PORTS, number>;
    let started: { qemu: BackgroundProcess; qmp: Awaited<ReturnType<typeof qmpClient>>; ports: Ports } | undefined;
    for (let attempt = 1; !started; attempt++) {
      const ports = {} as Ports;
      const forwards: string[] = [];
      for (const k of Object.keys(GUEST_PORTS) as Array<keyof Ports>) {
        ports[k] = await freePort();
        forwards.push(`hostfwd=tcp:127.0.0.1:${ports[k]}-:${GUEST_PORTS[k]}`);
      }
      fs.writeFileSync(consoleLog, '');
      const qemu = startBackground([
        'qemu-system-arm',
        ...versatileBoard(kernel, CAMERAS[model].ramMiB + TEST_KERNEL_EXTRA_MIB, initrd, 'console=ttyAMA0 panic=-1 rdinit=/init -- /etc/camera-syscalls /sbin/stock-init'),
        '-drive', `file=${cardImage},format=raw,if=none,id=card${opts.writable ? '' : ',snapshot=on'}`,
        '-device', 'virtio-blk-pci,drive=card',
        ...(flash ? ['-drive', `file=${flash},format=raw,if=none,id=flash`, '-device', 'virtio-blk-pci,drive=flash'] : []),
        // the radio: the board's network card on a hub, with the access point's network
        // (QEMU's user network: the host) on one port and the air to the phone on another;
        // set_link opens and closes each
        '-netdev', 'hubport,id=radio,hubid=0',
        '-net', 'nic,model=smc91c111,netdev=radio',
        '-netdev', `user,id=station,domainname=${HOME_DOMAIN},${forwards.join(',')}`,
        '-netdev', 'hubport,id=station-port,hubid=0,netdev=station',
        ...(opts.phone ? ['-netdev', `stream,id=air,server=on,addr.type=unix,addr.path=${airSock}`, '-netdev', 'hubport,id=air-port,hubid=0,netdev=air'] : []),
        '-qmp', `unix:${qmpSock},server=on,wait=off`,
        '-serial', `file:${consoleLog}`, '-serial', `unix:${ctlSock},server=on,wait=off`,
        // paused until the radio is off
        '-S',
      ]);
      try {
        started = { qemu, qmp: await qmpClient(qmpSock), ports };
      } catch (e) {
        await qemu.stop();
        if (attempt >= 3 || !/host forwarding/i.test(qemu.stderr())) throw new Error(`QEMU did not start: ${(e as Error).message}\n${qemu.stderr()}`);
      }
    }
    const { qemu, qmp } = started;
    const { port, altPort, rtspPort, telnetPort, sshPort, ftpPort } = started.ports;
    cleanups.push(() => qemu.stop());
    const readConsole = () => `${fs.readFileSync(consoleLog, 'utf8')}${qemu.stderr() ? `\n[qemu stderr]\n${qemu.stderr()}` : ''}`;
    cleanups.push(() => qmp.close());
    // what QEMU says of the machine (running, paused and why), for failure messages
    const machineState = () =>
      qemu.exited()
        ? Promise.resolve('QEMU has exited')
        : qmp.command('query-status').then(
            (r) => `QEMU: ${JSON.stringify(r)}`,
            (e: Error) => `QEMU: ${e.message}`,
          );
    const ctl = await connectUnix(ctlSock);
    cleanups.push(() => void ctl.destroy());
    let ctlBuf = '';
    // connected before the guest runs, so nothing it says is lost; the control shell says
    // @@ready@@ once it reads the line, and commands wait for that
    let ctlReady = false;
    ctl.on('data', (d) => {
      ctlBuf += d.toString('latin1');
      if (!ctlReady && ctlBuf.includes('@@ready@@')) ctlReady = true;
    });
    // a camera that reboots closes the line; exec() then reports it
    ctl.on('error', () => undefined);
    // the radio's state: down, up (associated with the access point) or ap (the camera's
    // own network, which the phone joined); what each lets through
    type Radio = 'down' | 'up' | 'ap';
    const links = (r: Radio) => ({ radio: r !== 'down', station: r === 'up', ...(opts.phone ? { air: r === 'ap' } : {}) });
    const setRadio = async (r: Radio) => {
      for (const [name, up] of Object.entries(links(r))) await qmp.command('set_link', { name, up });
    };
    await setRadio('down');
    await qmp.command('cont');

    // the link follows the model's last "wifi link up|down|ap" line
    let link: Radio = 'down';
    let following = Promise.resolve();
    const follow = setInterval(() => {
      following = following.then(async () => {
        const states = [...fs.readFileSync(consoleLog, 'utf8').matchAll(/^camfw-test: wifi link (up|down|ap)\r?$/gm)];
        const want = (states.at(-1)?.[1] ?? 'down') as Radio;
        if (want === link || qemu.exited()) return;
        await setRadio(want);
        link = want;
      }).catch(() => undefined);
    }, 200);
    cleanups.push(async () => {
      clearInterval(follow);
      await following;
    });
    let phone: RunningPhone | undefined;
    if (opts.phone) {
      phone = await startPhone(work, airSock, busybox, { 80: await freePort(), 8080: await freePort() });
      cleanups.push(() => phone?.stop());
    }

    let ctlQueue = Promise.resolve();
    const exec = (command: string, timeoutMs = 60_000) => {
      if (/[\r\n]/.test(command)) throw new Error(`exec: one line only: ${JSON.stringify(command)}`);
      const result = ctlQueue.then(async () => {
        // a boot under load can take longer than one command's timeout
        const booting = Date.now();
        while (!ctlReady) {
          if (Date.now() - booting > CONTROL_READY_MS || qemu.exited()) throw new Error(`the camera's control line was not ready within ${CONTROL_READY_MS / 1000}s (for ${JSON.stringify(command)}):\n${readConsole().slice(-2000)}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        ctlBuf = '';
        ctl.write(`${command}\n`);
        const t0 = Date.now();
        let m: RegExpMatchArray | null;
        while (!(m = ctlBuf.match(/@@rc=(\d+)@@/))) {
          if (Date.now() - t0 > timeoutMs || qemu.exited()) throw new Error(`no answer from the camera to ${JSON.stringify(command)} within ${timeoutMs / 1000}s:\n${ctlBuf.slice(-2000)}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        // the serial line echoes the command before its output
        const lines = ctlBuf.slice(0, m.index).replace(/\r/g, '').split('\n');
        if (lines[0] === command) lines.shift();
        return { code: Number(m[1]), output: lines.join('\n') };
      });
      ctlQueue = result.then(() => undefined, () => undefined);
      return result;
    };

    return {
      url: `http://127.0.0.1:${port}/`,
      urlOn: (guestPort) => `http://127.0.0.1:${guestPort === 80 ? port : altPort}/`,
      rtspUrl: (p) => `rtsp://127.0.0.1:${rtspPort}/${p}`,
      telnetPort,
      sshPort,
      ftpPort,
      console: readConsole,
      consoleLine: (re, timeoutMs = 60_000) => waitForLine(readConsole, re, timeoutMs, 'the console'),
      exec,
      async fileLine(file, re, timeoutMs = 30_000) {
        const t0 = Date.now();
        for (;;) {
          const text = (await exec(`cat '${file.replace(/'/g, `'\\''`)}'`)).output;
          if (re.test(text)) return text;
          if (Date.now() - t0 > timeoutMs) throw new Error(`no ${re} in ${file} in the camera within ${timeoutMs / 1000} s:\n${text.slice(-3000)}`);
          await new Promise((r) => setTimeout(r, 1000));
        }
      },
      async listening(guestPort, timeoutMs = 30_000, said) {
        await waitFor(`a server on port ${guestPort} in the camera`, async () => (await exec(`netstat -ltn | grep -q ':${guestPort} '`)).code === 0 || undefined, timeoutMs, said);
      },
      linkUp: () => link === 'up',
      phone,
      cardPage: (guestPort = 80, timeoutMs = 120_000) =>
        // camfw's page, not another server's (the Xiaofang's Boa answers every path)
        waitForPage(`http://127.0.0.1:${guestPort === 80 ? port : altPort}/public/build.txt`, timeoutMs, (body) => new RegExp(`^model=${model}$`, 'm').test(body)).catch(async (e: Error) => {
          throw new Error(`${e.message}\n${await machineState()}\n--- console ---\n${readConsole().slice(-4000)}`);
        }),
      ended: async (timeoutMs = 0) => (await qemu.wait(timeoutMs)) !== undefined,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Polls `url` until it answers 200 (with a body `accept` takes) or `timeoutMs` passes;
 * returns the body and the time it took.
 */
export async function waitForPage(url: string, timeoutMs: number, accept: (body: string) => boolean = () => true): Promise<{ body: string; ms: number }> {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const body = await res.text();
      if (res.ok && accept(body)) return { body, ms: Date.now() - t0 };
      last = res.ok ? `HTTP 200, but not the page wanted: ${body.slice(0, 200)}` : `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no page at ${url} within ${timeoutMs / 1000}s (last: ${last})`);
}
