#!/bin/sh
# image: the picture's settings in the Sonix ISP, which the RTSP server opens: the
# timestamp overlay, flip and mirror through the vendor tool snx_isp_ctl (the options
# fang-hacks forks used), and day or night. The IR mode "auto" follows the light sensor
# every 3 s as fang-hacks' fang-ir-control.sh does after its heat fix: the IR-cut filter
# gets a pulse when it moves, not a steady current (fang-hacks.md §3, commit 47e320c);
# night is black and white with the IR LEDs on. "day" and "night" hold one.
# usage: busybox sh 35-image.sh CARD_DIR start|stop|restart|status|boot
SERVICE_NAME=image
SERVICE_BACKOFF_MAX=30
ISP_CTL=usr/bin/snx_isp_ctl
# the picture's settings go with the RTSP server that opens the ISP
SERVICE_SETTINGS="CAMFW_SERVICE_RTSP"
service_check() {
	if [ ! -x "$CAMFW_ROOT/$ISP_CTL" ]; then
		echo "no $ISP_CTL on the card: the picture keeps its settings (give the file to the build with --vendor-dir)"
		return 1
	fi
	if [ ! -d "$RUN/service/rtsp" ]; then
		echo "it starts with the RTSP server, which opens the ISP"
		return 1
	fi
}
isp() {
	LD_LIBRARY_PATH="$CAMFW_ROOT/usr/lib" "$CAMFW_ROOT/$ISP_CTL" -c 0 "$@"
}
on_off() {
	if [ "$1" = 1 ]; then echo 1; else echo 0; fi
}
# the IR-cut filter (gpio_ms1 pin 2) pulsed to the other side, then held at the LEDs' level
night() {
	isp --filterset-sat 0
	gpio_ms1 -n 2 -m 1 -v 0
	gpio_aud write 1 0 1
	gpio_ms1 -n 2 -m 1 -v 1
	log_line "night: IR on, black and white"
}
day() {
	gpio_ms1 -n 2 -m 1 -v 1
	gpio_aud write 1 0 0
	gpio_ms1 -n 2 -m 1 -v 0
	isp --filterset-sat 64
	log_line "day: IR off, colour"
}
service_run() {
	n=0
	while ! pidof snx_rtsp_server > /dev/null; do
		[ "$n" -lt 120 ] || exit 1
		sleep 1
		n=$((n + 1))
	done
	ts=$(on_off "$CAMFW_VIDEO_TIMESTAMP")
	isp --osdset-en "$ts" --osdset-ts "$ts"
	isp --sensorset-flip "$(on_off "$CAMFW_VIDEO_FLIP")" --sensorset-mir "$(on_off "$CAMFW_VIDEO_MIRROR")"
	log_line "timestamp $ts, flip $(on_off "$CAMFW_VIDEO_FLIP"), mirror $(on_off "$CAMFW_VIDEO_MIRROR"), IR $CAMFW_VIDEO_IR"
	# the light sensor is an input (gpio_aud pin 2), the IR LEDs an output (pin 0), off
	gpio_ms1 -n 2 -m 1 -v 0
	gpio_aud write 1 1 0
	gpio_aud write 0 2 1
	gpio_aud write 1 0 0
	case "$CAMFW_VIDEO_IR" in
		day | night)
			"$CAMFW_VIDEO_IR"
			while true; do sleep 3600; done
			;;
	esac
	state=
	while true; do
		# 1: light, 0: dark
		light=$(gpio_aud read 2)
		if [ "$light" = 0 ] && [ "$state" != night ]; then
			night
			state=night
		elif [ "$light" = 1 ] && [ "$state" != day ]; then
			day
			state=day
		fi
		sleep 3
	done
}
# shellcheck source=../service.sh
. "${1:?usage: busybox sh 35-image.sh CARD_DIR ACTION}/etc/camfw/service.sh"
