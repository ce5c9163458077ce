#!/bin/sh
# /init of the emulated YI Home: plays the stock /home/init.sh for camfw's card.
. /etc/firmware-common.sh

# The stock firmware's name for the card's partition.
ln -s "${CARD}1" /dev/hd1

# The flash /home with the stock programs, when the test gives one (a second disk): the
# YI's home partition is JFFS2 on SPI NOR with 64 KiB erase blocks (yi.md §6:
# mtdparts ...,9088k(home),...; GD25Q128); block2mtd makes the disk that flash.
mkdir -p /home
if [ -n "$FLASH" ]; then
	echo "/dev/$FLASH,65536" > /sys/module/block2mtd/parameters/block2mtd
	MTD=$(sed -n "s|^mtd\([0-9]*\):.*\"block2mtd: /dev/$FLASH\"\$|\1|p" /proc/mtd)
	mount -t jffs2 "/dev/mtdblock$MTD" /home && echo "camfw-test: stock /home mounted (JFFS2 on mtd$MTD)"
fi

mkdir -p /home/hd1
mount -t vfat /dev/hd1 /home/hd1

# The stock hook, verbatim in substance: run the card's script and end init.sh there.
if [ -f "/home/hd1/test/equip_test.sh" ]; then
	echo "camfw-test: init.sh runs /home/hd1/test/equip_test.sh"
	/home/hd1/test/equip_test.sh
fi
sync

echo "camfw-test: boot finished"
card_surface lighttpd
cat /tmp/camfw.log 2>/dev/null
echo "camfw-test: card log shown"
while true; do sleep 3600; done
