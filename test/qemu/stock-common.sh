# Shared start of the emulated cameras' /init: what the stock kernel and rcS have done
# before the card is looked at, and the parts of the machine that are not firmware (the
# radio, the tests' control line). Sourced by <model>/init.sh.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin

# Both stock firmwares run BusyBox init as PID 1, and their reboot is /sbin/reboot
# (yi.md §2b, YI stream's installer; fang-hacks.md §3, action?cmd=reboot): it sends init
# SIGTERM (halt SIGUSR1, poweroff SIGUSR2), and init stops every process, syncs and
# resets the board, which ends the emulator (-no-reboot). This shell is PID 1 here, and
# does the same; it waits with `wait` (see stock_idle) so that a signal is not held up.
init_signal() {
	echo "camfw-test: init: $1: stopping every process"
	kill -TERM -1
	sleep 1
	kill -KILL -1
	sync
	echo "camfw-test: init: $1"
	case "$1" in
		reboot) reboot -f ;;
		halt) halt -f ;;
		poweroff) poweroff -f ;;
	esac
}
trap 'init_signal reboot' TERM
trap 'init_signal halt' USR1
trap 'init_signal poweroff' USR2

# What PID 1 does once the boot is done: nothing, ready for init's signals.
stock_idle() {
	while true; do
		sleep 3600 &
		wait $!
	done
}
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# pseudo-terminals: telnetd worked on both stock systems (fang-hacks' 10-telnetd on port
# 2323, fang-hacks.md §3; YI stream's /etc/init.d/S88telnet, yi.md §2b), so their rcS
# mounts devpts
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
mkdir -p /tmp /var/run /media
# the stock init.sh's /tmp (yi.md §2c: tmpfs size=32m)
mount -t tmpfs -o size=32m tmpfs /tmp
mkdir -p /tmp/.stock

# The card is the virtio disk with a partition table; a test may add a second disk
# without one (the YI's flash /home). Virtio order is not the command line's.
CARD=""
i=0
while [ -z "$CARD" ] && [ $i -lt 50 ]; do
	for p in /dev/vd?1; do [ -b "$p" ] && CARD="${p#/dev/}" && CARD="${CARD%1}"; done
	[ -n "$CARD" ] || sleep 0.1
	i=$((i + 1))
done
[ -n "$CARD" ] || echo "camfw-test: no card (no /dev/vd?1)"
FLASH=""
for d in /dev/vd?; do [ -b "$d" ] && [ "${d#/dev/}" != "$CARD" ] && FLASH="${d#/dev/}"; done

# The Wi-Fi driver stand-in is the board's network card driver (smc91x): the kernel's
# uevent helper gives its interface the camera's name (/etc/stock/wifi-ifname) when it
# registers, as the real driver names it.
echo /sbin/hotplug > /proc/sys/kernel/hotplug

# The radio (stock/radio.sh): the link is up while the newest live program that took the
# radio associated and its interface is up, and "ap" while it is the camera's own network
# (hostapd) and the test's phone joined it. The test's QEMU follows these lines
# (set_link), so without them no packet reaches the camera.
radio() {
	state=down
	while true; do
		now=down
		# entries are UPTIME-PID, zero-padded: the last live one is the newest
		newest=""
		for entry in /tmp/.stock/wifi/*; do
			[ -e "$entry" ] && kill -0 "${entry##*-}" 2> /dev/null && newest="$entry"
		done
		if [ -n "$newest" ] && read -r assoc iface < "$newest"; then
			flags=$(cat "/sys/class/net/$iface/flags" 2> /dev/null)
			if [ -n "$flags" ] && [ $((flags & 1)) = 1 ]; then
				case "$assoc" in
					ok) now=up ;;
					ap) now=ap ;;
				esac
			fi
		fi
		if [ "$now" != "$state" ]; then
			echo "camfw-test: wifi link $now"
			state=$now
		fi
		sleep 0.5
	done
}
radio &

# The tests' control line, the second UART: each line is a command for this shell, under
# the camera's system-call filter like everything else; its output ends with @@rc=N@@.
# It says @@ready@@ first: a command sent before it reads the line would be lost.
control() {
	{
		echo '@@ready@@'
		while read -r cmd; do
			sh -c "$cmd" 2>&1
			printf '@@rc=%s@@\n' "$?"
		done
	} < /dev/ttyAMA1 > /dev/ttyAMA1 2>&1
}
control &

echo "camfw-test: stock firmware up"
# getrandom (384) came in Linux 3.17, setns (375) in 3.0, getpid (20) always was;
# ARM-private: cacheflush (0xf0002) both had, get_tls (0xf0006) came after both
echo "camfw-test: kernel surface: $(syscall-probe 384 375 20 0xf0002 0xf0006 | tr '\n' ' ')"

# Every card process runs under the camera's system-call filter (Seccomp: 2)
card_surface() {
	for pid in $(pidof "$@"); do
		echo "camfw-test: $(tr '\0' ' ' < "/proc/$pid/cmdline" | cut -c1-40) $(grep '^Seccomp:' "/proc/$pid/status")"
	done
}
