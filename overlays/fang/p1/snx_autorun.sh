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

# Wi-Fi settings written on this partition from a computer (camfw-wifi.txt) replace the card's
"$ROOT/bin/busybox" sh "$ROOT/etc/camfw/wifi-file.sh" "$ROOT" "$P1/camfw-wifi.txt" "$P1/NETWORK-FALLBACK.txt"

# The cloud app owns Wi-Fi on this camera: camfw takes the network, and then stops the
# cloud apps, only when the build configuration gave Wi-Fi settings (take-network.sh).
# Otherwise the cloud apps keep running, and with them the stock Boa on port 80.
if [ -e "$P1/KEEP-CLOUD" ]; then
	echo "KEEP-CLOUD on the card" > "$RUN/cloud-kept"
elif [ -e "$P1/NETWORK-FALLBACK.txt" ]; then
	echo "camfw's Wi-Fi settings failed before (NETWORK-FALLBACK.txt on the card)" > "$RUN/cloud-kept"
elif [ ! -f "$ROOT/etc/wpa_supplicant.conf" ]; then
	echo "no Wi-Fi settings in the build configuration" > "$RUN/cloud-kept"
else
	"$ROOT/bin/busybox" sh "$ROOT/etc/camfw/take-network.sh" "$ROOT" "$P1" >> /tmp/camfw.log 2>&1 &
fi
if [ -e "$RUN/cloud-kept" ]; then
	echo "camfw: the cloud app keeps the network: $(cat "$RUN/cloud-kept")"
	echo "camfw: stock: the cloud apps run and keep the network: $(cat "$RUN/cloud-kept")"
fi
exec "$ROOT/bin/busybox" sh "$ROOT/etc/camfw/start.sh" "$ROOT"
