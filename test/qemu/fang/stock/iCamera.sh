# iCamera, the Xiaofang's cloud app (firmware 3.x). It owns Wi-Fi: it joins the network
# paired in the Mi Home app (fang-hacks.md §2.4: NETWORK_MODE=0, "cloud app manages
# WiFi"), so the link goes when it goes; it starts Boa (fang_hacks.sh waits for iCamera,
# then for boa: §2.3); it feeds the Sonix watchdog, which the stock rcS loads only for it
# (§2.3).
. /etc/stock/radio.sh
pidof boa > /dev/null || /usr/boa/boa &
n=0
while [ ! -e /sys/class/net/wlan0 ] && [ "$n" -lt 50 ]; do
	sleep 0.2
	n=$((n + 1))
done
ifconfig wlan0 up
if radio_accepts /etc/stock/paired.conf; then
	radio_take wlan0 ok
	echo "iCamera: wlan0: $RADIO_SAYS" > /dev/console
	udhcpc -i wlan0 -s /etc/stock/default.script -b -t 5 -T 2 -A 5 > /dev/null 2>&1
else
	radio_take wlan0 fail
	echo "iCamera: wlan0: $RADIO_SAYS" > /dev/console
fi
exec 3> /dev/watchdog
while true; do
	printf . >&3
	sleep 1
done
