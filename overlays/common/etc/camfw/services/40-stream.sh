#!/bin/sh
# stream: avworker-min reads the camera's own RTSP stream and pushes it to the RTMP server
# (services.rtmp; the target and its key are in etc/camfw/stream.conf, which nothing
# shows) and records it in segments beside the card directory (services.record). Its
# state is $RUN/stream.json. On a camera with two streams, streamQuality "sd" (the web
# UI's setting) pushes and records the smaller one.
# usage: busybox sh 40-stream.sh CARD_DIR start|stop|restart|status|boot
SERVICE_NAME=stream
SERVICE_BACKOFF_MAX=60
# on when it pushes or records
SERVICE_SETTINGS="CAMFW_SERVICE_RTMP CAMFW_SERVICE_RECORD"
service_check() {
	if [ "$CAMFW_SERVICE_RTSP" != 1 ]; then
		echo "it reads the camera's RTSP stream, which is off in the configuration"
		return 1
	fi
}
service_run() {
	input="$CAMFW_STREAM_INPUT"
	# a camera with two streams (the YI) may push the smaller one
	if [ "${CAMFW_STREAM_QUALITY:-hd}" = sd ] && [ -n "${CAMFW_STREAM_INPUT_SD:-}" ]; then
		input="$CAMFW_STREAM_INPUT_SD"
	fi
	set -- --config "$CAMFW_ROOT/etc/camfw/stream.conf" --input="$input" --status="$RUN/stream.json"
	if [ "$CAMFW_SERVICE_RECORD" = 1 ]; then
		mkdir -p "$RECORD_DIR"
		set -- "$@" --record="$RECORD_DIR" --segment-seconds="$CAMFW_RECORD_SEGMENT_SECONDS" --keep-free-mb="$CAMFW_RECORD_KEEP_FREE_MB"
	fi
	exec avworker-min "$@"
}
# shellcheck source=../service.sh
. "${1:?usage: busybox sh 40-stream.sh CARD_DIR ACTION}/etc/camfw/service.sh"
