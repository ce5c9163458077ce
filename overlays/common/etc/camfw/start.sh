#!/bin/sh
# Starts camfw's services from the card. Run by the camera's entry script as
#   busybox sh start.sh CARD_DIR
# where CARD_DIR holds bin/, usr/, etc/ and www/.
set -u

CAMFW_ROOT="${1:?usage: start.sh CARD_DIR}"
export CAMFW_ROOT
# shellcheck source=env.sh
. "$CAMFW_ROOT/etc/camfw/env.sh"

echo "camfw: $(head -n 1 "$CAMFW_ROOT/etc/camfw/build.txt" 2>/dev/null)"
# shellcheck source=/dev/null
. "$CAMFW_ROOT/etc/camfw/settings.conf"
TZ="$CAMFW_TZ"
export TZ
hostname "$CAMFW_HOSTNAME" || echo "camfw: cannot set the hostname $CAMFW_HOSTNAME"
if [ "$CAMFW_SERVICE_NTP" = 1 ]; then
	# BusyBox ntpd keeps trying until the network and its DNS answer
	ntpd -p pool.ntp.org && echo "camfw: ntpd started (pool.ntp.org)"
fi

if [ "$CAMFW_SERVICE_WEB" != 1 ]; then
	echo "camfw: web UI disabled in the configuration"
	exit 0
fi
# The web server's port: web.port, except on a Xiaofang whose cloud app keeps the network
# (snx_autorun.sh says so in $RUN/cloud-kept): its stock Boa keeps port 80, and camfw's
# page moves to 8080.
web_port() {
	if [ -e "$RUN/cloud-kept" ] && [ "$CAMFW_WEB_PORT" = 80 ]; then
		echo 8080
	else
		echo "$CAMFW_WEB_PORT"
	fi
}

start_web() {
	port=$(web_port)
	CAMFW_WEB_PORT="$port" lighttpd -f "$CAMFW_ROOT/etc/lighttpd.conf" || return 1
	echo "camfw: lighttpd started on port $port (pid $(cat "$RUN/lighttpd.pid" 2> /dev/null))"
}

echo "camfw: starting lighttpd"
if start_web; then
	exit 0
fi
# The port may not be free yet (the stock Boa stops once camfw has taken the network):
# keep trying for 3 minutes, in the background, so the boot goes on.
echo "camfw: lighttpd could not start on port $(web_port) yet (see $RUN/lighttpd-error.log); trying again for 3 minutes"
(
	n=0
	while [ "$n" -lt 90 ]; do
		sleep 2
		start_web && exit 0
		n=$((n + 1))
	done
	echo "camfw: lighttpd failed to start; see $RUN/lighttpd-error.log"
) &
