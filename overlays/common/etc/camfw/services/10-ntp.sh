#!/bin/sh
# ntp: the camera's clock from the network (BusyBox ntpd, which keeps trying until the
# network and its DNS answer).
# usage: busybox sh 10-ntp.sh CARD_DIR start|stop|restart|status|boot
SERVICE_NAME=ntp
SERVICE_BACKOFF_MAX=60
SERVICE_SETTINGS="CAMFW_SERVICE_NTP"
service_run() {
	exec ntpd -n -p "$CAMFW_NTP_SERVER"
}
# shellcheck source=../service.sh
. "${1:?usage: busybox sh 10-ntp.sh CARD_DIR ACTION}/etc/camfw/service.sh"
