#!/bin/sh
# camfw entry point on the Xiaomi Xiaofang. The stock hotplug script
# (/etc/hotplug/sdcard) mounts the card's vfat partition at /media/$MDEV and runs
# this file; the programs live on the ext2 partition next to it.
[ -n "${MDEV:-}" ] || exit 0

DISK="${MDEV%p1}"
P1="/media/$MDEV"
P2DEV="/dev/${DISK}p2"
P2="/media/${DISK}p2"

exec >>/tmp/camfw.log 2>&1
echo "camfw: autorun from $P1"

# The web page asked to grow the data partition to the card (the note camfw-resize): its
# filesystem grows now, unmounted, before camfw runs from it (bootstrap/grow-data.sh).
if [ -e "$P1/camfw-resize" ]; then
	sh "$P1/bootstrap/grow-data.sh" "$P1" "$P2DEV" "$P2"
fi

# The stock hotplug mounts ext2 partitions too, but may not have reached p2 yet.
if ! grep -q " $P2 " /proc/mounts; then
	mkdir -p "$P2"
	if ! mount -t ext2 "$P2DEV" "$P2"; then
		echo "camfw: cannot mount $P2DEV on $P2"
		exit 1
	fi
fi

ROOT="$P2/data"
CAMFW_ROOT="$ROOT"
# $RUN, root's own, and the card's tools on PATH
# shellcheck source=../p2/data/etc/camfw/env.sh
. "$ROOT/etc/camfw/env.sh"
# shellcheck source=../p2/data/etc/camfw/network.sh
. "$ROOT/etc/camfw/network.sh"

# Wi-Fi settings written on this partition from a computer (camfw-wifi.txt) replace the card's
"$ROOT/bin/busybox" sh "$ROOT/etc/camfw/wifi-file.sh" "$ROOT" "$P1/camfw-wifi.txt" "$P1/NETWORK-FALLBACK.txt"

# Rescue, asked for with an empty file on this partition (a computer can write it; the
# ext2 partition it cannot): RESET-PASSWORD forgets the web password, so that the next
# visit from the camera's own network sets a new one, and is deleted; RESCUE-TELNET starts
# telnet (login: the web page's user and password) at every boot while it is there.
if [ -e "$P1/RESET-PASSWORD" ]; then
	rm -f "$ROOT/etc/camfw/web.passwd" "$P1/RESET-PASSWORD"
	sync
	echo "camfw: rescue: RESET-PASSWORD on the card: the web password is forgotten; the next visit sets a new one"
fi
if [ -e "$P1/RESCUE-TELNET" ]; then
	: > "$RUN/rescue-telnet"
	echo "camfw: rescue: RESCUE-TELNET on the card: telnet starts at this boot"
fi

# The cloud app owns Wi-Fi on this camera: camfw takes the network, and then stops the
# cloud apps, only when the card has Wi-Fi settings (the build configuration's, or saved
# from the web UI) or the camera's own network (take-network.sh). Otherwise the cloud apps
# keep running, and with them the stock Boa on port 80.
if [ -e "$P1/KEEP-CLOUD" ]; then
	echo "KEEP-CLOUD on the card" > "$RUN/cloud-kept"
elif [ -e "$P1/NETWORK-FALLBACK.txt" ]; then
	echo "camfw's Wi-Fi settings failed before (NETWORK-FALLBACK.txt on the card)" > "$RUN/cloud-kept"
elif [ ! -f "$ROOT/etc/wpa_supplicant.conf" ] && [ ! -f "$ROOT/etc/camfw/hostapd.conf" ]; then
	echo "no Wi-Fi settings in the build configuration" > "$RUN/cloud-kept"
else
	"$ROOT/bin/busybox" sh "$ROOT/etc/camfw/take-network.sh" "$ROOT" "$P1" >> /tmp/camfw.log 2>&1 &
fi
if [ -e "$RUN/cloud-kept" ]; then
	# the web UI may still try Wi-Fi settings, and camfw takes over when they work (net-try.sh)
	if [ -e "$P1/KEEP-CLOUD" ]; then
		net_setup kept wlan0 wpa_supplicant "" "$P1/NETWORK-FALLBACK.txt"
	else
		net_setup cloud wlan0 wpa_supplicant "" "$P1/NETWORK-FALLBACK.txt"
	fi
	echo "camfw: the cloud app keeps the network: $(cat "$RUN/cloud-kept")"
	echo "camfw: stock: the cloud apps run and keep the network: $(cat "$RUN/cloud-kept")"
fi
exec "$ROOT/bin/busybox" sh "$ROOT/etc/camfw/start.sh" "$ROOT"
