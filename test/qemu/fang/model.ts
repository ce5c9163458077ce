import type { EmulatedModel } from '../model.ts';

export const fang: EmulatedModel = {
  id: 'fang',
  // 64 MB with isp=10M vc=12M for the ISP and the video codec: Linux reports "36836k/36836k
  // available" (fang-hacks.md §5, dmesg of samtap/fang-hacks#243); 43 MB here leaves
  // 36940K available (see LINUX_RAM in model.ts)
  linuxRamMb: 43,
  // snx_rtsp_server -W 1920 -H 1080 ... -a as fang-hacks runs it: A-law audio (fang-hacks.md §4)
  sensor: ['/unicast=1920x1080@30/pcma'],
};
