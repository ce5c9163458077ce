// The stream worker's figures: avworker-min against the ffmpeg program (recipe ffmpeg-cli)
// doing the same job from the same source in the same run: one RTSP session pushed to
// nginx-rtmp and recorded in fragmented MP4 segments. Sizes; peak memory and CPU time per
// minute of stream at 360p, 720p and 1080p, as an ARM926 under qemu-arm (/usr/bin/time)
// and inside the emulated YI (VmHWM and utime+stime from the camera's /proc). Emulated CPU
// time is not an ARM926's: only the ratio between the two programs means something.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootCamera } from '../../test/qemu/camera.ts';
import { startSensor } from '../../test/qemu/sensor/sensor.ts';
import { startRtmpServer } from '../../test/peers/nginx-rtmp.ts';
import type { BuiltRecipe } from './builder.ts';
import { CAMERAS } from './cameras.ts';
import { readMbr } from './images/inspect.ts';
import { run } from './run.ts';

/** YI stream's avworker-min, UPX-packed (it unpacks into RAM): the size to beat unpacked. */
export const YI_STREAM_AVWORKER_BYTES = 658_212;

const RESOLUTIONS = [
  ['360p', '640x360'],
  ['720p', '1280x720'],
  ['1080p', '1920x1080'],
] as const;
const SECONDS = 30;
const HOST_FROM_CAMERA = '10.0.2.2';

export interface WorkerFigures {
  /** kB: VmHWM in the camera; max RSS of qemu-arm (QEMU's own memory included) in user mode. */
  peakKiB: number;
  /** CPU seconds per minute of stream. */
  cpuPerMinute: number;
}

interface Job {
  program: 'avworker-min' | 'ffmpeg';
  argv: (input: string, rtmp: string, dir: string) => string[];
}

function jobs(avw: string, ffmpeg: string): Job[] {
  return [
    { program: 'avworker-min', argv: (input, rtmp, dir) => [avw, `--input=${input}`, `--rtmp=${rtmp}`, `--record=${dir}`] },
    {
      program: 'ffmpeg',
      // what avworker-min does, in ffmpeg's words: one input, both outputs, stream copy
      argv: (input, rtmp, dir) => [ffmpeg, '-nostdin', '-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', input,
        '-map', '0', '-c', 'copy', '-f', 'flv', rtmp,
        '-map', '0', '-c', 'copy', '-f', 'segment', '-segment_time', '300', '-segment_format', 'mp4',
        '-segment_format_options', 'movflags=empty_moov+default_base_moof+frag_keyframe', path.join(dir, '%03d.mp4')],
    },
  ];
}

async function userMode(job: Job, input: string, rtmp: string): Promise<WorkerFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'camfw-bench-'));
  try {
    // timeout stops the program as a supervisor would (SIGTERM); time counts it as timeout's child
    const r = await run(['/usr/bin/time', '-f', 'camfw-time %M %U %S', 'timeout', '-s', 'TERM', String(SECONDS), 'qemu-arm', '-cpu', 'arm926', '-r', CAMERAS.yi.kernel, ...job.argv(input, rtmp, dir)], {
      allowFail: true,
      timeoutMs: (SECONDS + 60) * 1000,
    });
    const m = /camfw-time (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
    if (!m) throw new Error(`${job.program} under /usr/bin/time gave no figures:\n${r.stderr.slice(-2000)}`);
    return { peakKiB: Number(m[1]), cpuPerMinute: ((Number(m[2]) + Number(m[3])) * 60) / SECONDS };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchStreamWorker(busybox: string, card: string, built: Map<string, BuiltRecipe>): Promise<Record<string, unknown>> {
  if (!fs.existsSync(card)) throw new Error(`no YI card image at ${card}: run npm run build:yi first`);
  const avw = path.join(built.get('avworker-min')!.stageDir, 'usr/bin/avworker-min');
  const ffmpeg = path.join(built.get('ffmpeg-cli')!.stageDir, 'usr/bin/ffmpeg');
  const results: Record<string, unknown> = {
    bytes: { 'avworker-min': fs.statSync(avw).size, ffmpeg: fs.statSync(ffmpeg).size, 'YI stream avworker-min (UPX)': YI_STREAM_AVWORKER_BYTES },
  };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'camfw-bench-stream-'));
  const sensor = await startSensor([RESOLUTIONS.map(([name, size]) => `/${name}=${size}@15/aac/busy`).join('+')]);
  const nginx = await startRtmpServer(path.join(work, 'nginx'));
  try {
    const userModeFigures: Record<string, Record<string, WorkerFigures>> = {};
    for (const [name] of RESOLUTIONS) {
      userModeFigures[name] = {};
      for (const job of jobs(avw, ffmpeg)) {
        const f = await userMode(job, `rtsp://127.0.0.1:${sensor.ports[0]}/${name}`, nginx.url(`${job.program}-${name}`));
        userModeFigures[name][job.program] = f;
        console.log(`qemu-arm, ${name}, ${job.program}: max RSS ${f.peakKiB} kB (QEMU included), CPU ${f.cpuPerMinute.toFixed(1)} s per minute`);
      }
    }
    results.qemuArm = userModeFigures;

    // inside the emulated YI: the ffmpeg program goes onto the card beside avworker-min
    const image = path.join(work, 'card.img');
    fs.copyFileSync(card, image);
    await run(['mcopy', '-i', `${image}@@${readMbr(image)[0].offset}`, ffmpeg, '::/test/usr/bin/ffmpeg'], { env: { MTOOLS_SKIP_CHECK: '1' } });
    const cam = await bootCamera('yi', image, busybox);
    const camera: Record<string, Record<string, WorkerFigures | string>> = {};
    try {
      await cam.cardPage();
      const guestJobs = jobs('/home/hd1/test/usr/bin/avworker-min', '/home/hd1/test/usr/bin/ffmpeg');
      const hz = Number((await cam.exec('getconf CLK_TCK 2>/dev/null || echo 100')).output.trim().split('\n').at(-1)) || 100;
      for (const [name] of RESOLUTIONS) {
        camera[name] = {};
        for (const job of guestJobs) {
          const dir = `/home/hd1/bench-${job.program}-${name}`;
          const argv = job.argv(`rtsp://${HOST_FROM_CAMERA}:${sensor.ports[0]}/${name}`, nginx.url(`cam-${job.program}-${name}`, HOST_FROM_CAMERA), dir);
          const quoted = argv.map((a) => `'${a}'`).join(' ');
          const pid = Number((await cam.exec(`mkdir -p ${dir}; ${quoted} > /tmp/bench.log 2>&1 & echo $!`)).output.trim().split('\n').at(-1));
          await new Promise((r) => setTimeout(r, SECONDS * 1000));
          const status = (await cam.exec(`cat /proc/${pid}/status /proc/${pid}/stat 2>/dev/null`)).output;
          const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
          const stat = /^\d+ \(.*?\) \S+ (?:\S+ ){10}(\d+) (\d+)/m.exec(status);
          await cam.exec(`kill ${pid}; sleep 2; rm -rf ${dir}`);
          if (!hwm || !stat) {
            const why = (await cam.exec('tail -3 /tmp/bench.log; dmesg | grep -i "killed process" | tail -1')).output.trim();
            camera[name][job.program] = `did not run to the end: ${why}`;
            console.log(`emulated YI, ${name}, ${job.program}: did not run to the end: ${why}`);
            continue;
          }
          const f = { peakKiB: Number(hwm[1]), cpuPerMinute: (((Number(stat[1]) + Number(stat[2])) / hz) * 60) / SECONDS };
          camera[name][job.program] = f;
          console.log(`emulated YI, ${name}, ${job.program}: VmHWM ${f.peakKiB} kB, CPU ${f.cpuPerMinute.toFixed(1)} s per minute`);
        }
      }
    } finally {
      await cam.stop();
    }
    results.emulatedYi = camera;
  } finally {
    await nginx.stop();
    await sensor.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  return results;
}
