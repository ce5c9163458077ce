#!/bin/sh
# web: camfw's web UI, lighttpd in the foreground. Its port is web.port, except on a
# Xiaofang whose cloud app keeps the network (snx_autorun.sh says so in $RUN/cloud-kept):
# the stock Boa keeps port 80 there, and camfw's page moves to 8080. While the port is
# still taken (Boa stops once camfw has the network), lighttpd exits and the supervisor
# tries again within 8 s.
# usage: busybox sh 20-web.sh CARD_DIR start|stop|restart|status|boot
SERVICE_NAME=web
SERVICE_BACKOFF_MAX=8
SERVICE_SETTINGS="CAMFW_SERVICE_WEB"
service_run() {
	if [ -e "$RUN/cloud-kept" ] && [ "$CAMFW_WEB_PORT" = 80 ]; then
		CAMFW_WEB_PORT=8080
	fi
	# camfw-api lists the recordings there, and lighttpd sends them
	CAMFW_RECORD_DIR="$RECORD_DIR"
	export CAMFW_WEB_PORT CAMFW_RECORD_DIR
	mkdir -p "$RUN/log/web-access"
	printf 's65536\nn2\n' > "$RUN/log/web-access/config"
	log_line "starting lighttpd on port $CAMFW_WEB_PORT"
	exec lighttpd -D -f "$CAMFW_ROOT/etc/lighttpd.conf"
}
# shellcheck source=../service.sh
. "${1:?usage: busybox sh 20-web.sh CARD_DIR ACTION}/etc/camfw/service.sh"
