#!/bin/sh
# Starts camfw's services from the card. Run by the camera's entry script as
#   busybox sh start.sh CARD_DIR
# where CARD_DIR holds bin/, usr/, etc/ and www/. Each service is a file of
# etc/camfw/services/ (its init script, see etc/camfw/service.sh), booted in the order of
# their names; the supervisor restarts any that exits.
set -u

CAMFW_ROOT="${1:?usage: start.sh CARD_DIR}"
export CAMFW_ROOT
# shellcheck source=env.sh
. "$CAMFW_ROOT/etc/camfw/env.sh"

echo "camfw: $(head -n 1 "$CAMFW_ROOT/etc/camfw/build.txt" 2>/dev/null)"
# shellcheck source=/dev/null
. "$CAMFW_ROOT/etc/camfw/settings.conf"
hostname "$CAMFW_HOSTNAME" || echo "camfw: cannot set the hostname $CAMFW_HOSTNAME"

for service in "$CAMFW_ROOT"/etc/camfw/services/*.sh; do
	[ -f "$service" ] || continue
	"$CAMFW_ROOT/bin/busybox" sh "$service" "$CAMFW_ROOT" boot
done
echo "camfw: services booted"
