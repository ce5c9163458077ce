// What the avworker-min tests share: the program as the cards carry it, run as an ARM926
// under qemu-arm with the YI's kernel version, its status file, and what host ffprobe
// reads in what it wrote.
import fs from 'node:fs';
import path from 'node:path';
import { CAMERAS } from '../scripts/lib/cameras.ts';
import { run, startBackground, type BackgroundProcess, type RunResult } from '../scripts/lib/run.ts';
import { cardPrograms } from './helpers.ts';

export async function avworkerMin(): Promise<string> {
  return path.join((await cardPrograms('yi')).built.get('avworker-min')!.stageDir, 'usr/bin/avworker-min');
}

/** qemu-arm's arguments for avworker-min ARGS, as an ARM926 with the YI's kernel version. */
async function qemuArgs(args: string[]): Promise<string[]> {
  return ['-cpu', 'arm926', '-r', CAMERAS.yi.kernel, await avworkerMin(), ...args];
}

/** avworker-min ARGS, to its end (a non-zero exit is returned, not thrown). */
export async function runAvworker(args: string[]): Promise<RunResult> {
  return run(['qemu-arm', ...(await qemuArgs(args))], { allowFail: true });
}

/** avworker-min ARGS in the background. */
export async function startAvworker(args: string[]): Promise<BackgroundProcess> {
  return startBackground(['qemu-arm', ...(await qemuArgs(args))]);
}

export interface Worker {
  proc: BackgroundProcess;
  status(): WorkerStatus | undefined;
}

/** The worker form, with its settings in a file as the web UI writes them. */
export async function startWorker(dir: string, settings: Record<string, string | number>): Promise<Worker> {
  const conf = path.join(dir, 'avworker.conf');
  const statusFile = path.join(dir, 'status.json');
  fs.writeFileSync(conf, ['# written by the test', ...Object.entries({ status: statusFile, ...settings }).map(([k, v]) => `${k}=${v}`)].join('\n') + '\n');
  const proc = await startAvworker(['--config', conf]);
  return {
    proc,
    status: () => (fs.existsSync(statusFile) ? (JSON.parse(fs.readFileSync(statusFile, 'utf8')) as WorkerStatus) : undefined),
  };
}

export interface OutputStatus {
  state: string;
  kbps: number;
  frames: number;
  starts: number;
  repairs: number;
  retry_in: number;
  error: string;
  error_time: number;
  target?: string;
  audio?: boolean;
  dir?: string;
  segment?: string;
  segments?: number;
  deleted?: number;
  free_mb?: number;
}

export interface WorkerStatus {
  pid: number;
  input: { state: string; url: string; video: string; audio: string; kbps: number; frames: number; reconnects: number; error: string };
  rtmp: OutputStatus;
  record: OutputStatus;
}

export interface Media {
  duration: number;
  video?: { codec: string; width: number; height: number; fps: string };
  audio?: { codec: string; sampleRate: number };
}

/** What ffprobe reads in a file (it fails if the file does not play). */
export async function probeMedia(file: string): Promise<Media> {
  const r = await run(['ffprobe', '-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name,width,height,r_frame_rate,sample_rate', '-of', 'json', file]);
  const j = JSON.parse(r.stdout) as {
    format: { duration?: string };
    streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; r_frame_rate?: string; sample_rate?: string }>;
  };
  const v = j.streams.find((s) => s.codec_type === 'video');
  const a = j.streams.find((s) => s.codec_type === 'audio');
  return {
    duration: Number(j.format.duration ?? 0),
    video: v && { codec: v.codec_name, width: v.width!, height: v.height!, fps: v.r_frame_rate! },
    audio: a && { codec: a.codec_name, sampleRate: Number(a.sample_rate) },
  };
}

/** The packets whose decoding time does not increase, per stream, as ffprobe reads them. */
export async function dtsStepsBack(file: string): Promise<string[]> {
  const r = await run(['ffprobe', '-v', 'error', '-show_entries', 'packet=stream_index,dts', '-of', 'csv=p=0', file]);
  const last = new Map<string, number>();
  const bad: string[] = [];
  for (const line of r.stdout.trim().split('\n')) {
    const [stream, dts] = line.split(',');
    if (dts === undefined || dts === 'N/A') continue;
    const t = Number(dts);
    if (last.has(stream) && t <= last.get(stream)!) bad.push(`stream ${stream}: ${last.get(stream)} then ${t}`);
    last.set(stream, t);
  }
  return bad;
}
