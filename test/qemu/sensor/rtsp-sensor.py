# The image sensor and encoder behind the emulated cameras' RTSP servers: GStreamer's
# RTSP server (Debian's gir1.2-gst-rtsp-server-1.0), configured here, run by Debian's
# /usr/bin/python3. camfw's code never talks to it directly: the vendor RTSP stand-in in
# the guest relays the camera's 127.0.0.1:554 to it, as the vendor server would serve it.
#
# usage: /usr/bin/python3 rtsp-sensor.py SERVER...
#   SERVER = [PORT:]STREAM[+STREAM...]               one RTSP server, on PORT or a free port
#   STREAM = PATH=WIDTHxHEIGHT@FPS/AUDIO[/busy]
#   AUDIO  = aac | pcma | pcmu | none                8 kHz mono
#   busy   = a picture of noise: the encoder spends its whole bitrate (width x height x
#            fps / 20000 kbit/s), as a camera does on a detailed scene; default a ball
# Each server listens on 127.0.0.1; the ports are written to stderr as
# "rtsp-sensor: server N port P" once all listen. Encoding starts when a client plays a
# path and is shared by every client of it.
import re
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

AUDIO = {
    "aac": "avenc_aac bitrate=16000 ! rtpmp4gpay name=pay1 pt=97",
    "pcma": "alawenc ! rtppcmapay name=pay1 pt=8",
    "pcmu": "mulawenc ! rtppcmupay name=pay1 pt=0",
}
STREAM = re.compile(r"^(/[A-Za-z0-9_.]+)=(\d+)x(\d+)@(\d+)/(aac|pcma|pcmu|none)(/busy)?$")
SERVER = re.compile(r"^(?:(\d+):)?(.+)$")


def launch_line(width, height, fps, audio, busy):
    pattern = "snow" if busy else "ball"
    video = (
        f"videotestsrc is-live=true pattern={pattern} ! video/x-raw,width={width},height={height},framerate={fps}/1 "
        f"! x264enc speed-preset=ultrafast tune=zerolatency bitrate={max(64, width * height * fps // 20000)} key-int-max={fps * 2} "
        f"! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1"
    )
    if audio == "none":
        return f"( {video} )"
    return f"( {video} audiotestsrc is-live=true wave=sine freq=440 ! audio/x-raw,rate=8000,channels=1 ! {AUDIO[audio]} )"


def main(argv):
    if not argv:
        sys.exit("usage: rtsp-sensor.py PATH=WIDTHxHEIGHT@FPS/AUDIO[+PATH=...] ...")
    Gst.init(None)
    servers = []
    for spec in argv:
        server = GstRtspServer.RTSPServer()
        server.set_address("127.0.0.1")
        port, streams = SERVER.match(spec).groups()
        server.set_service(port or "0")
        mounts = server.get_mount_points()
        for stream in streams.split("+"):
            m = STREAM.match(stream)
            if not m:
                sys.exit(f"rtsp-sensor: bad stream {stream!r}: expected PATH=WIDTHxHEIGHT@FPS/AUDIO[/busy], e.g. /unicast=1280x720@30/pcma")
            path, width, height, fps, audio = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4)), m.group(5)
            factory = GstRtspServer.RTSPMediaFactory()
            factory.set_launch(launch_line(width, height, fps, audio, m.group(6) is not None))
            factory.set_shared(True)
            mounts.add_factory(path, factory)
        if server.attach(None) == 0:
            sys.exit(f"rtsp-sensor: cannot listen for {spec}")
        servers.append(server)
    for i, server in enumerate(servers):
        print(f"rtsp-sensor: server {i} port {server.get_bound_port()}", file=sys.stderr, flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main(sys.argv[1:])
