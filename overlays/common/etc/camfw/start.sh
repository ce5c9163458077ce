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

if [ "$CAMFW_SERVICE_WEB" != 1 ]; then
	echo "camfw: web UI disabled in the configuration"
	exit 0
fi
echo "camfw: starting lighttpd on port $CAMFW_WEB_PORT"
if lighttpd -f "$CAMFW_ROOT/etc/lighttpd.conf"; then
	echo "camfw: lighttpd started (pid $(cat "$RUN/lighttpd.pid" 2>/dev/null))"
else
	echo "camfw: lighttpd failed to start; see $RUN/lighttpd-error.log"
	exit 1
fi
