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
			camfw_network "$ROOT" "$1" "$2" "$3" &
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
