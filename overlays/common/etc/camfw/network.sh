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
#   ON_UP     function run once, when the gateway first answers with CONF's settings
#             (never after the fallback: the network that answers then is the stock one)
# NET_RECORD (default CARD_DIR/NETWORK-FALLBACK.txt) is where the fallback is recorded.
# The addresses come from DHCP, or from etc/camfw/network.conf when the owner set static
# ones in the web UI. With etc/camfw/hostapd.conf on the card (the owner chose the
# camera's own network in the web UI, where the camera has an access point), the camera
# runs its own network instead, and it works while hostapd runs.

NET_RUN=/tmp/camfw/net
NET_GRACE=60

# The default gateway of $1, from the routing table; empty without one.
net_gateway() {
	route -n | awk -v dev="$1" '$1 == "0.0.0.0" && $8 == dev { print $2; exit }'
}

# True when the gateway of $1 answers: a ping reply, or its ARP entry resolved after the
# ping asked for it (routers that drop pings still answer ARP; a lost link fails both).
# The entry is forgotten first: one learnt before the link went would still read as
# resolved.
net_gateway_ok() {
	gw=$(net_gateway "$1")
	[ -n "$gw" ] || return 1
	arp -d "$gw" -i "$1" > /dev/null 2>&1
	ping -c 1 -W 2 "$gw" > /dev/null 2>&1 && return 0
	awk -v gw="$gw" -v dev="$1" '$1 == gw && $6 == dev && $3 == "0x2" { ok = 1 } END { exit !ok }' /proc/net/arp
}

# The camera's own Wi-Fi network (access point): the camera is NET_AP_ADDRESS and gives
# out NET_AP_FIRST to NET_AP_LAST, fang-hacks' defaults (its udhcpd.conf,
# fang-hacks.md §3.3).
NET_AP_ADDRESS=192.168.0.1
NET_AP_FIRST=192.168.0.100
NET_AP_LAST=192.168.0.251

# Keeps the addresses, gateway and resolv.conf that $1 has now (the cloud app's), for
# net_give_back: udhcpc clears the interface's address when it starts, and the cloud
# app's DHCP client would not set it again before its lease is due for renewal (hours):
# the owner would be locked out.
net_keep_addresses() {
	mkdir -p "$NET_RUN"
	rm -f "$NET_RUN/kept" "$NET_RUN/kept-resolv.conf"
	kept_addr=$(ifconfig "$1" | sed -n 's/.*inet addr:\([0-9.]*\).*/\1/p')
	[ -n "$kept_addr" ] || return 0
	kept_mask=$(ifconfig "$1" | sed -n 's/.*Mask:\([0-9.]*\).*/\1/p')
	printf '%s %s %s\n' "$kept_addr" "${kept_mask:-255.255.255.0}" "$(net_gateway "$1")" > "$NET_RUN/kept"
	cp /tmp/resolv.conf "$NET_RUN/kept-resolv.conf" 2> /dev/null
}

# Sets the addresses net_keep_addresses kept on $1 again, if it kept any.
net_give_back() {
	read -r kept_addr kept_mask kept_gw < "$NET_RUN/kept" 2> /dev/null || return 0
	net_static "$1" "$kept_addr" "$kept_mask" "$kept_gw" ""
	# the cloud app's resolv.conf as it was, not only its name servers
	[ ! -f "$NET_RUN/kept-resolv.conf" ] || mv "$NET_RUN/kept-resolv.conf" /tmp/resolv.conf
	if net_gateway_ok "$1"; then
		echo "camfw: network: the cloud app's addresses are back ($kept_addr), and its gateway answers"
	else
		echo "camfw: network: the cloud app's addresses are back ($kept_addr), but its gateway does not answer yet"
	fi
}

# Stops the wpa_supplicant and udhcpc that net_join started, and the hostapd and udhcpd
# of net_ap_start.
net_stop() {
	for f in "$NET_RUN/udhcpc.pid" "$NET_RUN/wpa_supplicant.pid" "$NET_RUN/udhcpd.pid" "$NET_RUN/hostapd.pid"; do
		pid=$(cat "$f" 2> /dev/null)
		case "$pid" in
			'' | *[!0-9]*) ;;
			*) kill "$pid" 2> /dev/null ;;
		esac
		rm -f "$f"
	done
	sleep 1
}

# The addresses of $1 as network file $2 says (etc/camfw/network.conf, written by camfw-api
# with checked IPv4 addresses only): static when it sets CAMFW_NET_ADDRESS, otherwise DHCP.
net_address() {
	iface="$1" file="$2"
	CAMFW_NET_ADDRESS="" CAMFW_NET_NETMASK="" CAMFW_NET_GATEWAY="" CAMFW_NET_DNS=""
	# shellcheck source=/dev/null
	[ ! -f "$file" ] || . "$file"
	if [ -z "$CAMFW_NET_ADDRESS" ]; then
		# the camera's name goes to the DHCP server (settings.conf: CAMFW_HOSTNAME)
		if [ -n "${CAMFW_HOSTNAME:-}" ]; then
			set -- -x "hostname:$CAMFW_HOSTNAME"
		else
			set --
		fi
		udhcpc -i "$iface" -s "$CAMFW_ROOT/etc/camfw/udhcpc.script" -p "$NET_RUN/udhcpc.pid" -b -t 5 -T 2 -A 5 "$@"
		return
	fi
	echo "camfw: network: $iface: static addresses (etc/camfw/network.conf)"
	net_static "$iface" "$CAMFW_NET_ADDRESS" "$CAMFW_NET_NETMASK" "$CAMFW_NET_GATEWAY" "$CAMFW_NET_DNS"
}

# Sets address $2, netmask $3, gateway $4 and DNS servers $5 (space-separated) on $1 as a
# DHCP lease is set: by udhcpc's event script, which checks every value again.
net_static() {
	interface="$1" ip="$2" subnet="$3" router="$4" dns="$5" \
		"$CAMFW_ROOT/bin/busybox" sh "$CAMFW_ROOT/etc/camfw/udhcpc.script" bound
}

# Joins the network of wpa_supplicant.conf $4 on $2 and sets its addresses (network file $6,
# by default the card's etc/camfw/network.conf); $5 says whose settings they are.
net_join() {
	root="$1" iface="$2" wpa="$3" conf="$4" whose="$5" addresses="${6:-$1/etc/camfw/network.conf}"
	mkdir -p "$NET_RUN"
	echo "camfw: network: joining Wi-Fi on $iface with $whose ($conf)"
	if ! "$wpa" -B -i "$iface" -c "$conf" -P "$NET_RUN/wpa_supplicant.pid"; then
		echo "camfw: network: $wpa did not start"
		return 1
	fi
	net_address "$iface" "$addresses"
}

# Starts the camera's own Wi-Fi network of hostapd.conf $2 on $1: its address, the
# camera's stock hostapd (the Xiaofang's, driver=rtl871xdrv: fang-hacks.md §1.4 and
# §2.6, 01-network's mode 2) and BusyBox's udhcpd. Fails when hostapd does not start: a
# Wi-Fi chip its driver does not drive, or a configuration it refuses.
net_ap_start() {
	iface="$1" ap="$2"
	mkdir -p "$NET_RUN"
	echo "camfw: network: starting the camera's own Wi-Fi network on $iface ($ap)"
	ifconfig "$iface" "$NET_AP_ADDRESS" netmask 255.255.255.0 up
	if ! hostapd -B -P "$NET_RUN/hostapd.pid" "$ap"; then
		echo "camfw: network: hostapd did not start with $ap"
		ifconfig "$iface" 0.0.0.0
		return 1
	fi
	printf '%s\n' "interface $iface" "start $NET_AP_FIRST" "end $NET_AP_LAST" "max_leases 32" \
		"lease_file $NET_RUN/udhcpd.leases" "pidfile $NET_RUN/udhcpd.pid" \
		"option subnet 255.255.255.0" "option router $NET_AP_ADDRESS" "option lease 86400" > "$NET_RUN/udhcpd.conf"
	rm -f "$NET_RUN/udhcpd.leases"
	udhcpd "$NET_RUN/udhcpd.conf"
}

# The address of the first device that joined the camera's own network (udhcpd writes
# its leases at once); fails while none has.
net_ap_client() {
	[ -f "$NET_RUN/udhcpd.leases" ] || return 1
	dumpleases -f "$NET_RUN/udhcpd.leases" | awk 'NR > 1 && $2 ~ /^[0-9.]+$/ { print $2; found = 1; exit } END { exit !found }'
}

# The value of key $1 in $NET_RUN/setup (net_setup).
net_setting() {
	sed -n "s/^$1=//p" "$NET_RUN/setup" 2> /dev/null | head -n 1
}

# True when the network camfw runs on $1 works: the owner's answers at its gateway, or
# the camera's own has its hostapd running.
net_works() {
	if [ -n "$(net_setting ap)" ]; then
		pid=$(cat "$NET_RUN/hostapd.pid" 2> /dev/null)
		case "$pid" in
			'' | *[!0-9]*) return 1 ;;
		esac
		kill -0 "$pid" 2> /dev/null
		return
	fi
	net_gateway_ok "$1"
}

# Records how the camera's network runs, for the web UI's network changes (net-try.sh):
# MODE (card: camfw's own wpa_supplicant; cloud: the Xiaofang's cloud app holds Wi-Fi;
# kept: the owner asked the cloud app to keep it), the interface, the wpa_supplicant
# program and the settings it runs with, the file a fallback is recorded in, and the
# hostapd.conf of the camera's own network while it runs one (empty otherwise).
net_setup() {
	mkdir -p "$NET_RUN"
	printf 'mode=%s\niface=%s\nwpa=%s\nconf=%s\nrecord=%s\nap=%s\n' "$1" "$2" "$3" "$4" "$5" "${6:-}" > "$NET_RUN/setup.new"
	mv "$NET_RUN/setup.new" "$NET_RUN/setup"
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
	ap="$root/etc/camfw/hostapd.conf"
	if [ -f "$ap" ]; then
		whose="the camera's own network"
		net_setup card "$iface" "$wpa" "$conf" "$record" "$ap"
		net_ap_start "$iface" "$ap"
	else
		net_setup card "$iface" "$wpa" "$conf" "$record"
		net_join "$root" "$iface" "$wpa" "$conf" "$whose"
	fi
	since=$(cut -d. -f1 /proc/uptime)
	state=waiting
	while true; do
		now=$(cut -d. -f1 /proc/uptime)
		if [ -e "$NET_RUN/trying" ]; then
			# the web UI is trying new settings (net-try.sh): they are its to judge
			since=$now
		elif net_works "$iface"; then
			if [ "$state" != up ]; then
				if [ -n "$(net_setting ap)" ]; then
					echo "camfw: network: $iface: the camera's own Wi-Fi network runs, at $NET_AP_ADDRESS"
				else
					echo "camfw: network: $iface reaches its gateway $(net_gateway "$iface") ($whose)"
				fi
				if [ -n "$on_up" ]; then
					"$on_up"
					on_up=""
				fi
			fi
			state=up
			since=$now
		elif [ "$state" = up ]; then
			echo "camfw: network: $iface lost its gateway (or its hostapd)"
			state=lost
		fi
		if [ $((now - since)) -ge "$NET_GRACE" ] && [ -n "$fallback" ]; then
			if [ -n "$(net_setting ap)" ]; then
				why="no hostapd running on $iface for $NET_GRACE s with $whose"
			else
				why="no route to the gateway on $iface for $NET_GRACE s with $whose"
			fi
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
			on_up=""
			since=$now
			state=waiting
		fi
		sleep 5
	done
}
