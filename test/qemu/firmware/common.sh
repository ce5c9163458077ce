# Shared start of the emulated cameras' /init: what the stock kernel and rcS have done
# before the card is looked at. Sourced by fang.sh and yi.sh.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /tmp /var/run /media
mount -t tmpfs tmpfs /tmp

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

{ insmod /lib/modules/mii.ko && insmod /lib/modules/smc91x.ko; } || echo "camfw-test: no network card driver"
ifconfig lo 127.0.0.1 up
ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up
route add default gw 10.0.2.2
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
