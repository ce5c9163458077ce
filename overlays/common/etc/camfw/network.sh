# camfw's network, sourced by the camera's boot script: joins Wi-Fi with the camera's own
# wpa_supplicant, gets an address by DHCP, and watches the route to the gateway. When the
# card's Wi-Fi settings give no route to the gateway for NET_GRACE seconds, it falls back,
# once per boot, to the camera's stock network (the network it was paired with), writes
# why to NETWORK-FALLBACK.txt on the card, and stays there, so the owner can always reach
# the camera.
#
# usage: camfw_network CARD_DIR IFACE WPA_SUPPLICANT STOCK_CONF

NET_RUN=/tmp/camfw/net
NET_GRACE=60

# The default gateway of $1, from the routing table; empty without one.
net_gateway() {
	route -n | awk -v dev="$1" '$1 == "0.0.0.0" && $8 == dev { print $2; exit }'
}

# True when the gateway of $1 answers: a ping reply, or its ARP entry resolved after the
# ping asked for it (routers that drop pings still answer ARP; a lost link fails both).
net_gateway_ok() {
	gw=$(net_gateway "$1")
	[ -n "$gw" ] || return 1
	ping -c 1 -W 2 "$gw" > /dev/null 2>&1 && return 0
	awk -v gw="$gw" -v dev="$1" '$1 == gw && $6 == dev && $3 == "0x2" { ok = 1 } END { exit !ok }' /proc/net/arp
}

net_stop() {
	for f in "$NET_RUN/udhcpc.pid" "$NET_RUN/wpa_supplicant.pid"; do
		pid=$(cat "$f" 2> /dev/null)
		case "$pid" in
			'' | *[!0-9]*) ;;
			*) kill "$pid" 2> /dev/null ;;
		esac
		rm -f "$f"
	done
	sleep 1
}

# Joins the network of wpa_supplicant.conf $4 on $2 and starts DHCP; $5 says whose it is.
net_join() {
	root="$1" iface="$2" wpa="$3" conf="$4" whose="$5"
	echo "camfw: network: joining Wi-Fi on $iface with $whose ($conf)"
	if ! "$wpa" -B -i "$iface" -c "$conf" -P "$NET_RUN/wpa_supplicant.pid"; then
		echo "camfw: network: $wpa did not start"
		return 1
	fi
	udhcpc -i "$iface" -s "$root/etc/camfw/udhcpc.script" -p "$NET_RUN/udhcpc.pid" -b -t 5 -T 2 -A 5
}

camfw_network() {
	root="$1" iface="$2" wpa="$3" stock_conf="$4"
	mkdir -p "$NET_RUN"
	n=0
	while [ ! -e "/sys/class/net/$iface" ] && [ "$n" -lt 20 ]; do
		sleep 0.5
		n=$((n + 1))
	done
	if [ ! -e "/sys/class/net/$iface" ]; then
		echo "camfw: network: no interface $iface after 10 s: the Wi-Fi driver did not load"
		return 1
	fi
	ifconfig "$iface" up
	if [ -f "$root/etc/wpa_supplicant.conf" ]; then
		whose="the card's Wi-Fi settings"
		net_join "$root" "$iface" "$wpa" "$root/etc/wpa_supplicant.conf" "$whose"
	else
		whose="the camera's own Wi-Fi settings"
		net_join "$root" "$iface" "$wpa" "$stock_conf" "$whose"
	fi
	since=$(cut -d. -f1 /proc/uptime)
	state=waiting
	while true; do
		now=$(cut -d. -f1 /proc/uptime)
		if net_gateway_ok "$iface"; then
			[ "$state" = up ] || echo "camfw: network: $iface reaches its gateway $(net_gateway "$iface") ($whose)"
			state=up
			since=$now
		elif [ "$state" = up ]; then
			echo "camfw: network: $iface lost its gateway"
			state=lost
		fi
		if [ $((now - since)) -ge "$NET_GRACE" ] && [ -z "${fell_back:-}" ] && [ -f "$root/etc/wpa_supplicant.conf" ]; then
			fell_back=1
			why="no route to the gateway on $iface for $NET_GRACE s with the card's Wi-Fi settings (etc/wpa_supplicant.conf)"
			echo "camfw: network: $why: back to the camera's own Wi-Fi settings ($stock_conf)"
			{
				echo "camfw went back to the camera's own Wi-Fi settings, after $now s of uptime:"
				echo "$why."
				echo "Check the Wi-Fi name and passphrase in the build configuration."
			} > "$root/NETWORK-FALLBACK.txt"
			sync
			net_stop
			whose="the camera's own Wi-Fi settings (fallback)"
			net_join "$root" "$iface" "$wpa" "$stock_conf" "$whose"
			since=$now
			state=waiting
		fi
		sleep 5
	done
}
