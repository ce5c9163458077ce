#!/bin/sh
# /init of the emulated YI Home 1.8.5.1L: the stock /home/init.sh up to its SD-card hook,
# which runs the card's test/equip_test.sh and then exits (../shared/reference/yi.md §2a).
# Everything after the hook (the Wi-Fi driver, wpa_supplicant, DHCP, rmm, rtspsvr,
# watch_process) is the card's job: nothing here brings the network up.
. /etc/firmware-common.sh

# The stock firmware's name for the card's partition.
ln -s "${CARD}1" /dev/hd1

# /home: JFFS2 on SPI NOR with 64 KiB erase blocks (yi.md §6: mtdparts ...,9088k(home),...;
# GD25Q128); block2mtd makes the second disk that flash.
mkdir -p /home
if [ -n "$FLASH" ]; then
	echo "/dev/$FLASH,65536" > /sys/module/block2mtd/parameters/block2mtd
	MTD=$(sed -n "s|^mtd\([0-9]*\):.*\"block2mtd: /dev/$FLASH\"\$|\1|p" /proc/mtd)
	mount -t jffs2 "/dev/mtdblock$MTD" /home && echo "camfw-test: stock /home mounted (JFFS2 on mtd$MTD)"
else
	echo "camfw-test: no home flash: the YI has no stock programs"
fi

# Loopback stays down: YI stream's CGI brings it up before it streams (yi.md §2c).
ifconfig lo down

# /home/init.sh, in the order yi.md §2a gives: tmpfs /tmp (done), the card on /home/hd1,
# the stale shared-memory file removed, then the hook, and `exit`.
init_sh() {
	mount -t tmpfs tmpfs /home/mmap_tmpfs
	mkdir -p /home/hd1
	mount -t vfat /dev/hd1 /home/hd1
	rm -f /home/mmap_tmpfs/mmap.info
	if [ -f "/home/hd1/test/equip_test.sh" ]; then
		echo "camfw-test: init.sh runs /home/hd1/test/equip_test.sh"
		/home/hd1/test/equip_test.sh
		exit
	fi
	echo "camfw-test: no card hook: the stock cloud boot would go on here (not modelled)"
}
(init_sh)
sync

echo "camfw-test: boot finished"
card_surface lighttpd
cat /tmp/camfw.log 2>/dev/null
echo "camfw-test: card log shown"
stock_idle
