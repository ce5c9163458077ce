#!/bin/sh
# /init of the emulated YI Home: plays the stock /home/init.sh for camfw's card.
. /etc/firmware-common.sh

# The stock firmware's name for the card's partition.
ln -s "${CARD}1" /dev/hd1

# The flash /home with the stock programs, when the test gives one (a second disk).
mkdir -p /home
if [ -n "$FLASH" ]; then
	mount -t ext2 "/dev/$FLASH" /home && echo "camfw-test: stock /home mounted"
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
while true; do sleep 3600; done
