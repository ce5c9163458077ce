#!/bin/sh
# Stops the stock cloud programs listed in cloud-stop.list, and then unloads the watchdog
# they feed (modules in cloud-stop.modules). Nothing on the camera's flash is changed:
# they start again at the next boot without this card. A file named KEEP-CLOUD on the
# card's first partition keeps them running. The cloud app may start after the card is
# seen, so this keeps looking for up to a minute.
#
# usage: busybox sh stop-cloud.sh CARD_DIR BOOT_PARTITION_DIR
set -u
ROOT="${1:?usage: stop-cloud.sh CARD_DIR BOOT_PARTITION_DIR}"
P1="${2:?usage: stop-cloud.sh CARD_DIR BOOT_PARTITION_DIR}"
PATH="$ROOT/bin:$ROOT/sbin:$ROOT/usr/bin:$ROOT/usr/sbin:$PATH"
LIST="$ROOT/etc/camfw/cloud-stop.list"
MODULES="$ROOT/etc/camfw/cloud-stop.modules"

if [ -e "$P1/KEEP-CLOUD" ]; then
	echo "camfw: cloud programs kept (KEEP-CLOUD on the card)"
	exit 0
fi

stopped=0
tries=0
while [ $tries -lt 30 ]; do
	found=0
	while read -r name; do
		[ -n "$name" ] || continue
		if pidof "$name" > /dev/null; then
			found=1
			killall -9 "$name" 2> /dev/null && stopped=$((stopped + 1)) && echo "camfw: stopped $name"
		fi
	done < "$LIST"
	# seen and stopped something, and nothing is left: done
	[ $found = 0 ] && [ $stopped -gt 0 ] && break
	tries=$((tries + 1))
	sleep 2
done

if [ $stopped -gt 0 ]; then
	while read -r module; do
		[ -n "$module" ] || continue
		grep -q "^$module " /proc/modules && rmmod "$module" && echo "camfw: unloaded $module"
	done < "$MODULES"
else
	echo "camfw: no cloud program running"
fi
exit 0
