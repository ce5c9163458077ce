#!/bin/sh
# /init of the emulated Xiaofang: plays the stock firmware's part for camfw's card.
. /etc/firmware-common.sh

# The camera's names for the card.
ln -s "$CARD" /dev/mmcblk0
ln -s "${CARD}1" /dev/mmcblk0p1
ln -s "${CARD}2" /dev/mmcblk0p2

# What the stock mdev hotplug script (/etc/hotplug/sdcard) does for each partition:
# vfat is mounted and its snx_autorun.sh executed; ext2 is mounted.
for MDEV in mmcblk0p1 mmcblk0p2; do
	mkdir -p "/media/$MDEV"
	if mount -t vfat -o rw "/dev/$MDEV" "/media/$MDEV" 2>/dev/null; then
		if [ -f "/media/$MDEV/snx_autorun.sh" ]; then
			echo "camfw-test: hotplug runs /media/$MDEV/snx_autorun.sh"
			ACTION=add MDEV="$MDEV" "/media/$MDEV/snx_autorun.sh"
		fi
	else
		mount -t ext2 "/dev/$MDEV" "/media/$MDEV" 2>/dev/null || true
	fi
done

echo "camfw-test: boot finished"
cat /tmp/camfw.log 2>/dev/null
while true; do sleep 3600; done
