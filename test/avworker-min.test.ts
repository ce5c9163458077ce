// avworker-min against a real RTSP server (GStreamer's, from Debian), as an ARM926 under
// qemu-arm with the YI's kernel version: a stop by signal finalises the output and is
// success; a source that goes away is never success, and what was written still plays.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run, startBackground, type BackgroundProcess } from '../scripts/lib/run.ts';
import { startSensor, type Sensor } from './qemu/sensor/sensor.ts';
import { cardPrograms, tmpDir } from './helpers.ts';

let avw: string;
let dir: string;
let sensor: Sensor | undefined;
let url: string;

/** avworker-min INPUT OUTPUT in the background, once OUTPUT has grown past `bytes`. */
async function startPulling(output: string, bytes = 20_000): Promise<BackgroundProcess> {
  const p = startBackground(['qemu-arm', '-cpu', 'arm926', '-r', '3.0.8', avw, url, output]);
  const t0 = Date.now();
  while (!(fs.existsSync(output) && fs.statSync(output).size > bytes)) {
    if (p.exited() || Date.now() - t0 > 60_000) {
      await p.stop();
      throw new Error(`avworker-min wrote no ${output}:\n${p.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return p;
}

/** What ffprobe reads in a file: its duration and streams. */
async function playable(file: string): Promise<{ duration: number; codecs: string[] }> {
  const r = await run(['ffprobe', '-v', 'error', '-show_entries', 'format=duration:stream=codec_name', '-of', 'json', file]);
  const j = JSON.parse(r.stdout) as { format: { duration?: string }; streams: Array<{ codec_name: string }> };
  return { duration: Number(j.format.duration ?? 0), codecs: j.streams.map((s) => s.codec_name).sort() };
}

before(async () => {
  avw = path.join((await cardPrograms('yi')).built.get('avworker-min')!.stageDir, 'usr/bin/avworker-min');
  dir = tmpDir('avworker-rtsp');
  sensor = await startSensor(['/cam=640x360@15/aac']);
  url = `rtsp://127.0.0.1:${sensor.ports[0]}/cam`;
});
after(() => sensor?.stop());

describe('avworker-min with a live RTSP source', () => {
  for (const [signal, ext] of [['SIGTERM', 'mp4'], ['SIGINT', 'flv']] as const)
    test(`${signal} finalises the ${ext.toUpperCase()} and exits 0`, async () => {
      const output = path.join(dir, `stopped.${ext}`);
      const p = await startPulling(output);
      await new Promise((r) => setTimeout(r, 2000));
      const code = await p.signal(signal, 30_000);
      assert.equal(code, 0, p.stderr());
      assert.match(p.stderr(), /done: \d+ packet\(s\) copied, \d+ without timestamp dropped \(stopped by signal\)/);
      const got = await playable(output);
      assert.deepEqual(got.codecs, ['aac', 'h264']);
      assert.ok(got.duration > 1, `${output} lasts ${got.duration} s: not finalised`);
    });

  test('a source that goes away is not success, and the recording still plays', async () => {
    const output = path.join(dir, 'lost.mp4');
    const p = await startPulling(output);
    await new Promise((r) => setTimeout(r, 2000));
    await sensor!.stop();
    sensor = undefined;
    const code = await p.wait(60_000);
    assert.equal(code, 3, `exit ${code}:\n${p.stderr()}`);
    assert.match(p.stderr(), /error: lost the source 'rtsp:\/\/127\.0\.0\.1:\d+\/cam' after \d+ packet\(s\)/);
    assert.doesNotMatch(p.stderr(), /done:/);
    const got = await playable(output);
    assert.ok(got.duration > 1, `${output} lasts ${got.duration} s: not finalised`);
  });
});
