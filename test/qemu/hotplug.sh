#!/bin/sh
# The kernel's uevent helper in the emulated cameras (/proc/sys/kernel/hotplug): the
# network card that the Wi-Fi driver stand-in registers gets the camera's Wi-Fi name.
if [ "$ACTION" = add ] && [ "$SUBSYSTEM" = net ] && [ "$INTERFACE" = eth0 ] && [ -s /etc/stock/wifi-ifname ]; then
	/usr/bin/ifrename eth0 "$(cat /etc/stock/wifi-ifname)"
fi
