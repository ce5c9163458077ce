#!/bin/sh
# rtsp: the Sonix RTSP server (the vendor file usr/bin/snx_rtsp_server) with the video
# settings of the configuration; its stream is rtsp://CAMERA/unicast. It needs the
# encoder, which the cloud app holds until it is stopped ("frees the ISP/encoder for
# RTSP": fang-hacks.md §2.6): take-network.sh starts this service once camfw has the
# network and stops the cloud app.
# usage: busybox sh 30-rtsp.sh CARD_DIR start|stop|restart|status|boot
SERVICE_NAME=rtsp
SERVICE_BACKOFF_MAX=30
SERVER=usr/bin/snx_rtsp_server
SERVICE_SETTINGS="CAMFW_SERVICE_RTSP"
service_check() {
	if [ ! -x "$CAMFW_ROOT/$SERVER" ]; then
		echo "no $SERVER on the card: the camera has no RTSP stream (give it to the build with --vendor-dir)"
		return 1
	fi
	if [ -e "$RUN/cloud-kept" ]; then
		echo "the cloud app keeps the encoder: $(cat "$RUN/cloud-kept")"
		return 1
	fi
	if pidof iCamera iSC3S > /dev/null && [ ! -e "$RUN/cloud-stopping" ]; then
		echo "the cloud app holds the encoder; camfw starts the RTSP server once it has the network and has stopped the cloud app"
		return 1
	fi
}
service_run() {
	n=0
	while pidof iCamera iSC3S > /dev/null && [ "$n" -lt 60 ]; do
		sleep 1
		n=$((n + 1))
	done
	if pidof iCamera iSC3S > /dev/null; then
		echo "the cloud app still holds the encoder after 60 s"
		exit 1
	fi
	width="${CAMFW_VIDEO_RESOLUTION%x*}"
	height="${CAMFW_VIDEO_RESOLUTION#*x}"
	log_line "starting snx_rtsp_server, ${width}x${height} at $CAMFW_VIDEO_FPS fps and $CAMFW_VIDEO_BITRATE_KBPS kbit/s: rtsp://CAMERA/unicast"
	LD_LIBRARY_PATH="$CAMFW_ROOT/usr/lib"
	export LD_LIBRARY_PATH
	exec "$CAMFW_ROOT/$SERVER" -W "$width" -H "$height" -F "$CAMFW_VIDEO_FPS" -b "$CAMFW_VIDEO_BITRATE_KBPS"
}
# shellcheck source=../service.sh
. "${1:?usage: busybox sh 30-rtsp.sh CARD_DIR ACTION}/etc/camfw/service.sh"
