#!/bin/sh
# stream: avworker-min reads the camera's own RTSP stream and pushes it to the RTMP server
# (services.rtmp; the target and its key are in etc/camfw/stream.conf, which nothing
# shows) and records it in segments beside the card directory (services.record). Its
# state is $RUN/stream.json.
# usage: busybox sh 40-stream.sh CARD_DIR start|stop|restart|status|boot
SERVICE_NAME=stream
SERVICE_BACKOFF_MAX=60
service_enabled() {
	[ "$CAMFW_SERVICE_RTMP" = 1 ] || [ "$CAMFW_SERVICE_RECORD" = 1 ]
}
service_check() {
	if [ "$CAMFW_SERVICE_RTSP" != 1 ]; then
		echo "it reads the camera's RTSP stream, which is off in the configuration"
		return 1
	fi
}
service_run() {
	set -- --config "$CAMFW_ROOT/etc/camfw/stream.conf" --input="$CAMFW_STREAM_INPUT" --status="$RUN/stream.json"
	if [ "$CAMFW_SERVICE_RECORD" = 1 ]; then
		# beside the card directory, on the card: /home/hd1/record, /media/mmcblk0p2/record
		record="${CAMFW_ROOT%/*}/record"
		mkdir -p "$record"
		set -- "$@" --record="$record" --segment-seconds="$CAMFW_RECORD_SEGMENT_SECONDS" --keep-free-mb="$CAMFW_RECORD_KEEP_FREE_MB"
	fi
	exec avworker-min "$@"
}
# shellcheck source=../service.sh
. "${1:?usage: busybox sh 40-stream.sh CARD_DIR ACTION}/etc/camfw/service.sh"
