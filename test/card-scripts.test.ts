// The shell code that goes on the cards: every script passes shellcheck and the card's
// own BusyBox parser, and the trim of the YI's /home refuses what it must refuse, run
// with the card's BusyBox (and only its tools) as an ARM926.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { CAMERAS, MODEL_IDS } from '../scripts/lib/cameras.ts';
import { readCardRecord } from '../scripts/lib/card.ts';
import type { ManifestEntry } from '../scripts/lib/manifest.ts';
import { paths } from '../scripts/lib/paths.ts';
import { run } from '../scripts/lib/run.ts';
import { cardPrograms, cardToolbox, hostPackages, tmpDir } from './helpers.ts';

let busybox: string;
before(async () => {
  await hostPackages();
  busybox = path.join((await cardPrograms('yi')).built.get('busybox')!.stageDir, 'bin/busybox');
});

/** The card's shell code: scripts (.sh or a #!/bin/sh line) and the settings its scripts source. */
function cardShellFiles(model: string): string[] {
  readCardRecord(model);
  const tree = path.join(paths.model(model), 'tree');
  const files = (JSON.parse(fs.readFileSync(path.join(paths.model(model), 'manifest.json'), 'utf8')) as { files: ManifestEntry[] }).files;
  return files
    .filter((e) => e.type === 'file' && !e.secret)
    .map((e) => path.join(tree, e.path))
    .filter((f) => f.endsWith('.sh') || /\/etc\/camfw\/[^/]+\.conf$/.test(f) || fs.readFileSync(f).subarray(0, 10).toString() === '#!/bin/sh\n');
}

describe('card shell scripts', () => {
  for (const model of MODEL_IDS)
    test(`${model}: pass shellcheck -s sh (following sourced files) and BusyBox sh -n`, async () => {
      const files = cardShellFiles(model);
      assert.ok(files.length >= 3, `only ${files.length} shell files on the ${model} card`);
      const sc = await run(['shellcheck', '-s', 'sh', '-x', '-P', 'SCRIPTDIR', ...files], { allowFail: true });
      assert.equal(sc.code, 0, sc.stdout);
      for (const f of files) {
        const r = await run(['qemu-arm', '-cpu', 'arm926', busybox, 'sh', '-n', f], { allowFail: true });
        assert.equal(r.code, 0, `${f}: ${r.stderr}`);
      }
    });
});

describe('trim-home.sh', () => {
  const script = path.join(paths.overlays, 'yi/card/test/etc/camfw/trim-home.sh');

  /** A card directory and a stock /home, and the script run on them by the card's BusyBox alone. */
  async function setup(list: string[]) {
    const dir = tmpDir('trim');
    const card = path.join(dir, 'card');
    const home = path.join(dir, 'home');
    for (const d of [path.join(card, 'etc/camfw'), path.join(home, 'cloud'), path.join(home, 'keep'), path.join(dir, 'outside')]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(card, 'etc/camfw/home-trim.list'), list.join('\n') + '\n');
    fs.writeFileSync(path.join(home, 'cloud/cloudAPI'), 'stock cloud program\n');
    fs.writeFileSync(path.join(home, 'keep/rmm'), 'stock encoder\n');
    fs.writeFileSync(path.join(dir, 'outside/precious'), 'not /home\n');
    const PATH = await cardToolbox(busybox, CAMERAS.yi.kernel);
    const trim = () => run(['qemu-arm', '-cpu', 'arm926', '-r', CAMERAS.yi.kernel, '-E', `PATH=${PATH}`, busybox, 'sh', script, card, home], { cwd: dir, allowFail: true });
    return { dir, card, home, trim };
  }

  test('refuses list entries that are not plain paths below /home, and trims the rest', async () => {
    const hostile = ['../outside', '/etc/passwd', 'cloud/../../outside', '.', 'keep/.', 'keep//rmm', '$(touch pwned)', 'a b', 'keep;rm -rf ..'];
    const { dir, card, home, trim } = await setup([...hostile, 'cloud']);
    const r = await trim();
    assert.equal(r.code, 0, r.stderr);
    for (const h of hostile) assert.ok(r.stdout.includes(`camfw: refusing trim-list entry "${h}": not a plain path below /home`), `${h} not refused:\n${r.stdout}`);
    assert.match(r.stdout, /camfw: trimmed \/home\/cloud \(backup: .*\/backup\/home\/cloud\.tar\.gz\)/);
    assert.ok(!fs.existsSync(path.join(home, 'cloud')));
    assert.equal(fs.readFileSync(path.join(home, 'keep/rmm'), 'utf8'), 'stock encoder\n');
    assert.equal(fs.readFileSync(path.join(dir, 'outside/precious'), 'utf8'), 'not /home\n');
    assert.ok(!fs.existsSync(path.join(dir, 'pwned')) && !fs.existsSync(path.join(card, 'pwned')));
    assert.deepEqual(fs.readdirSync(path.join(card, 'backup/home')), ['cloud.tar.gz']);
  });

  test('keeps UNDO-TRIM, and the backup, when a restore fails; restores and marks TRIM-UNDONE when all succeed', async () => {
    const { card, home, trim } = await setup(['cloud']);
    assert.equal((await trim()).code, 0);
    const backup = path.join(card, 'backup/home/cloud.tar.gz');
    const good = fs.readFileSync(backup);
    fs.writeFileSync(backup, good.subarray(0, 20));
    fs.writeFileSync(path.join(card, 'UNDO-TRIM'), '');
    const failed = await trim();
    assert.match(failed.stdout, /camfw: could not restore \/home\/cloud from .*cloud\.tar\.gz; the backup is kept/);
    assert.match(failed.stdout, /camfw: trim undo incomplete: 1 backup\(s\) not restored \(0 restored\); UNDO-TRIM stays/);
    assert.ok(fs.existsSync(path.join(card, 'UNDO-TRIM')) && !fs.existsSync(path.join(card, 'TRIM-UNDONE')));
    assert.ok(fs.existsSync(backup));
    fs.writeFileSync(backup, good);
    const restored = await trim();
    assert.match(restored.stdout, /camfw: trim undone \(1 restored\)/);
    assert.equal(fs.readFileSync(path.join(home, 'cloud/cloudAPI'), 'utf8'), 'stock cloud program\n');
    assert.ok(!fs.existsSync(path.join(card, 'UNDO-TRIM')) && fs.existsSync(path.join(card, 'TRIM-UNDONE')));
  });
});

describe('wifi-file.sh', () => {
  const script = path.join(paths.overlays, 'common/etc/camfw/wifi-file.sh');

  /** A card directory running the Xiaofang's own network, with FILE holding `text`, and the script run on it by the card's BusyBox alone. */
  async function take(text: string | Buffer) {
    const dir = tmpDir('wifi');
    const card = path.join(dir, 'card');
    const fat = path.join(dir, 'fat');
    fs.mkdirSync(path.join(card, 'etc/camfw'), { recursive: true });
    fs.writeFileSync(path.join(card, 'etc/camfw/hostapd.conf'), 'ssid=camera\n');
    fs.mkdirSync(fat);
    fs.writeFileSync(path.join(fat, 'camfw-wifi.txt'), text);
    fs.writeFileSync(path.join(fat, 'NETWORK-FALLBACK.txt'), 'the last try failed\n');
    const PATH = await cardToolbox(busybox, CAMERAS.fang.kernel);
    const r = await run(['qemu-arm', '-cpu', 'arm926', '-E', `PATH=${PATH}`, busybox, 'sh', script, card, path.join(fat, 'camfw-wifi.txt'), path.join(fat, 'NETWORK-FALLBACK.txt')], { cwd: dir, allowFail: true });
    const conf = path.join(card, 'etc/wpa_supplicant.conf');
    return {
      r,
      dir,
      fat,
      conf: fs.existsSync(conf) ? fs.readFileSync(conf, 'utf8') : undefined,
      mode: fs.existsSync(conf) ? (fs.statSync(conf).mode & 0o777).toString(8) : undefined,
      ownNetwork: fs.existsSync(path.join(card, 'etc/camfw/hostapd.conf')),
    };
  }

  test("a file from Windows (CR LF) becomes wpa_supplicant.conf, mode 600, and is deleted with the fallback record; the camera's own network is switched off", async () => {
    const { r, fat, conf, mode, ownNetwork } = await take('# my network\r\nssid=Caf\u00e9 "home" \\ net\r\npsk=correct horse battery staple\r\ncountry=DE\r\n');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(conf, 'ctrl_interface=/var/run/wpa_supplicant\ncountry=DE\nnetwork={\n\tssid="Caf\u00e9 "home" \\ net"\n\tpsk="correct horse battery staple"\n}\n');
    assert.equal(mode, '600');
    assert.deepEqual(fs.readdirSync(fat), []);
    assert.match(r.stdout, /Wi-Fi settings taken from camfw-wifi\.txt/);
    assert.equal(ownNetwork, false);
    assert.match(r.stdout, /the camera's own network is switched off/);
  });

  test('wrong or hostile files are refused with the reason beside them, nothing runs, nothing is written', async () => {
    const cases: Array<[string, RegExp]> = [
      ['ssid=home\npsk=short\n', /psk= must be the WPA2 passphrase, 8 to 63/],
      ['ssid=\npsk=long enough pass\n', /ssid= must be the network's name/],
      [`ssid=${'x'.repeat(33)}\npsk=long enough pass\n`, /1 to 32 bytes \(it is 33\)/],
      ['ssid=home\npsk=long enough pass\ncountry=de\n', /country= must be two capital letters/],
      ['ssid=home\npsk=long enough pass\n$(touch pwned)\n', /a line that is not ssid=/],
      ['ssid=home\npsk=pass\tword here\n', /printable ASCII/],
      [`ssid=home\npsk=${'x'.repeat(64)}\n`, /8 to 63 characters \(it is 64 bytes\)/],
    ];
    for (const [text, why] of cases) {
      const { r, dir, fat, conf, ownNetwork } = await take(text);
      assert.equal(r.code, 1, text);
      assert.ok(ownNetwork, text);
      assert.match(r.stdout, why, text);
      assert.equal(conf, undefined, text);
      assert.match(fs.readFileSync(path.join(fat, 'camfw-wifi-error.txt'), 'utf8'), why, text);
      assert.ok(fs.existsSync(path.join(fat, 'camfw-wifi.txt')) && fs.existsSync(path.join(fat, 'NETWORK-FALLBACK.txt')), text);
      assert.ok(!fs.existsSync(path.join(dir, 'pwned')), text);
    }
    // a value with shell metacharacters is only text: it becomes the network's name
    const { r, conf } = await take('ssid=$(touch pwned)\npsk=`touch pwned`; "x"\n');
    assert.equal(r.code, 0, r.stdout);
    assert.match(conf ?? '', /\tssid="\$\(touch pwned\)"\n\tpsk="`touch pwned`; "x""\n/);
  });
});
