# The stock iwlist (Wireless Tools), which fang-hacks' network page ran as
# `iwlist wlan0 scan` (fang-hacks.md §3.1), as the rtl871x driver answers it: the test's
# access point and a few neighbours, in iwlist 30's format (iwlist.c, iwlib.c): the ESSID
# escaped as iw_essid_escape does (a byte that is not printable ASCII as \xHH).
IFACE="${1:-}"
if [ "${2:-}" != scan ] && [ "${2:-}" != scanning ]; then
	echo "iwlist: this stand-in knows only IFACE scan" >&2
	exit 1
fi
if [ ! -e "/sys/class/net/$IFACE" ]; then
	echo "$IFACE     Interface doesn't support scanning : No such device" >&2
	exit 255
fi

# ESSID bytes, given in hex ($1), as iwlist prints them (the firmware has no od)
essid() {
	echo "$1" | sed 's/../& /g' | tr ' ' '\n' | while read -r b; do
		[ -n "$b" ] || continue
		n=$(printf '%d' "0x$b")
		if [ "$n" -lt 32 ] || [ "$n" -gt 126 ] || [ "$b" = 5c ]; then
			printf '\\x%s' "$(echo "$b" | tr a-f A-F)"
		else
			# shellcheck disable=SC2059
			printf "\\$(printf '%03o' "$n")"
		fi
	done
}

# cell NUMBER MAC ESSID_HEX CHANNEL QUALITY SECURITY(open|wpa2|wpa2-eap|wpa)
cell() {
	printf '          Cell %02d - Address: %s\n' "$1" "$2"
	printf '                    ESSID:"%s"\n' "$(essid "$3")"
	printf '                    Protocol:IEEE 802.11bgn\n'
	printf '                    Mode:Master\n'
	printf '                    Frequency:2.%03d GHz (Channel %d)\n' $((407 + 5 * $4)) "$4"
	if [ "$6" = open ]; then
		printf '                    Encryption key:off\n'
	else
		printf '                    Encryption key:on\n'
	fi
	printf '                    Bit Rates:144 Mb/s\n'
	case "$6" in
		wpa2 | wpa2-eap)
			printf '                    IE: IEEE 802.11i/WPA2 Version 1\n'
			printf '                        Group Cipher : CCMP\n'
			printf '                        Pairwise Ciphers (1) : CCMP\n'
			if [ "$6" = wpa2 ]; then
				printf '                        Authentication Suites (1) : PSK\n'
			else
				printf '                        Authentication Suites (1) : 802.1x\n'
			fi
			;;
		wpa)
			printf '                    IE: WPA Version 1\n'
			printf '                        Group Cipher : TKIP\n'
			printf '                        Pairwise Ciphers (1) : TKIP\n'
			printf '                        Authentication Suites (1) : PSK\n'
			;;
	esac
	printf '                    Quality=%d/100  Signal level=%d dBm\n' "$5" $((-95 + $5 / 2 + 5))
}

printf '%-8.16s  Scan completed :\n' "$IFACE"
n=1
if [ -f /etc/stock/wifi/ssid.hex ]; then
	cell "$n" 02:CA:FE:00:00:01 "$(cat /etc/stock/wifi/ssid.hex)" 6 92 wpa2
	n=$((n + 1))
fi
# neighbours: "Café 5G", "neighbour-open", "corp" (WPA2-Enterprise) and a hidden one
cell "$n" 02:CA:FE:00:00:02 436166c3a9203547 11 61 wpa2
cell $((n + 1)) 02:CA:FE:00:00:03 6e65696768626f75722d6f70656e 1 40 open
cell $((n + 2)) 02:CA:FE:00:00:04 636f7270 1 35 wpa2-eap
cell $((n + 3)) 02:CA:FE:00:00:05 "" 3 30 wpa2
