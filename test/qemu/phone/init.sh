#!/bin/sh
# /init of the test's phone: a second emulated machine (the test kernel and camfw's
# BusyBox) whose Wi-Fi is the air link to the camera's own network (its first network
# card). It joins as a phone does: asks for an address by DHCP until it has one, and
# then lets the test reach the camera through it: its second network card, to the test
# host only, takes connections on ports 80 and 8080 and relays each to the same port of
# the router the camera's DHCP server named.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /tmp
mount -t tmpfs tmpfs /tmp
# the Wi-Fi first (eth0), then the line to the test host (eth1)
for m in mii smc91x failover net_failover virtio_net; do
	insmod "/lib/modules/$m.ko" || echo "phone: no module $m"
done
ifconfig lo 127.0.0.1 up
ifconfig eth1 10.0.2.15 netmask 255.255.255.0 up
ifconfig eth0 up
for port in 80 8080; do
	tcpsvd 0 "$port" sh /etc/relay.sh "$port" &
done
echo "phone: up"
joined=""
while true; do
	if [ -z "$joined" ] && udhcpc -i eth0 -s /etc/dhcp.script -n -q -t 3 -T 2 > /dev/null 2>&1; then
		joined=1
		echo "phone: joined: address $(cat /tmp/address) router $(cat /tmp/router)"
	fi
	sleep 2
done
