#!/bin/sh
# Tries the network settings the web UI sent before anything is saved, so that a typo
# cannot lock the owner out (fang-hacks' rule: no change that leaves the camera
# unreachable). camfw-api checked them and wrote them to $RUN/net/candidate/:
# wpa_supplicant.conf (absent: keep the Wi-Fi network) and network.conf (DHCP or static),
# or hostapd.conf alone: the camera's own network (access point, where the camera has one).
#
# The camera leaves its network and joins with the new settings, or starts its own. When
# the gateway answers within TRY_SECONDS (for its own network: when a device joined it and
# took an address within AP_TRY_SECONDS, the time to pick up a phone and join), they are
# saved on the card (a temporary file, sync, rename) and the camera stays; on a Xiaofang
# whose cloud app held Wi-Fi, it restarts, and camfw then takes the network from the
# cloud app at boot (take-network.sh). Otherwise the camera goes back to the network it
# had, and nothing is saved. What happened is in $RUN/net/try (state=, reason=: our own
# words, for camfw-api) and the boot log.
#
# usage: busybox sh net-try.sh CARD_DIR
set -u
ROOT="${1:?usage: net-try.sh CARD_DIR}"
# camfw-api starts it with no output: what it does goes to the boot log
exec >> /tmp/camfw.log 2>&1
CAMFW_ROOT="$ROOT"
# shellcheck source=env.sh
. "$ROOT/etc/camfw/env.sh"
# shellcheck source=network.sh
. "$ROOT/etc/camfw/network.sh"
# shellcheck source=/dev/null
. "$ROOT/etc/camfw/settings.conf"
TRY_SECONDS=30
AP_TRY_SECONDS=120
CANDIDATE="$NET_RUN/candidate"
SAVED_AP="$ROOT/etc/camfw/hostapd.conf"

say() {
	printf 'state=%s\nreason=%s\nseconds=%s\n' "$1" "$2" "$try_seconds" > "$NET_RUN/try.new"
	mv "$NET_RUN/try.new" "$NET_RUN/try"
	echo "camfw: network: try: $1: $2"
}

# Runs the check $2... every 2 s until it succeeds, or fails once $1 s of the try have
# passed.
within() {
	limit="$1"
	shift
	while ! "$@"; do
		[ $(($(cut -d. -f1 /proc/uptime) - started)) -lt "$limit" ] || return 1
		sleep 2
	done
}

# Copies $1 to $2 on the card so that a power cut leaves the old file or the new one.
install_file() {
	cp "$1" "$2.new" && chmod 600 "$2.new" && sync && mv "$2.new" "$2" && sync
}

exec 7> "$NET_RUN/try.lock"
if ! flock -n 7; then
	echo "camfw: network: try: another try is running"
	exit 1
fi
# (network.sh's functions set root, iface, wpa and conf: these names are not theirs)
mode=$(net_setting mode)
try_iface=$(net_setting iface)
try_wpa=$(net_setting wpa)
saved_conf=$(net_setting conf)
fallback_record=$(net_setting record)
saved_ap=$(net_setting ap)
new_conf="$CANDIDATE/wpa_supplicant.conf"
[ -f "$new_conf" ] || new_conf="$saved_conf"
new_ap="$CANDIDATE/hostapd.conf"
[ -f "$new_ap" ] || new_ap=""
try_seconds=$TRY_SECONDS
[ -z "$new_ap" ] || try_seconds=$AP_TRY_SECONDS
case "$mode" in
	card) ;;
	cloud)
		if [ ! -f "$CANDIDATE/wpa_supplicant.conf" ] && [ -z "$new_ap" ]; then
			say failed "the cloud app holds Wi-Fi on this camera: give a Wi-Fi network for camfw to take over"
			exit 1
		fi
		;;
	kept)
		say failed "KEEP-CLOUD is on the card: the cloud app keeps the network until you delete it"
		exit 1
		;;
	*)
		say failed "the camera's network has not started yet: try again in a minute"
		exit 1
		;;
esac

# The cloud app's addresses, to give back when the try fails
[ "$mode" != cloud ] || net_keep_addresses "$try_iface"

: > "$NET_RUN/trying"
trap 'rm -f "$NET_RUN/trying"' EXIT
net_stop
ok=0
started=$(cut -d. -f1 /proc/uptime)
# the daemons it starts must not hold the try's lock (descriptor 7)
if [ -n "$new_ap" ]; then
	say trying "the camera's own network is up: join it within $try_seconds s"
	if net_ap_start "$try_iface" "$new_ap" 7>&-; then
		# (net_ap_client prints the device's address once there is one)
		client=$(within "$AP_TRY_SECONDS" net_ap_client) && ok=1
		why="no device joined the camera's own network within $try_seconds s"
	else
		why="the camera's hostapd did not start its own network (see the boot log)"
	fi
else
	say trying "joining with the new settings for up to $TRY_SECONDS s"
	if net_join "$ROOT" "$try_iface" "$try_wpa" "$new_conf" "the settings being tried" "$CANDIDATE/network.conf" 7>&- && within "$TRY_SECONDS" net_gateway_ok "$try_iface"; then
		ok=1
	fi
	why="no answer from a gateway within $TRY_SECONDS s with the new settings"
fi

if [ "$ok" = 1 ]; then
	if [ -n "$new_ap" ]; then
		install_file "$new_ap" "$SAVED_AP"
		saved="a device ($client) joined the camera's own network: it is saved"
	else
		[ ! -f "$CANDIDATE/network.conf" ] || install_file "$CANDIDATE/network.conf" "$ROOT/etc/camfw/network.conf"
		[ ! -f "$CANDIDATE/wpa_supplicant.conf" ] || install_file "$CANDIDATE/wpa_supplicant.conf" "$ROOT/etc/wpa_supplicant.conf"
		# the owner's Wi-Fi from now on, not the camera's own network
		rm -f "$SAVED_AP"
		sync
		saved="the gateway $(net_gateway "$try_iface") answered: the new settings are saved"
	fi
	# a fallback recorded before would keep camfw off the network at the next boot
	[ -z "$fallback_record" ] || rm -f "$fallback_record"
	rm -rf "$CANDIDATE"
	if [ "$mode" = cloud ]; then
		say restarting "${saved%%:*}: saved; the camera restarts to take the network from the cloud app"
		net_stop
		sync
		sleep 2
		reboot
		exit 0
	fi
	# the camera runs its own network from now on only when that is what was tried
	net_setup card "$try_iface" "$try_wpa" "$saved_conf" "$fallback_record" "${new_ap:+$SAVED_AP}"
	say saved "$saved"
	exit 0
fi

net_stop
rm -rf "$CANDIDATE"
if [ "$mode" = cloud ]; then
	net_give_back "$try_iface"
	say failed "$why: the cloud app keeps the network, nothing was saved"
	exit 1
fi
if [ -n "$saved_ap" ]; then
	net_ap_start "$try_iface" "$saved_ap" 7>&-
else
	net_join "$ROOT" "$try_iface" "$try_wpa" "$saved_conf" "the saved settings (the try failed)" 7>&-
fi
say failed "$why: back on the saved ones, nothing was saved"
exit 1
