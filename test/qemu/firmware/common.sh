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

# the card is the first virtio disk; wait for its partitions
i=0
while [ ! -b /dev/vda1 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -b /dev/vda1 ] || echo "camfw-test: no card (/dev/vda1)"

ifconfig lo 127.0.0.1 up
ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up
route add default gw 10.0.2.2
echo "camfw-test: stock firmware up"
