#!/bin/sh
# /init of the emulated Xiaomi Xiaofang 3.0.3.56: the stock rcS and rc.local, the cloud
# app that owns Wi-Fi, the watchdog and Boa, then the mdev hotplug that runs the card's
# snx_autorun.sh (../shared/reference/fang-hacks.md §2).
. /etc/firmware-common.sh

# The camera's names for the card.
ln -s "$CARD" /dev/mmcblk0
ln -s "${CARD}1" /dev/mmcblk0p1
ln -s "${CARD}2" /dev/mmcblk0p2

# rcS (fang-hacks.md §2.3, its stock part): the drivers, the Wi-Fi among them
# (mt7601Usta / 8188eu: here the board's network card, which the uevent helper names
# wlan0), and snx_wdt, loaded for the cloud app that feeds it. softdog stands in for
# snx_wdt: nobody feeding it for 8 s reboots the camera, and the emulator exits.
{ insmod /lib/modules/mii.ko && insmod /lib/modules/smc91x.ko; } || echo "camfw-test: no Wi-Fi driver"
insmod /lib/modules/softdog.ko soft_margin=8 || echo "camfw-test: no softdog"
# rc.local: the hostname and the loopback
hostname iSmartAlarm
ifconfig lo 127.0.0.1 up

# The cloud apps (stand-ins): iCamera joins the paired network, starts Boa on port 80 and
# feeds the watchdog; miio_client talks to the cloud.
/usr/bin/iCamera &
/usr/bin/miio_client &
# Boa holds port 80 before the card is looked at.
n=0
while ! netstat -ltn | grep -q ':80 ' && [ "$n" -lt 50 ]; do
	sleep 0.2
	n=$((n + 1))
done
echo "camfw-test: cloud running: [$(pidof iCamera miio_client boa)]"
# The owner puts the card in once the camera has booted (the blue LED stops flashing: the
# cloud app is on its network), as fang-hacks and camfw's README ask: the hotplug sees the
# card once iCamera has its address (at most 30 s: a camera out of its network's range).
n=0
while ! ifconfig wlan0 2> /dev/null | grep -q 'inet addr:' && [ "$n" -lt 150 ]; do
	sleep 0.2
	n=$((n + 1))
done
echo "camfw-test: the card goes in; the cloud app has [$(ifconfig wlan0 2> /dev/null | sed -n 's/.*inet addr:\([0-9.]*\).*/\1/p')]"

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
card_surface lighttpd
cat /tmp/camfw.log 2>/dev/null
sleep 3
echo "camfw-test: cloud left: [$(pidof iCamera miio_client boa)]"
cat /tmp/camfw.log 2>/dev/null
stock_idle
