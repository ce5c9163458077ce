// avworker-min inside the emulated YI: 40 MB of RAM with the stock programs a camfw card
// keeps running, the camera's kernel surface, the card's own FAT file system. What it
// really takes (VmHWM from the camera's /proc) at 360p, 720p and 1080p with a detailed
// picture, with YI stream's extra daemons running (what got YI stream's HD remux killed);
// recording on the card until it fills; 100 reconnects of the push without memory growth.
// The streams come from GStreamer's RTSP server on the host and go to nginx-rtmp on the
// host, reached at 10.0.2.2 as a camera reaches its network.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bootCamera, type RunningCamera } from './qemu/camera.ts';
import { startSensor, type Sensor } from './qemu/sensor/sensor.ts';
import { startRtmpServer, type RtmpServer } from './peers/nginx-rtmp.ts';
import { cardImage, cardPrograms, tmpDir } from './helpers.ts';
import { probeMedia, type WorkerStatus } from './avworker.ts';
import { waitFor } from './wait.ts';

const AVW = '/home/hd1/test/usr/bin/avworker-min';
const HOST = '10.0.2.2';

let cam: RunningCamera;
let sensor: Sensor;
let nginx: RtmpServer;
let dir: string;

/** Starts avworker-min in the camera with these settings; its pid. */
async function startInCamera(name: string, settings: Record<string, string | number>, on = cam, avw = AVW): Promise<number> {
  const lines = [`status=/tmp/${name}.json`, ...Object.entries(settings).map(([k, v]) => `${k}=${v}`)].map((l) => `'${l}'`).join(' ');
  const r = await on.exec(`printf '%s\\n' ${lines} > /tmp/${name}.conf; ${avw} --config /tmp/${name}.conf > /tmp/${name}.log 2>&1 & echo $!`);
  return Number(r.output.trim().split('\n').at(-1));
}

async function status(name: string, on = cam): Promise<WorkerStatus | undefined> {
  const r = await on.exec(`cat /tmp/${name}.json 2>/dev/null`);
  try {
    return JSON.parse(r.output) as WorkerStatus;
  } catch {
    return undefined;
  }
}

async function memory(pid: number, on = cam): Promise<{ hwm: number; rss: number }> {
  const r = (await on.exec(`cat /proc/${pid}/status`)).output;
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(r)?.[1]);
  return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
}

async function stopInCamera(name: string, pid: number, on = cam): Promise<string> {
  await on.exec(`kill ${pid}; for i in $(seq 50); do kill -0 ${pid} 2>/dev/null || break; sleep 0.2; done`);
  return (await on.exec(`cat /tmp/${name}.log`)).output;
}

const said = (name: string, on = cam) => async () => `${(await on.exec(`tail -20 /tmp/${name}.log; cat /tmp/${name}.json`)).output}`;

let busybox: string;

before(async () => {
  dir = tmpDir('avworker-camera');
  busybox = path.join((await cardPrograms('yi')).built.get('busybox')!.stageDir, 'bin/busybox');
  nginx = await startRtmpServer(path.join(dir, 'nginx'));
  sensor = await startSensor(['/p360=640x360@15/aac/busy+/p720=1280x720@15/aac/busy+/p1080=1920x1080@15/aac/busy']);
  cam = await bootCamera('yi', await cardImage('yi', dir, 'avworker', {}, ['rtspsvr']), busybox);
  await cam.cardPage();
});
after(async () => {
  await cam?.stop();
  await sensor?.stop();
  await nginx?.stop();
});

describe('avworker-min in the emulated YI', () => {
  test('push and recording at 360p, 720p and 1080p fit beside YI stream\'s daemons; what it takes', async (t) => {
    // the daemons YI stream left running, which got its HD remux OOM-killed (yi.md, the seed)
    await cam.exec('/home/log_server & /home/led_ctl & /home/monitor_wifi & telnetd; sleep 2');
    for (const p of ['p360', 'p720', 'p1080']) {
      const pid = await startInCamera(p, {
        input: `rtsp://${HOST}:${sensor.ports[0]}/${p}`,
        rtmp: nginx.url(`mem-${p}`, HOST),
        record: `/home/hd1/rec-${p}`,
        // the test card is 64 MB: the default floor (64 MB, for real cards) would stop the recording
        'keep-free-mb': 8,
      });
      await cam.exec(`mkdir -p /home/hd1/rec-${p}`);
      const s = await waitFor(`${p}: 10 s pushed and recorded`, async () => {
        const s = await status(p);
        return s && s.rtmp.frames > 150 && s.record.frames > 150 ? s : undefined;
      }, 90_000, said(p));
      const m = await memory(pid);
      t.diagnostic(`${p}: VmHWM ${m.hwm} kB, VmRSS ${m.rss} kB, input ${s.input.kbps} kbit/s`);
      const log = await stopInCamera(p, pid);
      assert.match(log, /done: .*\(stopped by signal\)/, log);
      assert.doesNotMatch((await cam.exec('dmesg')).output, /Killed process \d+ \(avworker-min\)/);
      const [pushed] = nginx.recordings(`mem-${p}`);
      assert.ok((await probeMedia(pushed)).duration > 7, `${pushed} is short`);
    }
    await cam.exec('killall log_server led_ctl monitor_wifi telnetd; sleep 1');
  });
});

// independent, and each mostly waits (for the card to fill, for nginx): two at a time
describe('avworker-min in the emulated YI, faults', { concurrency: 2 }, () => {
  test('recording keeps the card\'s free space above the floor, deleting the oldest, and stops when nothing is left to delete', async (t) => {
    const avail = async () => Number((await cam.exec("df -k /home/hd1 | awk 'NR==2 {print $4}'")).output.trim().split('\n').at(-1));
    await cam.exec('mkdir -p /home/hd1/rec');
    const floorMb = Math.floor((await avail()) / 1024) - 2;
    const pid = await startInCamera('fill', { input: `rtsp://${HOST}:${sensor.ports[0]}/p1080`, record: '/home/hd1/rec', 'segment-seconds': 10, 'keep-free-mb': floorMb });
    let lowest = Infinity;
    const s = await waitFor('two segments deleted', async () => {
      lowest = Math.min(lowest, await avail());
      const s = await status('fill');
      return s && (s.record.deleted ?? 0) >= 2 ? s : undefined;
    }, 150_000, said('fill'));
    t.diagnostic(`card floor ${floorMb} MB; lowest free seen ${(lowest / 1024).toFixed(1)} MB; ${s.record.segments} segments, ${s.record.deleted} deleted`);
    assert.ok(lowest >= floorMb * 1024, `free space fell to ${lowest} kB, below the floor of ${floorMb} MB`);
    assert.equal(s.record.state, 'running');
    assert.match((await cam.exec('cat /tmp/fill.log')).output, /record: deleted the oldest segment \d{8}-\d{6}\.mp4/);

    // something else fills the card: the recording deletes what it can, then stops and says so
    const filler = Math.max(1, Math.floor((await avail()) / 1024) - floorMb + 1);
    await cam.exec(`dd if=/dev/zero of=/home/hd1/filler bs=1048576 count=${filler} 2>/dev/null`);
    const full = await waitFor('the recording stopped: card full', async () => {
      const s = await status('fill');
      return s?.record.state === 'full' ? s : undefined;
    }, 60_000, said('fill'));
    assert.match(full.record.error, /^card full: \d+ MB free in \/home\/hd1\/rec, keep-free-mb is \d+ and no segment is left to delete$/);
    assert.equal((await cam.exec('ls /home/hd1/rec | wc -l')).output.trim().split('\n').at(-1), '1', 'only the segment it was writing is left');
    const files = (await cam.exec('ls /home/hd1/rec')).output.trim().split('\n');
    assert.match(files.at(-1)!, /^\d{8}-\d{6}\.mp4$/);
    await cam.exec('rm /home/hd1/filler');
    await waitFor('recording again once there is room', async () => (await status('fill'))?.record.state === 'running' || undefined, 60_000, said('fill'));
    await stopInCamera('fill', pid);
  });

  test('100 reconnects of the push: no memory growth', async (t) => {
    const key = 'reconnects';
    const pid = await startInCamera(key, { input: `rtsp://${HOST}:${sensor.ports[0]}/p360`, rtmp: nginx.url(key, HOST), 'retry-max-seconds': 1 });
    await waitFor('publishing', () => nginx.publishing(key), 60_000, said(key));
    let after10 = { hwm: 0, rss: 0 };
    for (let i = 1; i <= 100; i++) {
      assert.equal(await nginx.drop(key), 1, `drop ${i}`);
      await waitFor(`publishing again after drop ${i}`, () => nginx.publishing(key), 20_000, said(key));
      if (i === 10) after10 = await memory(pid);
    }
    const after100 = await memory(pid);
    const s = await status(key);
    t.diagnostic(`after 10 reconnects VmRSS ${after10.rss} kB (VmHWM ${after10.hwm}), after 100 VmRSS ${after100.rss} kB (VmHWM ${after100.hwm}); ${s?.rtmp.starts} starts`);
    assert.ok((s?.rtmp.starts ?? 0) >= 101, JSON.stringify(s));
    assert.ok(after100.rss - after10.rss <= 64, `VmRSS grew ${after100.rss - after10.rss} kB from reconnect 10 to 100`);
    await stopInCamera(key, pid);
  });
});

// The Xiaofang's Linux 2.6.35 lacks system calls the YI's 3.0.8 has (accept4, prlimit64 and
// setns are above its 365): the same work under its filter, recording on the card's ext2.
describe('avworker-min in the emulated Xiaofang', () => {
  test('push and recording at 720p under 2.6.35\'s system calls, on the card\'s ext2 partition', async (t) => {
    const fang = await bootCamera('fang', await cardImage('fang', dir, 'avworker-fang', {}, []), busybox);
    try {
      await fang.cardPage(8080); // no Wi-Fi settings: the cloud keeps port 80
      const name = 'fang';
      await fang.exec('mkdir -p /media/mmcblk0p2/data/rec');
      const pid = await startInCamera(
        name,
        { input: `rtsp://${HOST}:${sensor.ports[0]}/p720`, rtmp: nginx.url('fang', HOST), record: '/media/mmcblk0p2/data/rec', 'keep-free-mb': 8 },
        fang,
        '/media/mmcblk0p2/data/usr/bin/avworker-min',
      );
      const s = await waitFor('10 s pushed and recorded', async () => {
        const s = await status(name, fang);
        return s && s.rtmp.frames > 150 && s.record.frames > 150 ? s : undefined;
      }, 90_000, said(name, fang));
      t.diagnostic(`fang, 720p: ${JSON.stringify(await memory(pid, fang))}, input ${s.input.kbps} kbit/s`);
      assert.match(await stopInCamera(name, pid, fang), /done: .*\(stopped by signal\)/);
      assert.ok((await probeMedia(nginx.recordings('fang')[0])).duration > 7);
      const segment = (await fang.exec('ls /media/mmcblk0p2/data/rec')).output.trim().split('\n').at(-1)!;
      assert.match(segment, /^\d{8}-\d{6}\.mp4$/);
    } finally {
      await fang.stop();
    }
  });
});
