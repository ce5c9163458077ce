# camfw's network, sourced by the camera's boot scripts: joins Wi-Fi with the camera's own
# wpa_supplicant, gets an address by DHCP, and watches the route to the gateway. When the
# Wi-Fi settings it was given get no route to the gateway for NET_GRACE seconds, it falls
# back once to the camera's stock behaviour (the caller's FALLBACK function) and writes
# why to NET_RECORD on the card, so the owner can always reach the camera and can see
# what happened.
#
# usage: camfw_network CARD_DIR IFACE WPA_SUPPLICANT CONF WHOSE [FALLBACK [ON_UP]]
#   WHOSE     whose settings CONF holds, for the log
#   FALLBACK  function run once when CONF gives no route for NET_GRACE s; it may call
#             net_join again with the stock settings
#   ON_UP     function run once, when the gateway first answers
# NET_RECORD (default CARD_DIR/NETWORK-FALLBACK.txt) is where the fallback is recorded.

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

# Stops the wpa_supplicant and udhcpc that net_join started.
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
	mkdir -p "$NET_RUN"
	echo "camfw: network: joining Wi-Fi on $iface with $whose ($conf)"
	if ! "$wpa" -B -i "$iface" -c "$conf" -P "$NET_RUN/wpa_supplicant.pid"; then
		echo "camfw: network: $wpa did not start"
		return 1
	fi
	# the camera's name goes to the DHCP server (settings.conf: CAMFW_HOSTNAME)
	if [ -n "${CAMFW_HOSTNAME:-}" ]; then
		set -- -x "hostname:$CAMFW_HOSTNAME"
	else
		set --
	fi
	udhcpc -i "$iface" -s "$root/etc/camfw/udhcpc.script" -p "$NET_RUN/udhcpc.pid" -b -t 5 -T 2 -A 5 "$@"
}

camfw_network() {
	root="$1" iface="$2" wpa="$3" conf="$4" whose="$5" fallback="${6:-}" on_up="${7:-}"
	record="${NET_RECORD:-$root/NETWORK-FALLBACK.txt}"
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
	net_join "$root" "$iface" "$wpa" "$conf" "$whose"
	since=$(cut -d. -f1 /proc/uptime)
	state=waiting
	while true; do
		now=$(cut -d. -f1 /proc/uptime)
		if net_gateway_ok "$iface"; then
			if [ "$state" != up ]; then
				echo "camfw: network: $iface reaches its gateway $(net_gateway "$iface") ($whose)"
				if [ -n "$on_up" ]; then
					"$on_up"
					on_up=""
				fi
			fi
			state=up
			since=$now
		elif [ "$state" = up ]; then
			echo "camfw: network: $iface lost its gateway"
			state=lost
		fi
		if [ $((now - since)) -ge "$NET_GRACE" ] && [ -n "$fallback" ]; then
			why="no route to the gateway on $iface for $NET_GRACE s with $whose"
			echo "camfw: network: $why: falling back to the camera's stock network"
			{
				echo "camfw fell back to the camera's stock network after $now s of uptime:"
				echo "$why."
				echo "Check the Wi-Fi name and passphrase in the build configuration; delete this file to let camfw try again."
			} > "$record"
			sync
			whose="the camera's stock network (fallback)"
			"$fallback"
			fallback=""
			since=$now
			state=waiting
		fi
		sleep 5
	done
}
