#!/bin/sh
# camfw entry point on the Xiaomi Xiaofang. The stock hotplug script
# (/etc/hotplug/sdcard) mounts the card's vfat partition at /media/$MDEV and runs
# this file; the programs live on the ext2 partition next to it.
[ -n "${MDEV:-}" ] || exit 0

DISK="${MDEV%p1}"
P2DEV="/dev/${DISK}p2"
P2="/media/${DISK}p2"

exec >>/tmp/camfw.log 2>&1
echo "camfw: autorun from /media/$MDEV"

# The stock hotplug mounts ext2 partitions too, but may not have reached p2 yet.
if ! grep -q " $P2 " /proc/mounts; then
	mkdir -p "$P2"
	if ! mount -t ext2 "$P2DEV" "$P2"; then
		echo "camfw: cannot mount $P2DEV on $P2"
		exit 1
	fi
fi

ROOT="$P2/data"
# The cloud programs are stopped in the background: they may start after this runs.
"$ROOT/bin/busybox" sh "$ROOT/etc/camfw/stop-cloud.sh" "$ROOT" "/media/$MDEV" >> /tmp/camfw.log 2>&1 &
exec "$ROOT/bin/busybox" sh "$ROOT/etc/camfw/start.sh" "$ROOT"
