// nginx with Debian's RTMP module (libnginx-mod-rtmp): the RTMP server the tests push to.
// It records every publish to an FLV file that host ffprobe then reads, and its control
// interface drops a publisher on demand, as an ingest that restarts would.
import fs from 'node:fs';
import path from 'node:path';
import { startBackground, type BackgroundProcess } from '../../scripts/lib/run.ts';
import { freePort } from '../qemu/camera.ts';
import { accepts } from '../wait.ts';

const MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

export interface RtmpServer {
  port: number;
  /** rtmp://127.0.0.1:PORT/live/KEY, or with `host` as the guest sees the host. */
  url(key: string, host?: string): string;
  /** The FLV files nginx recorded for KEY, one per publish, oldest first. */
  recordings(key: string): string[];
  /** Drops the publisher of KEY (nginx's rtmp_control); how many were dropped. */
  drop(key: string): Promise<number>;
  /** Whether KEY is being published now (nginx's rtmp_stat). */
  publishing(key: string): Promise<boolean>;
  /** Sends nginx a signal: SIGSTOP makes an ingest that stalls with its connections open, SIGCONT wakes it. */
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
  /** Starts it again on the same ports after stop(); nothing when it runs. */
  start(): Promise<void>;
}

function config(dir: string, rtmpPort: number, httpPort: number): string {
  const tmp = (name: string) => `${name}_temp_path ${path.join(dir, 'tmp', name)};`;
  return `load_module ${MODULE};
daemon off;
master_process off;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} info;
events { worker_connections 64; }
rtmp {
  server {
    listen 127.0.0.1:${rtmpPort};
    application live {
      live on;
      record all;
      record_path ${path.join(dir, 'rec')};
      record_unique on;
    }
  }
}
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(tmp).join('\n  ')}
  server {
    listen 127.0.0.1:${httpPort};
    location /control { rtmp_control all; }
    location /stat { rtmp_stat all; }
  }
}
`;
}

/** Starts nginx-rtmp in `dir` (its configuration, log and recordings go there). */
export async function startRtmpServer(dir: string): Promise<RtmpServer> {
  for (const d of ['rec', 'tmp']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const port = await freePort();
  const httpPort = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(conf, config(dir, port, httpPort));
  let proc: BackgroundProcess | undefined;

  const start = async () => {
    if (proc && !proc.exited()) return;
    proc = startBackground(['nginx', '-c', conf, '-p', dir, '-e', path.join(dir, 'error.log')]);
    const t0 = Date.now();
    while (!(await accepts(port)) || !(await accepts(httpPort))) {
      if (proc.exited() || Date.now() - t0 > 10_000) {
        await proc.stop();
        const log = fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : '';
        throw new Error(`nginx-rtmp did not start: ${proc.stderr()}${log.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const control = async (query: string) => (await fetch(`http://127.0.0.1:${httpPort}${query}`)).text();
  await start();
  return {
    port,
    url: (key, host = '127.0.0.1') => `rtmp://${host}:${port}/live/${key}`,
    recordings: (key) =>
      fs
        .readdirSync(path.join(dir, 'rec'))
        .filter((f) => f.startsWith(`${key}-`) && f.endsWith('.flv'))
        .sort((a, b) => Number(a.slice(key.length + 1, -4)) - Number(b.slice(key.length + 1, -4)))
        .map((f) => path.join(dir, 'rec', f)),
    drop: async (key) => Number(await control(`/control/drop/publisher?app=live&name=${encodeURIComponent(key)}`)) || 0,
    publishing: async (key) => {
      const xml = await control('/stat');
      return [...xml.matchAll(/<stream>([\s\S]*?)<\/stream>/g)].some((m) => m[1].includes(`<name>${key}</name>`) && m[1].includes('<publishing/>'));
    },
    signal: (s) => void proc?.signal(s, 0),
    stop: async () => {
      await proc?.stop();
      proc = undefined;
    },
    start,
  };
}
