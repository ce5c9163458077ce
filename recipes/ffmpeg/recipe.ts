import { configureMakeBuild } from '../../scripts/lib/builders.ts';
import type { BuildOptions, Recipe } from '../../scripts/lib/recipe.ts';

/**
 * Exactly the components a camera needs to take its own RTSP stream (H.264 with AAC or
 * G.711) and remux it, with stream copy, to RTMP/FLV and to MP4, MOV or MPEG-TS segment
 * files. The h264 decoder is there only because stream probing needs it to learn the
 * picture size.
 */
export const FFMPEG_COMPONENTS = {
  protocol: ['file', 'pipe', 'tcp', 'udp', 'rtp', 'rtmp'],
  demuxer: ['rtsp', 'sdp', 'flv', 'mov', 'mpegts'],
  muxer: ['flv', 'mp4', 'mov', 'mpegts', 'segment'],
  parser: ['h264', 'aac'],
  bsf: ['h264_mp4toannexb', 'aac_adtstoasc', 'extract_extradata'],
  decoder: ['h264'],
};

/** What the optional ffmpeg program adds: transcoding G.711 to AAC for RTMP ingests that want AAC. */
const CLI_COMPONENTS = {
  decoder: ['pcm_alaw', 'pcm_mulaw', 'aac'],
  encoder: ['aac'],
  filter: ['aresample', 'aformat', 'anull'],
};

function componentArgs(components: Record<string, string[]>): string[] {
  return Object.entries(components).map(([kind, names]) => `--enable-${kind}=${names.join(',')}`);
}

export const ffmpeg: Recipe = {
  name: 'ffmpeg',
  version: '5.1.9',
  license: 'LGPL-2.1-or-later',
  licenseFiles: ['COPYING.LGPLv2.1', 'LICENSE.md'],
  source: {
    url: 'https://ffmpeg.org/releases/ffmpeg-5.1.9.tar.xz',
    sha256: 'd9b593bb2ba93d4b50f74177e0cdcd41747e708596367deed0c30348a71dd176',
    debian: 'ffmpeg',
  },
  usesOptions: ['ffmpegCli'],
  programs: (o: BuildOptions) => (o.ffmpegCli ? [{ path: 'usr/bin/ffmpeg', smoke: ['-hide_banner', '-version'] }] : []),
  async build(ctx) {
    const cli = ctx.options.ffmpegCli;
    await configureMakeBuild(ctx, {
      args: [
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
        '--disable-doc',
        '--disable-debug',
        '--disable-programs',
        '--disable-avdevice',
        '--disable-swscale',
        '--disable-postproc',
        ...(cli ? ['--enable-ffmpeg'] : ['--disable-avfilter', '--disable-swresample']),
        '--enable-small',
        '--disable-runtime-cpudetect',
        '--disable-armv6',
        '--disable-armv6t2',
        '--disable-vfp',
        '--disable-neon',
        ...componentArgs(FFMPEG_COMPONENTS),
        ...(cli ? componentArgs(CLI_COMPONENTS) : []),
        // a misspelt component name is otherwise only a warning
        '--fatal-warnings',
      ],
    });
  },
};
