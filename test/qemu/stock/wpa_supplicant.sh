# The stock wpa_supplicant (YI: /home/wpa_supplicant, yi.md §2d; Xiaofang: on the firmware,
# fang-hacks.md §1.4), as camfw's cards call it: wpa_supplicant [-B] -i IFACE -c CONF
# [-P PIDFILE]. It associates when CONF's first network is the test's access point with
# its key (radio.sh), and holds the radio while it runs.
. /etc/stock/radio.sh
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
if radio_accepts "$CONF"; then
	radio_take "$IFACE" ok
else
	radio_take "$IFACE" fail
fi
say "$IFACE: $RADIO_SAYS"
# Initialised: the radio is this program's (the association the cloud app had is gone, or
# this one's is up). The radio loop (stock-common.sh, every 0.5 s) and the test's QEMU
# (every 0.2 s) apply the link; then -B returns to the caller (standin.c, fd 9).
sleep 1.5
{ echo initialised >&9; } 2> /dev/null
exec 9>&-
while true; do sleep 3600; done
