#!/bin/sh
# The YI's stock boot after the SD-card hook, which the hook's `exit` leaves to the card:
# the steps in stock-boot.list (made from overlays/yi/stock-boot.json, where each step
# names its source), one per line, tab-separated: VERB ARG...
#
# usage: busybox sh stock-boot.sh CARD_DIR
set -u
ROOT="${1:?usage: stock-boot.sh CARD_DIR}"
LIST="$ROOT/etc/camfw/stock-boot.list"
CAMFW_ROOT="$ROOT"
# shellcheck source=env.sh
. "$ROOT/etc/camfw/env.sh"
# shellcheck source=network.sh
. "$ROOT/etc/camfw/network.sh"
# shellcheck source=/dev/null
. "$ROOT/etc/camfw/settings.conf"

# The fallback of camfw's network on the YI: what the stock init.sh would have done, the
# network the camera was paired with (the stock wpa_supplicant.conf).
yi_stock_network() {
	net_stop
	net_join "$ROOT" "$IFACE" "$WPA" "$STOCK_CONF" "the camera's own Wi-Fi settings (fallback)"
}

step_failed() {
	echo "camfw: stock step failed: $*"
}

tab=$(printf '\t')
while IFS= read -r line; do
	[ -n "$line" ] || continue
	# the list is camfw's own; fields are split on tabs only and never globbed
	set -f
	old_ifs=$IFS
	IFS=$tab
	# shellcheck disable=SC2086
	set -- $line
	IFS=$old_ifs
	set +f
	verb="$1"
	shift
	case "$verb" in
		loopback)
			ifconfig lo 127.0.0.1 up || step_failed "$verb"
			;;
		insmod)
			insmod "$1" || step_failed "$verb $1"
			;;
		network)
			IFACE="$1" WPA="$2" STOCK_CONF="$3"
			if [ -f "$ROOT/etc/wpa_supplicant.conf" ]; then
				camfw_network "$ROOT" "$IFACE" "$WPA" "$ROOT/etc/wpa_supplicant.conf" "the card's Wi-Fi settings" yi_stock_network &
			else
				camfw_network "$ROOT" "$IFACE" "$WPA" "$STOCK_CONF" "the camera's own Wi-Fi settings" &
			fi
			;;
		mqueue)
			mkdir -p /dev/mqueue
			{ mount -t mqueue none /dev/mqueue && echo 256 > /proc/sys/fs/mqueue/msg_max; } || step_failed "$verb"
			;;
		run)
			"$@" || step_failed "$verb $*"
			;;
		daemon)
			"$@" &
			echo "camfw: started $1 (pid $!)"
			;;
		service)
			"$ROOT/bin/busybox" sh "$ROOT/etc/camfw/services/$1.sh" "$ROOT" boot
			;;
		wait-file)
			n=0
			while [ ! -e "$1" ] && [ "$n" -lt "$2" ]; do
				sleep 1
				n=$((n + 1))
			done
			[ -e "$1" ] || step_failed "$verb $1: not there after $2 s"
			;;
		*)
			echo "camfw: unknown stock step \"$verb\" in $LIST"
			;;
	esac
done < "$LIST"
echo "camfw: stock boot steps done"
