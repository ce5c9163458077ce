# The stock wpa_supplicant (yi.md §2d: /home/wpa_supplicant -B -i ra0 -c CONF), against
# the one access point the test has: it associates when CONF's first network names it
# (ssid="..." or hex) with its key (psk="passphrase" or the 64-hex PSK), as wpa_supplicant
# reads them; anything else never connects. The firmware model puts the radio link up
# while this runs associated (see stock-common.sh).
IFACE=""
CONF=""
PIDFILE=""
while [ $# -gt 0 ]; do
	case "$1" in
		-i) IFACE="$2"; shift ;;
		-i*) IFACE="${1#-i}" ;;
		-c) CONF="$2"; shift ;;
		-c*) CONF="${1#-c}" ;;
		-P) PIDFILE="$2"; shift ;;
	esac
	shift
done
say() { echo "wpa_supplicant: $*"; echo "stock-wifi: $*" > /dev/console; }
if [ ! -e "/sys/class/net/$IFACE" ]; then
	say "Could not read interface $IFACE flags: No such device"
	exit 1
fi
if [ ! -r "$CONF" ]; then
	say "Failed to open config file '$CONF'"
	exit 1
fi
[ -z "$PIDFILE" ] || echo $$ > "$PIDFILE"
AP=/etc/stock/wifi
value() {
	awk -v key="$1" '/^[ \t]*network[ \t]*=[ \t]*\{/ { n = 1; next }
		n && /^[ \t]*\}/ { exit }
		n { line = $0; sub(/^[ \t]*/, "", line); if (index(line, key "=") == 1) { print substr(line, length(key) + 2); exit } }' "$CONF"
}
ssid=$(value ssid)
psk=$(value psk)
case "$ssid" in
	\"*\") raw="${ssid#\"}"; raw="${raw%\"}"; [ "$raw" = "$(cat "$AP/ssid")" ] && ssid_ok=1 ;;
	*) [ "$(echo "$ssid" | tr A-F a-f)" = "$(cat "$AP/ssid.hex")" ] && ssid_ok=1 ;;
esac
if [ -z "${ssid_ok:-}" ]; then
	say "$IFACE: no network $ssid in range"
else
	case "$psk" in
		\"*\") raw="${psk#\"}"; raw="${raw%\"}"; [ "$raw" = "$(cat "$AP/passphrase")" ] && key_ok=1 ;;
		*) [ "$(echo "$psk" | tr A-F a-f)" = "$(cat "$AP/psk.hex")" ] && key_ok=1 ;;
	esac
	if [ -n "${key_ok:-}" ]; then
		mkdir -p /tmp/.stock
		echo "$$ $IFACE" > /tmp/.stock/wifi-associated
		say "$IFACE: CTRL-EVENT-CONNECTED - Connection to $ssid completed"
	else
		say "$IFACE: WPA: 4-Way Handshake failed - pre-shared key may be incorrect"
	fi
fi
while true; do sleep 3600; done
