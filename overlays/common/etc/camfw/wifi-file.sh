#!/bin/sh
# Wi-Fi settings written on the card from any computer, for a camera that cannot be
# reached: FILE (camfw-wifi.txt in a folder of the card that Windows, macOS and Linux
# can all write) holds lines ssid=NAME, psk=PASSPHRASE and, if you like, country=CC.
# At boot they become the card's etc/wpa_supplicant.conf (mode 600), and FILE is deleted:
# the passphrase does not stay on a FAT partition. FALLBACK (NETWORK-FALLBACK.txt) is
# deleted too, so that camfw tries the network again, and so is the camera's own network
# (etc/camfw/hostapd.conf): the file is the way back from it. Nothing in FILE is run:
# each line is read as text and checked; a file that is not right stays, with the reason
# beside it in camfw-wifi-error.txt.
# usage: busybox sh wifi-file.sh CARD_DIR FILE FALLBACK
set -u
ROOT="${1:?usage: wifi-file.sh CARD_DIR FILE FALLBACK}"
FILE="${2:?usage: wifi-file.sh CARD_DIR FILE FALLBACK}"
FALLBACK="${3:?usage: wifi-file.sh CARD_DIR FILE FALLBACK}"
ERROR="${FILE%/*}/camfw-wifi-error.txt"
CONF="$ROOT/etc/wpa_supplicant.conf"

[ -f "$FILE" ] || exit 0

refuse() {
	echo "camfw: network: ${FILE##*/} not taken: $1"
	printf '%s\r\n' "camfw did not take camfw-wifi.txt: $1" "Correct it and start the camera again." > "$ERROR"
	exit 1
}

bytes() {
	printf '%s' "$1" | wc -c
}

ssid=
psk=
country=US
cr=$(printf '\r')
while IFS= read -r line || [ -n "$line" ]; do
	# a file saved on Windows ends its lines with CR LF
	line="${line%"$cr"}"
	case "$line" in
		'#'* | '') ;;
		ssid=*) ssid="${line#ssid=}" ;;
		psk=*) psk="${line#psk=}" ;;
		country=*) country="${line#country=}" ;;
		*) refuse "a line that is not ssid=, psk= or country= (or a # comment)" ;;
	esac
done < "$FILE"

n=$(bytes "$ssid")
if [ "$n" -lt 1 ] || [ "$n" -gt 32 ]; then
	refuse "ssid= must be the network's name, 1 to 32 bytes (it is $n)"
fi
case "$ssid" in
	*[[:cntrl:]]*) refuse "ssid= holds a control character" ;;
esac
n=$(bytes "$psk")
if [ "$n" -lt 8 ] || [ "$n" -gt 63 ]; then
	refuse "psk= must be the WPA2 passphrase, 8 to 63 characters (it is $n bytes)"
fi
case "$psk" in
	*[![:print:]]*) refuse "psk= must be printable ASCII (letters, digits, spaces, punctuation)" ;;
esac
case "$country" in
	[A-Z][A-Z]) ;;
	*) refuse "country= must be two capital letters, such as DE or US" ;;
esac

# wpa_supplicant takes a quoted value up to the line's last quote, byte for byte
umask 077
{
	echo "ctrl_interface=/var/run/wpa_supplicant"
	echo "country=$country"
	echo "network={"
	printf '\tssid="%s"\n' "$ssid"
	printf '\tpsk="%s"\n' "$psk"
	echo "}"
} > "$CONF.new" || refuse "cannot write $CONF"
chmod 600 "$CONF.new"
sync
mv "$CONF.new" "$CONF" || refuse "cannot write $CONF"
if [ -f "$ROOT/etc/camfw/hostapd.conf" ]; then
	rm -f "$ROOT/etc/camfw/hostapd.conf"
	echo "camfw: network: the camera's own network is switched off: ${FILE##*/} gives the Wi-Fi to join"
fi
rm -f "$FILE" "$ERROR" "$FALLBACK"
sync
echo "camfw: network: Wi-Fi settings taken from ${FILE##*/} on the card (network \"$ssid\"); the file is deleted"
