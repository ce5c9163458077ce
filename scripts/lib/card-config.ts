import crypto from 'node:crypto';
import { rtmpTarget, type CamfwConfig } from './config.ts';
import type { Camera } from './cameras.ts';

function shellQuote(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

function shellAssignments(values: Record<string, string | number | boolean>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${shellQuote(typeof v === 'boolean' ? (v ? '1' : '0') : String(v))}`)
    .join('\n') + '\n';
}

/** PBKDF2-HMAC-SHA256 rounds of the web password: what camfw-api uses (recipes/camfw-api/auth.c). */
export const WEB_PASSWORD_ROUNDS = 50000;

/**
 * The line of etc/camfw/web.passwd that camfw-api checks logins against:
 * USER:pbkdf2-sha256:ROUNDS:SALT:HASH, with a random 16-byte salt. A card built with a
 * password is therefore not bit-identical to another build; without one, the card has no
 * such file and the camera asks for the password on first visit.
 */
export function webPasswdLine(user: string, password: string, salt: Buffer = crypto.randomBytes(16)): string {
  const hash = crypto.pbkdf2Sync(password, salt, WEB_PASSWORD_ROUNDS, 32, 'sha256');
  return `${user}:pbkdf2-sha256:${WEB_PASSWORD_ROUNDS}:${salt.toString('hex')}:${hash.toString('hex')}\n`;
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
export function configFiles(config: CamfwConfig, camera: Camera): CardFile[] {
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
          CAMFW_NTP_SERVER: config.ntpServer,
          // what the web UI may change on this camera (camfw-api's settings.c)
          CAMFW_FEATURES: camera.webFeatures.join(' '),
          // the camera's own Wi-Fi network (access point), where its stock hostapd can run one
          ...(camera.hostapdDriver ? { CAMFW_HOSTAPD_DRIVER: camera.hostapdDriver } : {}),
          CAMFW_WEB_PORT: config.web.port,
          CAMFW_WEB_NAMES: config.web.names,
          CAMFW_VIDEO_RESOLUTION: config.video.resolution,
          CAMFW_VIDEO_FPS: config.video.fps,
          CAMFW_VIDEO_BITRATE_KBPS: config.video.bitrateKbps,
          CAMFW_VIDEO_TIMESTAMP: config.video.timestamp,
          CAMFW_VIDEO_FLIP: config.video.flip,
          CAMFW_VIDEO_MIRROR: config.video.mirror,
          CAMFW_VIDEO_IR: config.video.ir,
          CAMFW_STREAM_INPUT: camera.streamInput,
          ...(camera.streamInputSd ? { CAMFW_STREAM_INPUT_SD: camera.streamInputSd, CAMFW_STREAM_QUALITY: 'hd' } : {}),
          CAMFW_RECORD_SEGMENT_SECONDS: config.record.segmentSeconds,
          CAMFW_RECORD_KEEP_FREE_MB: config.record.keepFreeMb,
          ...Object.fromEntries(Object.entries(config.services).map(([k, v]) => [`CAMFW_SERVICE_${k.toUpperCase()}`, v])),
        }),
    },
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
  if (config.web.password) files.push({ rel: 'etc/camfw/web.passwd', what: 'web login', secret: true, content: webPasswdLine(config.web.user, config.web.password) });
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
