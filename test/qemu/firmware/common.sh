# Shared start of the emulated cameras' /init: what the stock kernel and rcS have done
# before the card is looked at. Sourced by fang.sh and yi.sh.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /tmp /var/run /media
mount -t tmpfs tmpfs /tmp

while read -r ko; do
	insmod "/lib/modules/$ko" || echo "camfw-test: insmod $ko failed"
done < /etc/modules

# The card is the virtio disk with a partition table; a test may add a second disk
# without one (the YI's flash /home). Virtio order is not the command line's.
CARD=""
i=0
while [ -z "$CARD" ] && [ $i -lt 50 ]; do
	for p in /dev/vd?1; do [ -b "$p" ] && CARD="${p#/dev/}" && CARD="${CARD%1}"; done
	[ -n "$CARD" ] || sleep 0.1
	i=$((i + 1))
done
[ -n "$CARD" ] || echo "camfw-test: no card (no /dev/vd?1)"
FLASH=""
for d in /dev/vd?; do [ -b "$d" ] && [ "${d#/dev/}" != "$CARD" ] && FLASH="${d#/dev/}"; done

ifconfig lo 127.0.0.1 up
ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up
route add default gw 10.0.2.2
echo "camfw-test: stock firmware up"
