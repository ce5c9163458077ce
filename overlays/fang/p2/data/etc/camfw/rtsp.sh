#!/bin/sh
# Starts the Sonix RTSP server (the vendor file usr/bin/snx_rtsp_server) with the video
# settings of the build configuration, once the cloud app has let go of the encoder
# (stopping the cloud "frees the ISP/encoder for RTSP": fang-hacks.md §2.6). Its stream is
# rtsp://CAMERA/unicast.
#
# usage: busybox sh rtsp.sh CARD_DIR
set -u
ROOT="${1:?usage: rtsp.sh CARD_DIR}"
# shellcheck source=/dev/null
. "$ROOT/etc/camfw/settings.conf"
SERVER="$ROOT/usr/bin/snx_rtsp_server"

if [ "$CAMFW_SERVICE_RTSP" != 1 ]; then
	echo "camfw: RTSP is off in the configuration"
	exit 0
fi
if [ ! -x "$SERVER" ]; then
	echo "camfw: no usr/bin/snx_rtsp_server on the card: the camera has no RTSP stream (give it to the build with --vendor-dir)"
	exit 0
fi
n=0
while pidof iCamera iSC3S > /dev/null && [ "$n" -lt 60 ]; do
	sleep 1
	n=$((n + 1))
done
if pidof iCamera iSC3S > /dev/null; then
	echo "camfw: the cloud app still holds the encoder after 60 s: no RTSP stream"
	exit 1
fi
width="${CAMFW_VIDEO_RESOLUTION%x*}"
height="${CAMFW_VIDEO_RESOLUTION#*x}"
LD_LIBRARY_PATH="$ROOT/usr/lib" "$SERVER" -W "$width" -H "$height" -F "$CAMFW_VIDEO_FPS" -b "$CAMFW_VIDEO_BITRATE_KBPS" > /dev/null 2>&1 &
echo "camfw: started snx_rtsp_server, ${width}x${height} at $CAMFW_VIDEO_FPS fps and $CAMFW_VIDEO_BITRATE_KBPS kbit/s (pid $!): rtsp://CAMERA/unicast"
