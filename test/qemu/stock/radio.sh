# The emulated cameras' radio, sourced by the programs that join Wi-Fi (the stock
# wpa_supplicant, the Xiaofang's cloud app). The test has one access point
# (/etc/stock/wifi/: its SSID and key in the forms wpa_supplicant reads) and may have a
# phone (/etc/stock/phone/, the same forms) that joins a network the camera makes itself
# (the Xiaofang's hostapd). A program that starts on the interface takes the radio; the link is up while the newest live one
# associated (stock-common.sh's radio loop turns that into QEMU's link state). When it
# ends, the radio goes back to the one before it, as a cloud app that keeps retrying would.

# Whether a wpa_supplicant.conf value $1, "quoted" (the text between the first and the last
# quote) or hex, is the bytes in file $2 (as they are) or $3 (their hex).
radio_same() {
	case "$1" in
		\"*\") v="${1#\"}"; v="${v%\"}"; [ "$v" = "$(cat "$2")" ] ;;
		*) [ "$(echo "$1" | tr A-F a-f)" = "$(cat "$3")" ] ;;
	esac
}

# Whether wpa_supplicant.conf $1's first network is the access point with its key
# (ssid="..." or hex; psk="passphrase" or the 64-hex PSK). Says what wpa_supplicant
# would say.
radio_accepts() {
	conf="$1"
	ap=/etc/stock/wifi
	value() {
		awk -v key="$1" '/^[ \t]*network[ \t]*=[ \t]*\{/ { n = 1; next }
			n && /^[ \t]*\}/ { exit }
			n { line = $0; sub(/^[ \t]*/, "", line); if (index(line, key "=") == 1) { print substr(line, length(key) + 2); exit } }' "$conf"
	}
	ssid=$(value ssid)
	psk=$(value psk)
	if ! radio_same "$ssid" "$ap/ssid" "$ap/ssid.hex"; then
		RADIO_SAYS="no network $ssid in range"
		return 1
	fi
	if ! radio_same "$psk" "$ap/passphrase" "$ap/psk.hex"; then
		RADIO_SAYS="WPA: 4-Way Handshake failed - pre-shared key may be incorrect"
		return 1
	fi
	RADIO_SAYS="CTRL-EVENT-CONNECTED - Connection to $ssid completed"
	return 0
}

# Takes the radio on interface $1 for this process ($$): associated when $2 is "ok"; the
# camera's own network that the test's phone joined when "ap" (hostapd.sh), with nobody
# on it when "ap-alone".
radio_take() {
	mkdir -p /tmp/.stock/wifi
	echo "$2 $1" > "/tmp/.stock/wifi/$(awk '{ printf "%010d", $1 * 100 }' /proc/uptime)-$$"
}
