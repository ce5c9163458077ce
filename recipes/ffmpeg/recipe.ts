import { configureMakeBuild } from '../../scripts/lib/builders.ts';
import type { BuildContext, Recipe } from '../../scripts/lib/recipe.ts';

/**
 * Exactly the components a camera needs to take its own RTSP stream (H.264 with AAC or
 * G.711) and remux it, with stream copy, to RTMP/FLV and to MP4 or MOV files; MPEG-TS is
 * read too (files with AAC in ADTS). No decoder and no parser: avworker-min reads the
 * picture size from the SPS, gathers pictures and keyframes and splits ADTS frames itself.
 */
export const FFMPEG_COMPONENTS = {
  protocol: ['file', 'pipe', 'tcp', 'udp', 'rtp', 'rtmp'],
  demuxer: ['rtsp', 'sdp', 'mpegts'],
  muxer: ['flv', 'mp4', 'mov'],
  bsf: ['aac_adtstoasc'],
};

/**
 * What the optional ffmpeg program adds: the h264 decoder and parser its stream probing
 * and remuxing need, and transcoding G.711 to AAC for RTMP ingests that want AAC.
 */
export const CLI_COMPONENTS = {
  decoder: ['h264', 'pcm_alaw', 'pcm_mulaw', 'aac'],
  parser: ['h264', 'aac'],
  muxer: ['segment', 'mpegts'],
  encoder: ['aac'],
  filter: ['aresample', 'aformat', 'anull'],
};

function componentArgs(components: Record<string, string[]>): string[] {
  return Object.entries(components).map(([kind, names]) => `--enable-${kind}=${names.join(',')}`);
}

const SOURCE = {
  url: 'https://ffmpeg.org/releases/ffmpeg-5.1.9.tar.xz',
  sha256: 'd9b593bb2ba93d4b50f74177e0cdcd41747e708596367deed0c30348a71dd176',
  debian: 'ffmpeg',
};

/** configure for the camera: cross, static, nothing but `components` and what `extra` adds. */
function configure(ctx: BuildContext, components: Array<Record<string, string[]>>, extra: string[]): string[] {
  return [
    '--enable-cross-compile',
    `--cross-prefix=${ctx.tc.crossPrefix}`,
    '--arch=arm',
    '--cpu=armv5te',
    '--target-os=linux',
    '--pkg-config=pkg-config',
    `--extra-cflags=${ctx.env.CFLAGS}`,
    `--extra-ldflags=${ctx.env.LDFLAGS}`,
    '--enable-static',
    '--disable-shared',
    '--disable-everything',
    '--disable-autodetect',
    // only the MPEG-TS demuxer's service names use it, and musl's iconv is 150 KB
    '--disable-iconv',
    '--disable-doc',
    '--disable-debug',
    '--disable-avdevice',
    '--disable-swscale',
    '--disable-postproc',
    '--enable-small',
    '--disable-runtime-cpudetect',
    '--disable-armv6',
    '--disable-armv6t2',
    '--disable-vfp',
    '--disable-neon',
    ...extra,
    ...components.flatMap(componentArgs),
    // a misspelt component name is otherwise only a warning
    '--fatal-warnings',
  ];
}

/**
 * Debian's packaging of the same release: the CVE fixes are the 5.1.x point releases
 * themselves; its one patch is not taken.
 */
/** Applied to both builds: the ffmpeg program runs on the camera with the same RTSP client. */
const OWN_PATCHES = [{ file: 'rtp-camera-payloads.patch', why: 'only the RTP payload formats of IP cameras (H.264, AAC): 130 KB less in a static avworker-min' }];

const DEBIAN_PATCHES = {
  package: 'ffmpeg',
  version: '7:5.1.9-0+deb12u1',
  file: 'ffmpeg_5.1.9-0+deb12u1.debian.tar.xz',
  sha256: '71b20472ecd2764bc98e3229d34c0f7c8dcfe4a6cbacc23fd5604c23bac04632',
  apply: [],
  note: "Debian's one patch reverts an upstream range-coder change that broke Debian's test suite, in code these builds leave out; the CVE fixes are in 5.1.9 itself",
};

/** The libraries avworker-min links: the same bytes whether or not the ffmpeg program is built. */
export const ffmpeg: Recipe = {
  name: 'ffmpeg',
  version: '5.1.9',
  license: 'LGPL-2.1-or-later',
  licenseFiles: ['COPYING.LGPLv2.1', 'LICENSE.md'],
  source: SOURCE,
  debianPatches: DEBIAN_PATCHES,
  ownPatches: OWN_PATCHES,
  programs: [],
  async build(ctx) {
    await configureMakeBuild(ctx, { args: configure(ctx, [FFMPEG_COMPONENTS], ['--disable-programs', '--disable-avfilter', '--disable-swresample']) });
  },
};

/**
 * The ffmpeg program, for trying things on a camera (`--ffmpeg-cli`): its own build tree
 * with the transcoding components as well, so the libraries on the cards never change
 * with it. Not on the cards.
 */
export const ffmpegCli: Recipe = {
  name: 'ffmpeg-cli',
  dir: 'ffmpeg',
  version: '5.1.9',
  license: 'LGPL-2.1-or-later',
  licenseFiles: ['COPYING.LGPLv2.1', 'LICENSE.md'],
  source: SOURCE,
  debianPatches: DEBIAN_PATCHES,
  ownPatches: OWN_PATCHES,
  programs: [{ path: 'usr/bin/ffmpeg', smoke: ['-hide_banner', '-version'] }],
  async build(ctx) {
    await configureMakeBuild(ctx, {
      args: configure(ctx, [FFMPEG_COMPONENTS, CLI_COMPONENTS], ['--disable-ffprobe', '--disable-ffplay', '--enable-ffmpeg']),
      installTargets: ['install-progs'],
    });
  },
};
