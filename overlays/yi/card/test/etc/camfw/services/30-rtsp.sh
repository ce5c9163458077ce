#!/bin/sh
# rtsp: the YI's RTSP server, rtspsvr (a vendor file of the card: the stock 1.8.5.1L has
# none, yi.md §5). It reads the frames rmm puts in shared memory, so it starts after rmm
# (stock-boot.sh starts it at its place in the stock boot). Its streams are
# rtsp://CAMERA/ch0_0.h264 (1280x720) and ch0_1.h264 (640x360).
# usage: busybox sh 30-rtsp.sh CARD_DIR start|stop|restart|status|boot
SERVICE_NAME=rtsp
SERVICE_BACKOFF_MAX=30
SERVER=usr/bin/rtspsvr
SERVICE_SETTINGS="CAMFW_SERVICE_RTSP"
service_check() {
	if [ ! -x "$CAMFW_ROOT/$SERVER" ]; then
		echo "no $SERVER on the card: the camera has no RTSP stream (give the file to the build with --vendor-dir)"
		return 1
	fi
	if ! pidof rmm > /dev/null; then
		echo "rmm, which feeds it, is not running"
		return 1
	fi
}
service_run() {
	log_line "starting rtspsvr: rtsp://CAMERA/ch0_0.h264 and ch0_1.h264"
	exec "$CAMFW_ROOT/$SERVER"
}
# shellcheck source=../service.sh
. "${1:?usage: busybox sh 30-rtsp.sh CARD_DIR ACTION}/etc/camfw/service.sh"
