#!/bin/sh
# /init of the emulated Xiaofang: plays the stock firmware's part for camfw's card.
. /etc/firmware-common.sh

# Wi-Fi is up before the card is seen and stays up, held by the firmware itself (pid 1).
# Not yet faithful: on the camera the cloud app iCamera owns Wi-Fi (fang-hacks.md §2).
{ insmod /lib/modules/mii.ko && insmod /lib/modules/smc91x.ko; } || echo "camfw-test: no network card driver"
ifconfig lo 127.0.0.1 up
ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up
route add default gw 10.0.2.2
echo "1 eth0" > /tmp/.stock/wifi-associated

# The camera's names for the card.
ln -s "$CARD" /dev/mmcblk0
ln -s "${CARD}1" /dev/mmcblk0p1
ln -s "${CARD}2" /dev/mmcblk0p2

# The stock rcS loads the Sonix watchdog for the cloud app, which feeds it
# (../shared/reference/fang-hacks.md §2.3: snx_wdt is loaded only when the cloud runs).
# softdog stands in for snx_wdt: nobody feeding it for 8 s reboots the camera, and the
# emulator exits (-no-reboot).
insmod /lib/modules/softdog.ko soft_margin=8 || echo "camfw-test: no softdog"

# The stock cloud programs, as stand-ins: iCamera feeds the watchdog, miio_client only runs.
printf '#!/bin/sh\nexec 3>/dev/watchdog\nwhile true; do printf . >&3; sleep 1; done\n' > /usr/bin/iCamera
printf '#!/bin/sh\nwhile true; do sleep 1; done\n' > /usr/bin/miio_client
for name in iCamera miio_client; do
	chmod 755 "/usr/bin/$name"
	"/usr/bin/$name" &
done
echo "camfw-test: cloud running: [$(pidof iCamera miio_client)]"

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
echo "camfw-test: cloud left: [$(pidof iCamera miio_client)]"
cat /tmp/camfw.log 2>/dev/null
while true; do sleep 3600; done
