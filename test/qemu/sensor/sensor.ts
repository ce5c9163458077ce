import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackground } from '../../../scripts/lib/run.ts';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rtsp-sensor.py');

export interface Sensor {
  /** The port of each server, in the order given, on 127.0.0.1. */
  ports: number[];
  /** Sends the server a signal: SIGSTOP makes it a server that stalls with its connections open, SIGCONT wakes it. */
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/**
 * Starts the cameras' image sensor: GStreamer's RTSP server (Debian's, run by Debian's
 * /usr/bin/python3), one server per entry of `servers`, each
 * "[PORT:]PATH=WIDTHxHEIGHT@FPS/AUDIO[/busy][+PATH=...]" (AUDIO: aac, pcma, pcmu or none;
 * busy: a detailed picture that takes the whole bitrate; PORT: a fixed port, so that a
 * restarted sensor is the same source).
 */
export async function startSensor(servers: string[], timeoutMs = 20_000): Promise<Sensor> {
  const proc = startBackground(['/usr/bin/python3', SCRIPT, ...servers]);
  const t0 = Date.now();
  for (;;) {
    const ports = [...proc.stderr().matchAll(/^rtsp-sensor: server (\d+) port (\d+)$/gm)].map((m) => Number(m[2]));
    if (ports.length === servers.length) return { ports, signal: (s) => void proc.signal(s, 0), stop: () => proc.stop() };
    if (proc.exited() || Date.now() - t0 > timeoutMs) {
      await proc.stop();
      throw new Error(`the RTSP sensor (GStreamer) did not start: ${proc.stderr().slice(-2000) || 'no output'}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
