// avworker-min as the camera's stream worker, against real servers on the host: GStreamer's
// RTSP server (Debian's) as the camera's stream, nginx with Debian's RTMP module as the
// ingest, host ffprobe reading what arrived and what was recorded. The program runs as an
// ARM926 under qemu-arm. Every fault here is one a camera meets: the ingest restarts, the
// vendor RTSP server restarts, the power goes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSensor, type Sensor } from './qemu/sensor/sensor.ts';
import { startRtmpServer, type RtmpServer } from './peers/nginx-rtmp.ts';
import { dtsStepsBack, probeMedia, startWorker, type Worker } from './avworker.ts';
import { waitFor } from './wait.ts';
import { freePort } from './qemu/camera.ts';
import { tmpDir } from './helpers.ts';

const SEGMENT_NAME = /^\d{8}-\d{6}(-\d+)?\.(mp4|mov)$/;

let dir: string;
let nginx: RtmpServer;
let sensorPort: number;
let sensor: Sensor | undefined;
const workers: Worker[] = [];

const SENSOR = () => [`${sensorPort}:/cam=1280x720@15/aac+/g711=640x360@15/pcma+/busy=1280x720@15/aac/busy`];
const source = (name: string) => `rtsp://127.0.0.1:${sensorPort}/${name}`;

async function worker(settings: Record<string, string | number>): Promise<Worker> {
  const d = fs.mkdtempSync(path.join(dir, 'worker-'));
  const w = await startWorker(d, settings);
  workers.push(w);
  return w;
}

/** What the worker said, for a failure message. */
const said = (w: Worker) => () => `${w.proc.stderr().slice(-3000)}\nstatus: ${JSON.stringify(w.status())}`;

function segments(recordDir: string): string[] {
  return fs.readdirSync(recordDir).filter((f) => SEGMENT_NAME.test(f)).sort().map((f) => path.join(recordDir, f));
}

/** Stops the worker by signal: it must finalise everything and exit 0. */
async function stop(w: Worker): Promise<void> {
  assert.equal(await w.proc.signal('SIGTERM', 30_000), 0, said(w)());
  assert.match(w.proc.stderr(), /done: .*\(stopped by signal\)/);
  const s = w.status()!;
  assert.deepEqual([s.input.state, s.rtmp.state === 'off' ? 'stopped' : s.rtmp.state, s.record.state === 'off' ? 'stopped' : s.record.state], ['stopped', 'stopped', 'stopped']);
}

before(async () => {
  dir = tmpDir('avworker-worker');
  nginx = await startRtmpServer(path.join(dir, 'nginx'));
  sensorPort = await freePort();
  sensor = await startSensor(SENSOR());
});
after(async () => {
  await Promise.all(workers.map((w) => w.proc.stop()));
  await sensor?.stop();
  await nginx?.stop();
});

describe('avworker-min, the stream worker', () => {
  test('one RTSP session feeds the push and the recording for a minute, and both play', async (t) => {
    const rec = path.join(dir, 'minute');
    fs.mkdirSync(rec);
    const key = 'key-9f3a2c';
    const w = await worker({ input: source('cam'), rtmp: nginx.url(key), record: rec, 'segment-seconds': 20 });
    await waitFor('the push and the recording running', () => w.status()?.rtmp.state === 'running' && w.status()?.record.state === 'running', 30_000, said(w));
    await new Promise((r) => setTimeout(r, 60_000));
    const s = w.status()!;
    t.diagnostic(`status after a minute: ${JSON.stringify(s)}`);
    assert.equal(s.input.video, 'h264 1280x720');
    assert.equal(s.input.audio, 'aac 8000 Hz 1 ch');
    for (const o of [s.rtmp, s.record]) {
      assert.equal(o.state, 'running');
      assert.equal(o.error, '');
      assert.ok(o.frames > 800 && o.kbps > 0, JSON.stringify(o));
    }
    assert.equal(s.rtmp.target, `rtmp://127.0.0.1:${nginx.port}/...`, 'the stream key never leaves the settings');
    assert.ok(!w.proc.stderr().includes(key), 'the stream key is not in the log');
    await stop(w);

    const pushed = nginx.recordings(key);
    assert.equal(pushed.length, 1, 'one publish, never interrupted');
    const got = await probeMedia(pushed[0]);
    assert.deepEqual(got.video, { codec: 'h264', width: 1280, height: 720, fps: '15/1' });
    assert.deepEqual(got.audio, { codec: 'aac', sampleRate: 8000 });
    assert.ok(got.duration > 55, `nginx recorded ${got.duration} s`);
    assert.deepEqual(await dtsStepsBack(pushed[0]), []);

    const files = segments(rec);
    assert.ok(files.length >= 3 && files.length <= 4, `segments: ${files.map((f) => path.basename(f)).join(' ')}`);
    const durations: number[] = [];
    for (const f of files) {
      const m = await probeMedia(f);
      assert.deepEqual([m.video, m.audio], [{ codec: 'h264', width: 1280, height: 720, fps: '15/1' }, { codec: 'aac', sampleRate: 8000 }], f);
      assert.deepEqual(await dtsStepsBack(f), [], f);
      durations.push(m.duration);
    }
    // each closed segment is 20 s, cut at the first keyframe (every 2 s) from there
    assert.ok(durations.slice(0, -1).every((d) => d >= 19.5 && d < 22.5), `segment durations: ${durations.join(' ')}`);
    assert.ok(durations.reduce((a, b) => a + b) > 55, `the segments hold ${durations.join(' + ')} s`);
  });

  test('G.711: the push copies it into FLV or leaves it out, as set; the recording is MOV, which carries it', async () => {
    const rec = path.join(dir, 'g711');
    fs.mkdirSync(rec);
    const copy = await worker({ input: source('g711'), rtmp: nginx.url('g711-copy'), record: rec });
    const none = await worker({ input: source('g711'), rtmp: nginx.url('g711-none'), 'rtmp-audio': 'none' });
    for (const w of [copy, none])
      await waitFor('the push running', () => (w.status()?.rtmp.frames ?? 0) > 60 || undefined, 30_000, said(w));
    assert.match(copy.proc.stderr(), /rtmp: the audio is pcm_alaw: FLV carries it, but ingests that require AAC \(YouTube\) refuse the stream: set rtmp-audio=none/);
    assert.equal(copy.status()!.rtmp.audio, true);
    assert.equal(none.status()!.rtmp.audio, false);
    await stop(copy);
    await stop(none);
    assert.deepEqual((await probeMedia(nginx.recordings('g711-copy')[0])).audio, { codec: 'pcm_alaw', sampleRate: 8000 });
    const videoOnly = await probeMedia(nginx.recordings('g711-none')[0]);
    assert.equal(videoOnly.audio, undefined);
    assert.deepEqual(videoOnly.video, { codec: 'h264', width: 640, height: 360, fps: '15/1' });
    const [segment] = segments(rec);
    assert.match(path.basename(segment), /\.mov$/);
    assert.deepEqual((await probeMedia(segment)).audio, { codec: 'pcm_alaw', sampleRate: 8000 });
  });

  test('the ingest stops and comes back: the push reconnects, the recording never notices', async (t) => {
    const rec = path.join(dir, 'ingest-restart');
    fs.mkdirSync(rec);
    const w = await worker({ input: source('cam'), rtmp: nginx.url('restart'), record: rec });
    await waitFor('publishing', () => nginx.publishing('restart'), 30_000, said(w));
    let t0 = 0;
    try {
      await nginx.stop();
      const down = await waitFor('the push noticing', () => (w.status()?.rtmp.state === 'waiting' ? w.status() : undefined), 15_000, said(w));
      assert.match(down.rtmp.error, /Broken pipe|Connection reset|Connection refused|End of file/);
      // 50 frames at 15 fps while the ingest is down; the status is rewritten every 2 s
      const during = await waitFor('the recording going on', () => {
        const s = w.status();
        return s && s.record.frames > down.record.frames + 50 ? s : undefined;
      }, 15_000, said(w));
      assert.equal(during.record.state, 'running');
      assert.match(during.rtmp.error, /Connection refused/);
    } finally {
      t0 = Date.now();
      await nginx.start();
    }
    await waitFor('publishing again', () => nginx.publishing('restart'), 15_000, said(w));
    const recovery = (Date.now() - t0) / 1000;
    t.diagnostic(`push back ${recovery.toFixed(1)} s after nginx came back (it was down 5 s or more)`);
    assert.ok(recovery <= 10, `the push came back ${recovery} s after nginx`);
    await new Promise((r) => setTimeout(r, 3000));
    await stop(w);
    assert.equal(segments(rec).length, 1, 'one segment: the recording did not restart');
    const recorded = (await probeMedia(segments(rec)[0])).duration;
    assert.ok(recorded > 7, `the segment holds ${recorded} s of the 10 s or so the test ran`);
    const pushed = nginx.recordings('restart');
    assert.ok(pushed.length >= 2, `publishes: ${pushed.join(' ')}`);
    assert.ok((await probeMedia(pushed.at(-1)!)).duration > 1);
  });

  test('the ingest stalls with the connection open: the push notices, the recording goes on, the push comes back', async (t) => {
    const rec = path.join(dir, 'ingest-stall');
    fs.mkdirSync(rec);
    // a detailed picture: the kernel's buffers fill in seconds, as on a camera's uplink
    const w = await worker({ input: source('busy'), rtmp: nginx.url('stall'), record: rec, 'retry-max-seconds': 2 });
    await waitFor('publishing', () => nginx.publishing('stall'), 30_000, said(w));
    await new Promise((r) => setTimeout(r, 2000));
    nginx.signal('SIGSTOP');
    const t0 = Date.now();
    let noticed: number;
    try {
      const s = await waitFor('the stalled push noticed', () => (w.status()?.rtmp.state !== 'running' ? w.status() : undefined), 45_000, said(w));
      noticed = (Date.now() - t0) / 1000;
      assert.match(s.rtmp.error, /cannot write to rtmp:\/\/127\.0\.0\.1:\d+\/\.\.\.: Operation timed out/);
      const frames = s.record.frames;
      await new Promise((r) => setTimeout(r, 2000));
      assert.ok(w.status()!.record.frames > frames + 15, 'the recording stopped with the push');
    } finally {
      nginx.signal('SIGCONT');
    }
    await waitFor('pushing again', () => (w.status()?.rtmp.state === 'running' && (w.status()?.rtmp.starts ?? 0) >= 2) || undefined, 30_000, said(w));
    t.diagnostic(`stalled ingest noticed after ${noticed.toFixed(1)} s (the socket buffers, then the 5 s write deadline)`);
    assert.ok(noticed <= 40, `noticed after ${noticed} s`);
    await stop(w);
    assert.equal(segments(rec).length, 1, 'the recording never restarted');
  });

  test('the camera\'s RTSP server restarts: the source reconnects, both outputs resume, with a new segment', async (t) => {
    const rec = path.join(dir, 'source-restart');
    fs.mkdirSync(rec);
    const w = await worker({ input: source('cam'), rtmp: nginx.url('source'), record: rec });
    await waitFor('3 s pushed and recorded', () => Math.min(w.status()?.rtmp.frames ?? 0, w.status()?.record.frames ?? 0) > 45 || undefined, 30_000, said(w));
    await sensor!.stop();
    sensor = undefined;
    await waitFor('the source lost', () => w.status()?.input.state === 'waiting' || undefined, 15_000, said(w));
    await new Promise((r) => setTimeout(r, 3000));
    const t0 = Date.now();
    sensor = await startSensor(SENSOR());
    const back = await waitFor('both outputs running again', () => {
      const s = w.status();
      return s && s.input.reconnects >= 1 && s.rtmp.state === 'running' && s.record.segments! >= 2 && s.rtmp.starts >= 2 ? s : undefined;
    }, 20_000, said(w));
    const recovery = (Date.now() - t0) / 1000;
    t.diagnostic(`outputs back ${recovery.toFixed(1)} s after the RTSP server came back`);
    assert.ok(recovery <= 12, `back ${recovery} s after the source`);
    assert.match(back.input.error, /lost the source|cannot open the input/);
    await waitFor('publishing again', () => nginx.publishing('source'), 10_000, said(w));
    await new Promise((r) => setTimeout(r, 3000));
    await stop(w);
    const files = segments(rec);
    assert.equal(files.length, 2, files.join(' '));
    for (const f of files) assert.ok((await probeMedia(f)).duration > 1, f);
    assert.ok(nginx.recordings('source').length >= 2);
  });

  test('the camera\'s RTSP server stalls with the connection open: noticed within 5 s, and the outputs go on when it answers again', async (t) => {
    const rec = path.join(dir, 'stalled');
    fs.mkdirSync(rec);
    const w = await worker({ input: source('cam'), record: rec, 'retry-max-seconds': 2 });
    await waitFor('recording', () => (w.status()?.record.frames ?? 0) > 30 || undefined, 30_000, said(w));
    sensor!.signal('SIGSTOP');
    const t0 = Date.now();
    try {
      const lost = await waitFor('the stall noticed', () => (w.status()?.input.state === 'waiting' ? w.status() : undefined), 15_000, said(w));
      const noticed = (Date.now() - t0) / 1000;
      t.diagnostic(`stall noticed after ${noticed.toFixed(1)} s`);
      assert.ok(noticed <= 8, `noticed after ${noticed} s`);
      assert.match(lost.input.error, /lost the source 'rtsp:\/\/127\.0\.0\.1:\d+\/cam': nothing came for 5 s/);
    } finally {
      sensor!.signal('SIGCONT');
    }
    await waitFor('recording again, in a new segment', () => (w.status()?.record.segments ?? 0) >= 2 && w.status()?.record.state === 'running' || undefined, 40_000, said(w));
    await new Promise((r) => setTimeout(r, 3000));
    await stop(w);
    for (const f of segments(rec)) assert.ok((await probeMedia(f)).duration > 1, f);
  });

  test('a hard kill while recording: the closed segment and the open one up to its last fragment play', async () => {
    const rec = path.join(dir, 'killed');
    fs.mkdirSync(rec);
    const w = await worker({ input: source('cam'), record: rec, 'segment-seconds': 10 });
    await waitFor('a second segment', () => (w.status()?.record.segments ?? 0) >= 2 || undefined, 40_000, said(w));
    await new Promise((r) => setTimeout(r, 5000));
    await w.proc.signal('SIGKILL', 10_000);
    const files = segments(rec);
    assert.equal(files.length, 2, files.join(' '));
    const closed = await probeMedia(files[0]);
    assert.ok(Math.abs(closed.duration - 10) < 2.5, `closed segment: ${closed.duration} s`);
    const open = await probeMedia(files[1]);
    assert.ok(open.duration >= 3, `the open segment plays ${open.duration} s of about 5`);
    assert.deepEqual(open.video, { codec: 'h264', width: 1280, height: 720, fps: '15/1' });
  });
});
