import crypto from 'node:crypto';
import { rtmpTarget, type CamfwConfig } from './config.ts';
import type { Camera } from './cameras.ts';

/** The realm of the web UI's HTTP authentication; part of every htdigest hash. */
export const WEB_REALM = 'camfw';

function shellQuote(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

function shellAssignments(values: Record<string, string | number | boolean>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${shellQuote(typeof v === 'boolean' ? (v ? '1' : '0') : String(v))}`)
    .join('\n') + '\n';
}

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function md5(...parts: Buffer[]): Buffer {
  const h = crypto.createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

/**
 * The Apache "$apr1$" MD5-crypt hash (salted, 1000 rounds), which lighttpd's htpasswd
 * backend checks without a crypto library. (Debian's musl has no crypt(), and lighttpd's
 * SHA-256 digests need one.)
 */
export function apr1(password: string, salt: string): string {
  const pw = Buffer.from(password);
  const s = Buffer.from(salt.slice(0, 8));
  const magic = Buffer.from('$apr1$');
  const alt = md5(pw, s, pw);
  const ctx: Buffer[] = [pw, magic, s];
  for (let n = pw.length; n > 0; n -= 16) ctx.push(alt.subarray(0, Math.min(n, 16)));
  for (let i = pw.length; i; i >>= 1) ctx.push(i & 1 ? Buffer.from([0]) : pw.subarray(0, 1));
  let final = md5(...ctx);
  for (let i = 0; i < 1000; i++) {
    const round: Buffer[] = [i & 1 ? pw : final];
    if (i % 3) round.push(s);
    if (i % 7) round.push(pw);
    round.push(i & 1 ? final : pw);
    final = md5(...round);
  }
  const to64 = (v: number, n: number) => {
    let out = '';
    for (; n > 0; n--, v >>= 6) out += ITOA64[v & 0x3f];
    return out;
  };
  const b = final;
  const encoded =
    to64((b[0] << 16) | (b[6] << 8) | b[12], 4) +
    to64((b[1] << 16) | (b[7] << 8) | b[13], 4) +
    to64((b[2] << 16) | (b[8] << 8) | b[14], 4) +
    to64((b[3] << 16) | (b[9] << 8) | b[15], 4) +
    to64((b[4] << 16) | (b[10] << 8) | b[5], 4) +
    to64(b[11], 2);
  return `$apr1$${s.toString()}$${encoded}`;
}

/**
 * The htpasswd line for the web login. The salt is derived from the login itself, so the
 * same configuration gives the same card (a random salt would change every build).
 */
export function htpasswdLine(user: string, password: string): string {
  const digest = crypto.createHmac('sha256', password).update(`camfw:${user}`).digest();
  const salt = Array.from(digest.subarray(0, 8), (x) => ITOA64[x & 0x3f]).join('');
  return `${user}:${apr1(password, salt)}\n`;
}

/**
 * The `ssid=` value of wpa_supplicant.conf: a quoted string, which wpa_supplicant takes
 * byte for byte up to the line's last quote, when the SSID is printable ASCII without `"`
 * and `\`; otherwise its UTF-8 bytes in hex, the form that carries any SSID exactly
 * (JSON escapes such as \" or \t are not what wpa_supplicant reads).
 */
export function wpaSsid(ssid: string): string {
  return /^[\x20-\x7e]+$/.test(ssid) && !/["\\]/.test(ssid) ? `"${ssid}"` : Buffer.from(ssid, 'utf8').toString('hex');
}

/** WPA2 PSK as wpa_supplicant derives it (PBKDF2-HMAC-SHA1, SSID as salt, 4096 rounds). */
export function wpaPsk(ssid: string, passphrase: string): string {
  return crypto.pbkdf2Sync(passphrase, ssid, 4096, 32, 'sha1').toString('hex');
}

export interface CardFile {
  /** Path below the card directory. */
  rel: string;
  /** Which setting it carries, for the manifest. */
  what: string;
  content: string;
  /** Derived from a secret: the manifest records the file but not its hash. */
  secret: boolean;
}

/**
 * The files the configuration puts on the card (below data/ on fang, test/ on yi): shell
 * settings for the camera's scripts, and the secrets in the form the camera needs them
 * (a password hash, a derived Wi-Fi key; the RTMP key must stay usable, so it is as given).
 */
export function configFiles(config: CamfwConfig, camera: Camera, webPassword: string): CardFile[] {
  const files: CardFile[] = [
    {
      rel: 'etc/camfw/settings.conf',
      what: 'settings',
      secret: false,
      content:
        '# camfw settings, from the build configuration. Sourced by the scripts in etc/camfw/,\n' +
        '# which use the variables (SC2034: shellcheck cannot see that from here).\n' +
        '# shellcheck disable=SC2034\n' +
        shellAssignments({
          CAMFW_HOSTNAME: config.hostname ?? `camfw-${camera.id}`,
          CAMFW_TZ: config.timezone,
          CAMFW_WEB_PORT: config.web.port,
          CAMFW_VIDEO_RESOLUTION: config.video.resolution,
          CAMFW_VIDEO_FPS: config.video.fps,
          CAMFW_VIDEO_BITRATE_KBPS: config.video.bitrateKbps,
          CAMFW_STREAM_INPUT: camera.streamInput,
          CAMFW_RECORD_SEGMENT_SECONDS: config.record.segmentSeconds,
          CAMFW_RECORD_KEEP_FREE_MB: config.record.keepFreeMb,
          ...Object.fromEntries(Object.entries(config.services).map(([k, v]) => [`CAMFW_SERVICE_${k.toUpperCase()}`, v])),
        }),
    },
    { rel: 'etc/lighttpd.htpasswd', what: 'web login', secret: true, content: htpasswdLine(config.web.user, webPassword) },
    {
      rel: 'etc/camfw/stream.conf',
      what: 'stream target',
      secret: true,
      content:
        '# avworker-min settings (etc/camfw/services/40-stream.sh): the RTMP target with its key,\n' +
        '# a secret, which nothing shows\n' +
        (config.stream && config.services.rtmp ? `rtmp=${rtmpTarget(config.stream)}\n` : ''),
    },
  ];
  if (config.wifi)
    files.push({
      rel: 'etc/wpa_supplicant.conf',
      what: 'wifi',
      secret: true,
      content: [
        'ctrl_interface=/var/run/wpa_supplicant',
        `country=${config.wifi.country}`,
        'network={',
        `\tssid=${wpaSsid(config.wifi.ssid)}`,
        `\tpsk=${wpaPsk(config.wifi.ssid, config.wifi.psk)}`,
        '}',
        '',
      ].join('\n'),
    });
  return files;
}
