#!/bin/sh
# camfw takes the Xiaofang's network from the cloud app, when the card has Wi-Fi settings:
# it joins that network itself (the camera's wpa_supplicant and udhcpc) while the cloud
# app still runs, and stops the cloud app (stop-cloud.sh) only once its own network
# reaches the gateway, as fang-hacks insists (the cloud app owns Wi-Fi: stopping it first
# leaves a camera nobody can reach, fang-hacks.md §2.4). With the camera's own network
# saved (etc/camfw/hostapd.conf, network.sh), the cloud app is stopped once hostapd runs.
#
# If camfw's network never reaches the gateway, it stops its own wpa_supplicant and
# udhcpc, gives the cloud app its addresses back (camfw's udhcpc cleared them) and leaves
# the network to it. If it loses the gateway for good after
# the cloud app was stopped, it reboots the camera: the cloud app comes back with the
# stock network, and NETWORK-FALLBACK.txt on the card's first partition, which says why,
# keeps camfw off the network until the owner deletes it.
#
# usage: busybox sh take-network.sh CARD_DIR BOOT_PARTITION_DIR
set -u
ROOT="${1:?usage: take-network.sh CARD_DIR BOOT_PARTITION_DIR}"
P1="${2:?usage: take-network.sh CARD_DIR BOOT_PARTITION_DIR}"
CAMFW_ROOT="$ROOT"
# shellcheck source=env.sh
. "$ROOT/etc/camfw/env.sh"
# shellcheck source=network.sh
. "$ROOT/etc/camfw/network.sh"
# shellcheck source=/dev/null
. "$ROOT/etc/camfw/settings.conf"
NET_RECORD="$P1/NETWORK-FALLBACK.txt"
RUN=/tmp/camfw

take_over() {
	: > "$RUN/cloud-stopping"
	echo "camfw: network: camfw's own Wi-Fi works: stopping the cloud apps"
	"$ROOT/bin/busybox" sh "$ROOT/etc/camfw/stop-cloud.sh" "$ROOT" "$P1" &
	# the RTSP server needs the encoder, which the cloud app holds until it is gone, and the
	# picture's settings go to the ISP it opens
	"$ROOT/bin/busybox" sh "$ROOT/etc/camfw/services/30-rtsp.sh" "$ROOT" boot
	"$ROOT/bin/busybox" sh "$ROOT/etc/camfw/services/35-image.sh" "$ROOT" boot
}

give_back() {
	if [ -e "$RUN/cloud-stopping" ]; then
		echo "camfw: network: rebooting, so that the cloud app brings the stock network back"
		sync
		reboot
	else
		net_stop
		net_give_back wlan0
		echo "camfw: network: the cloud app keeps the network"
		echo "camfw's Wi-Fi settings did not reach the gateway" > "$RUN/cloud-kept"
		echo "camfw: stock: the cloud apps run and keep the network: $(cat "$RUN/cloud-kept")"
	fi
}

# the cloud app's addresses, for give_back (the card goes in once the camera has booted,
# its cloud app on the network)
net_keep_addresses wlan0
camfw_network "$ROOT" wlan0 wpa_supplicant "$ROOT/etc/wpa_supplicant.conf" "the card's Wi-Fi settings" give_back take_over
