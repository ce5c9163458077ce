// avworker-min's one-shot form (INPUT OUTPUT) against a real RTSP server (GStreamer's, from
// Debian) and files host ffmpeg made, as an ARM926 under qemu-arm: the picture size comes
// from the SPS (the libraries have no decoder), AAC in MPEG-TS works, a stop by signal
// finalises the output and is success, a source that goes away is never success, and bad
// settings are refused with the reason.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run, type BackgroundProcess } from '../scripts/lib/run.ts';
import { startSensor, type Sensor } from './qemu/sensor/sensor.ts';
import { dtsStepsBack, probeMedia, runAvworker, startAvworker } from './avworker.ts';
import { waitFor } from './wait.ts';
import { tmpDir } from './helpers.ts';

let dir: string;
let sensor: Sensor | undefined;
let url: string;

/**
 * avworker-min INPUT OUTPUT in the background, 3 s after it started writing (the sensor
 * sends a keyframe every 2 s; a file is written in blocks of 256 KB, so its size says little).
 */
async function startPulling(input: string, output: string): Promise<BackgroundProcess> {
  const p = await startAvworker([input, output]);
  try {
    await waitFor(`avworker-min writing ${output}`, () => p.stderr().includes('output: writing') || p.exited() || undefined, 60_000);
  } catch (e) {
    await p.stop();
    throw e;
  }
  if (p.exited()) throw new Error(`avworker-min wrote no ${output}:\n${p.stderr()}`);
  await new Promise((r) => setTimeout(r, 3000));
  return p;
}

before(async () => {
  dir = tmpDir('avworker-once');
  sensor = await startSensor(['/cam=640x360@15/aac+/hd=1280x720@15/pcma+/fhd=1920x1080@15/none']);
  url = `rtsp://127.0.0.1:${sensor.ports[0]}`;
});
after(() => sensor?.stop());

describe('avworker-min INPUT OUTPUT', () => {
  for (const [name, width, height, audio] of [
    ['cam', 640, 360, 'aac'],
    ['hd', 1280, 720, 'pcm_alaw'],
    ['fhd', 1920, 1080, undefined],
  ] as const)
    test(`learns ${width}x${height} from the SPS, without a decoder, and writes what arrived`, async () => {
      const output = path.join(dir, `${name}.flv`);
      const p = await startPulling(`${url}/${name}`, output);
      assert.equal(await p.signal('SIGTERM', 30_000), 0, p.stderr());
      assert.match(p.stderr(), new RegExp(`input: rtsp, video h264 ${width}x${height}`));
      const got = await probeMedia(output);
      assert.deepEqual(got.video, { codec: 'h264', width, height, fps: '15/1' });
      assert.equal(got.audio?.codec, audio);
    });

  for (const [signal, ext] of [['SIGTERM', 'mp4'], ['SIGINT', 'flv']] as const)
    test(`${signal} finalises the ${ext.toUpperCase()} and exits 0`, async () => {
      const output = path.join(dir, `stopped.${ext}`);
      const p = await startPulling(`${url}/cam`, output);
      const code = await p.signal(signal, 30_000);
      assert.equal(code, 0, p.stderr());
      assert.match(p.stderr(), /done: \d+ video frame\(s\) read, \d+ packet\(s\) without a timestamp dropped \(stopped by signal\)/);
      const got = await probeMedia(output);
      assert.deepEqual([got.video?.codec, got.audio?.codec], ['h264', 'aac']);
      assert.ok(got.duration > 1, `${output} lasts ${got.duration} s: not finalised`);
    });

  test('MPEG-TS with AAC in ADTS and the SPS only in the stream: MP4 and FLV with the right rate', async () => {
    const ts = path.join(dir, 'in.ts');
    await run(['ffmpeg', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000',
      '-t', '4', '-c:v', 'libx264', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-g', '15', '-c:a', 'aac', '-ac', '1', '-f', 'mpegts', ts]);
    for (const ext of ['mp4', 'flv']) {
      const output = path.join(dir, `from-ts.${ext}`);
      const r = await runAvworker([ts, output]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /the SPS and PPS came in the stream/);
      const got = await probeMedia(output);
      assert.deepEqual(got.video, { codec: 'h264', width: 320, height: 240, fps: '15/1' });
      assert.deepEqual(got.audio, { codec: 'aac', sampleRate: 16000 });
      assert.ok(got.duration > 3.8, `${output} lasts ${got.duration} s`);
    }
  });

  test('a source whose clock steps back: the timestamps written still increase, and the repairs are counted', async () => {
    const parts = [];
    for (const [name, seconds] of [['first', 4], ['second', 2]] as const) {
      const ts = path.join(dir, `${name}.ts`);
      await run(['ffmpeg', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000',
        '-t', String(seconds), '-c:v', 'libx264', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-g', '15', '-c:a', 'aac', '-ac', '1', '-f', 'mpegts', ts]);
      parts.push(fs.readFileSync(ts));
    }
    // the second file's clock starts again from where the first one's did
    const input = path.join(dir, 'steps-back.ts');
    fs.writeFileSync(input, Buffer.concat(parts));
    const output = path.join(dir, 'steps-back.flv');
    const status = path.join(dir, 'steps-back.json');
    const r = await runAvworker([`--status=${status}`, input, output]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /output: the source's video clock stepped back \d+\.\d s: the time line goes on from here/);
    assert.deepEqual(await dtsStepsBack(output), []);
    const got = await probeMedia(output);
    assert.ok(got.duration > 5.8 && got.duration < 6.5, `${output} lasts ${got.duration} s of 6`);
    const s = JSON.parse(fs.readFileSync(status, 'utf8')) as { output: { repairs: number; state: string } };
    assert.ok(s.output.repairs >= 2, `repairs: ${s.output.repairs}`);
    assert.equal(s.output.state, 'stopped');
  });

  test('bad settings are refused with the setting, the place and the reason, and nothing is written', async () => {
    const conf = path.join(dir, 'bad.conf');
    const cases: Array<[string[], RegExp]> = [
      [['--input=rtsp://127.0.0.1/x', '--rtmp=http://example.com/live'], /rtmp: 'http:\/\/example.com\/live' is not a rtmp:\/\/ URL/],
      [['--input=rtsp://127.0.0.1/x', '--record=relative/dir'], /record: 'relative\/dir' is not an absolute path/],
      [['--input=rtsp://127.0.0.1/x', '--record=/tmp/x', '--segment-seconds=5'], /segment-seconds: '5' is not a whole number of seconds from 10 to 3600/],
      [['--input=rtsp://127.0.0.1/x', '--record=/tmp/caf\u00e9'], /record: '\/tmp\/caf\u00e9' holds spaces, control or non-ASCII characters/],
      [['--input=rtsp://127.0.0.1/x', `--rtmp=rtmp://h/live/${'k'.repeat(2000)}`], /rtmp: longer than 1023 bytes/],
      [['--input=rtsp://127.0.0.1/x', '--rtmp-audio=aac'], /rtmp-audio: 'aac' is not copy or none/],
      [['--config', conf], /bad.conf line 3: colour: unknown setting/],
      [['--config', conf + '.missing'], /cannot read settings file/],
      [['--input=rtsp://127.0.0.1/x y'], /input: 'rtsp:\/\/127.0.0.1\/x y' holds spaces, control or non-ASCII characters/],
      [['--input=rtsp://127.0.0.1/x', '--rtmp=rtmp://h/a/k', '--record=/tmp/r', '--keep-free-mb=0'], /keep-free-mb: '0' is not a whole number of MB/],
    ];
    fs.writeFileSync(conf, '# the UI writes this\ninput=rtsp://127.0.0.1/x\ncolour=red\n');
    for (const [args, message] of cases) {
      const r = await runAvworker(args);
      assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  test('a source that goes away is not success, and the recording still plays', async () => {
    const output = path.join(dir, 'lost.mp4');
    const p = await startPulling(`${url}/cam`, output);
    await sensor!.stop();
    sensor = undefined;
    const code = await p.wait(60_000);
    assert.equal(code, 3, `exit ${code}:\n${p.stderr()}`);
    assert.match(p.stderr(), /error: lost the source 'rtsp:\/\/127\.0\.0\.1:\d+\/cam' after \d+ video frame\(s\)/);
    assert.doesNotMatch(p.stderr(), /done:/);
    const got = await probeMedia(output);
    assert.ok(got.duration > 1, `${output} lasts ${got.duration} s: not finalised`);
  });
});
