# The Xiaofang's stock hostapd, built for the 8188eu's rtl871xdrv driver (fang-hacks.md
# §1.4; fang-hacks' 01-network ran `hostapd -B` for its access-point mode, §2.6), as
# camfw's card calls it: hostapd -B -P PIDFILE CONF. It reads CONF as hostapd 0.8 does
# and refuses what that one refuses: an unknown item, another driver, a bad SSID, channel
# or key, WPA without a key, an interface that is not there. Then it holds the radio as
# the camera's own network for as long as it runs; the test's phone (/etc/stock/phone/,
# radio.sh) joins it when the name and key are the ones the phone was given.
. /etc/stock/radio.sh
PIDFILE=""
CONF=""
while [ $# -gt 0 ]; do
	case "$1" in
		-P) PIDFILE="$2"; shift ;;
		-*) ;;
		*) CONF="$1" ;;
	esac
	shift
done
say() { echo "$*"; echo "stock-hostapd: $*" > /dev/console; }
if [ ! -r "$CONF" ]; then
	say "Could not open configuration file '$CONF' for reading."
	exit 1
fi
errors=0
fault() {
	say "Line $n: $1"
	errors=$((errors + 1))
}
n=0 iface="" ssid="" channel="" wpa=0 psk="" passphrase=""
while IFS= read -r line || [ -n "$line" ]; do
	n=$((n + 1))
	case "$line" in
		'#'* | '') continue ;;
		*=*) ;;
		*) fault "invalid line '$line'"; continue ;;
	esac
	key="${line%%=*}" value="${line#*=}"
	case "$key" in
		interface) iface="$value" ;;
		driver) [ "$value" = rtl871xdrv ] || fault "invalid/unknown driver '$value'" ;;
		ssid)
			len=$(printf '%s' "$value" | wc -c)
			if [ "$len" -lt 1 ] || [ "$len" -gt 32 ]; then fault "invalid SSID '$value'"; else ssid="$value"; fi
			;;
		channel) channel="$value" ;;
		hw_mode) case "$value" in b | g) ;; *) fault "unknown hw_mode '$value'" ;; esac ;;
		wpa) wpa="$value" ;;
		wpa_psk)
			case "$value" in
				*[!0-9a-fA-F]*) fault "Invalid PSK '$value'." ;;
				*) [ "${#value}" = 64 ] && psk="$value" || fault "Invalid PSK '$value'." ;;
			esac
			;;
		wpa_passphrase)
			if [ "${#value}" -lt 8 ] || [ "${#value}" -gt 63 ]; then fault "invalid WPA passphrase length ${#value} (expected 8..63)"; else passphrase="$value"; fi
			;;
		country_code | ieee80211d | wpa_key_mgmt | wpa_pairwise | rsn_pairwise | ctrl_interface | auth_algs | macaddr_acl | ignore_broadcast_ssid | beacon_int) ;;
		*) fault "unknown configuration item '$key'" ;;
	esac
done < "$CONF"
if [ "$wpa" != 0 ] && [ -z "$psk" ] && [ -z "$passphrase" ]; then
	say "WPA-PSK enabled, but PSK or passphrase is not configured."
	errors=$((errors + 1))
fi
if [ "$errors" -gt 0 ]; then
	say "$errors errors found in configuration file '$CONF'"
	exit 1
fi
if [ -z "$iface" ] || [ ! -e "/sys/class/net/$iface" ]; then
	say "ioctl[SIOCGIFINDEX]: No such device"
	exit 1
fi
case "$channel" in
	[1-9] | 1[0-3]) ;;
	*) say "Could not select hw_mode and channel. (-3)"; exit 1 ;;
esac
[ -z "$PIDFILE" ] || echo $$ > "$PIDFILE"
phone=/etc/stock/phone
joined=ap-alone
if [ -e "$phone/ssid" ] && radio_same "\"$ssid\"" "$phone/ssid" "$phone/ssid.hex"; then
	if { [ -n "$psk" ] && radio_same "$psk" "$phone/passphrase" "$phone/psk.hex"; } || { [ -n "$passphrase" ] && radio_same "\"$passphrase\"" "$phone/passphrase" "$phone/psk.hex"; }; then
		joined=ap
	fi
fi
radio_take "$iface" "$joined"
say "Using interface $iface with ssid '$ssid' on channel $channel"
[ "$joined" = ap ] && say "$iface: the phone joins (WPA: pairwise key handshake completed)"
# -B returns once the network is up (standin.c, fd 9)
sleep 1.5
{ echo initialised >&9; } 2> /dev/null
exec 9>&-
while true; do sleep 3600; done
