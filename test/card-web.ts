// The card's own lighttpd and camfw-api, ARM926 programs under qemu-arm on the host, on a
// free port of 127.0.0.1 (loopback: the camera's own network, as a browser on its Wi-Fi
// is). The card's lighttpd.conf with what differs on an x86 host: lighttpd cannot exec
// the ARM CGI itself, so qemu-arm is its interpreter; the request log goes to a file, not
// to the camera's svlogd; camfw's RAM directory is a temporary one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startBackground, type BackgroundProcess } from '../scripts/lib/run.ts';
import { tmpDir } from './helpers.ts';
import { freePort, waitForPage } from './qemu/camera.ts';

export interface CardWeb {
  url: string;
  port: number;
  /** camfw's RAM directory ($RUN): sessions, the failed logins. */
  runDir: string;
  server: BackgroundProcess;
  stop(): Promise<void>;
}

/** Serves the rendered card directory `card` (its model's lighttpd.conf), with `record` as the recordings directory. */
export async function startCardWeb(card: string, record: string, model: string): Promise<CardWeb> {
  const runDir = tmpDir('web-run');
  const port = await freePort();
  const conf = path.join(runDir, 'lighttpd.conf');
  const cardConf = fs.readFileSync(path.join(card, 'etc/lighttpd.conf'), 'utf8');
  const hostConf = cardConf
    .replace('cgi.assign = ( "" => "" )', 'cgi.assign = ( "" => "/usr/bin/qemu-arm" )')
    .replace(/accesslog\.filename = .*/, `accesslog.filename = "${runDir}/access.log"`)
    .replace('"CAMFW_RUN" => "/tmp/camfw"', `"CAMFW_RUN" => "${runDir}", "QEMU_CPU" => "arm926"`);
  assert.equal((hostConf.match(/qemu-arm|QEMU_CPU|access\.log"|CAMFW_RUN" => "\//g) ?? []).length, 4, hostConf);
  fs.writeFileSync(conf, hostConf);
  const server = startBackground(['qemu-arm', '-cpu', 'arm926', '-E', `CAMFW_ROOT=${card}`, '-E', `CAMFW_WEB_PORT=${port}`, '-E', `CAMFW_RECORD_DIR=${record}`, path.join(card, 'usr/sbin/lighttpd'), '-D', '-f', conf]);
  const url = `http://127.0.0.1:${port}/`;
  try {
    assert.match((await waitForPage(`${url}public/build.txt`, 30_000)).body, new RegExp(`^model=${model}$`, 'm'));
  } catch (e) {
    await server.stop();
    throw new Error(`${(e as Error).message}\n${server.stderr()}`);
  }
  return { url, port, runDir, server, stop: () => server.stop() };
}
