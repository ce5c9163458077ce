#!/bin/sh
# Stops the stock cloud programs listed in cloud-stop.list once they are up (they may
# start after the card is seen, so this keeps looking for up to a minute). Nothing on the
# camera's flash is changed: they start again at the next boot without this card, and a
# file named KEEP-CLOUD on the card's first partition keeps them running.
#
# The cloud app feeds the camera's hardware watchdog (the stock rcS loads snx_wdt only
# for it). Its feeder is never stopped unless the watchdog will be fed: BusyBox's
# watchdog takes over /dev/watchdog the moment the app is gone, so the camera keeps its
# protection against hangs. Only if that fails is the watchdog module unloaded
# (cloud-stop.modules), as fang-hacks did.
#
# A stop that ended in a reboot (a watchdog nobody could feed, or a power cut) is
# counted in .cloud-stop-tries on the card; after two such boots in a row the cloud
# programs are kept and this says why, so the card can never hold the camera in a
# reboot loop. The count is cleared once the camera has run 90 s with the cloud stopped.
#
# usage: busybox sh stop-cloud.sh CARD_DIR BOOT_PARTITION_DIR
set -u
ROOT="${1:?usage: stop-cloud.sh CARD_DIR BOOT_PARTITION_DIR}"
P1="${2:?usage: stop-cloud.sh CARD_DIR BOOT_PARTITION_DIR}"
BB="$ROOT/bin/busybox"
PATH="$ROOT/bin:$ROOT/sbin:$ROOT/usr/bin:$ROOT/usr/sbin:$PATH"
LIST="$ROOT/etc/camfw/cloud-stop.list"
MODULES="$ROOT/etc/camfw/cloud-stop.modules"
TRIES="$P1/.cloud-stop-tries"
DEVICE=/dev/watchdog
# longer than any stock watchdog timeout (the Hi3518's default is 60 s)
SETTLED=90

if [ -e "$P1/KEEP-CLOUD" ]; then
	echo "camfw: cloud programs kept (KEEP-CLOUD on the card)"
	echo "camfw: stock: the cloud apps run: KEEP-CLOUD on the card's first partition keeps them"
	exit 0
fi

tries=$(cat "$TRIES" 2> /dev/null)
case "$tries" in
	'' | *[!0-9]*) tries=0 ;;
esac
if [ "$tries" -ge 2 ]; then
	echo "camfw: cloud programs kept: the last $tries boots that stopped them ended in a reboot; delete .cloud-stop-tries on the card to try again"
	echo "camfw: stock: the cloud apps run: stopping them ended in a reboot $tries times (delete .cloud-stop-tries on the card's first partition to try again)"
	exit 0
fi

if ! "$BB" --list | grep -qx watchdog; then
	echo "camfw: cloud programs kept: this BusyBox has no watchdog applet to feed the camera's watchdog"
	echo "camfw: stock: the cloud apps run: camfw's BusyBox cannot feed the camera's watchdog in their place"
	exit 0
fi

# Feeds the watchdog from now on; true once the feeder holds the device. The stopped app
# may not have let go of it yet, so this tries for a few seconds.
feed_watchdog() {
	n=0
	while [ $n -lt 5 ]; do
		"$BB" watchdog -F -T 60 -t 2 "$DEVICE" > /dev/null 2>&1 &
		feeder=$!
		sleep 1
		if kill -0 "$feeder" 2> /dev/null; then
			echo "camfw: feeding the watchdog (BusyBox watchdog, pid $feeder)"
			return 0
		fi
		n=$((n + 1))
	done
	return 1
}

# Unloads the watchdog modules; true when none of them is loaded any more.
unload_watchdog() {
	left=0
	while read -r module; do
		[ -n "$module" ] || continue
		grep -q "^$module " /proc/modules || continue
		if rmmod "$module"; then
			echo "camfw: unloaded $module"
		else
			left=1
		fi
	done < "$MODULES"
	return $left
}

stopped=0
looked=0
fed=0
while [ $looked -lt 30 ]; do
	found=0
	while read -r name; do
		[ -n "$name" ] || continue
		pidof "$name" > /dev/null || continue
		found=1
		if [ $stopped = 0 ]; then
			echo $((tries + 1)) > "$TRIES"
			sync
		fi
		killall -9 "$name" 2> /dev/null && stopped=$((stopped + 1)) && echo "camfw: stopped $name"
	done < "$LIST"
	if [ $found = 1 ] && [ $fed = 0 ] && [ -c "$DEVICE" ]; then
		fed=1
		if feed_watchdog; then
			:
		elif unload_watchdog; then
			echo "camfw: could not feed $DEVICE; unloaded the watchdog instead"
		else
			echo "camfw: could not feed $DEVICE nor unload the watchdog: the camera will reboot, and after two such boots the card keeps the cloud programs"
		fi
	fi
	# seen and stopped something, and nothing is left: done
	[ $found = 0 ] && [ $stopped -gt 0 ] && break
	looked=$((looked + 1))
	sleep 2
done

if [ $stopped = 0 ]; then
	echo "camfw: no cloud program running"
	exit 0
fi
echo "camfw: stock: the cloud apps (iCamera, miio_client, Boa...) are stopped while this card runs; the camera's flash is unchanged: remove the card, or put KEEP-CLOUD on its first partition, to keep them"
sleep "$SETTLED"
rm -f "$TRIES"
sync
exit 0
