# The card's own tools first on PATH, sourced by the card's scripts with CAMFW_ROOT set to
# the card directory (bin/, usr/, etc/, www/). FAT cards cannot hold the BusyBox applet
# links: they are made in RAM, in a directory only root writes, when the card has none.
RUN=/tmp/camfw
# /tmp is anyone's: $RUN goes first on PATH, so it must be root's own directory, made by
# camfw. One made by anybody else (or a link) is moved aside, never used.
if [ -e "$RUN" ] || [ -L "$RUN" ]; then
	if [ -L "$RUN" ] || [ "$("$CAMFW_ROOT/bin/busybox" stat -c '%u %a' "$RUN")" != "0 755" ]; then
		"$CAMFW_ROOT/bin/busybox" mv "$RUN" "$RUN.untrusted.$$"
		echo "camfw: $RUN was not root's own directory: moved to $RUN.untrusted.$$"
	fi
fi
"$CAMFW_ROOT/bin/busybox" mkdir -p -m 755 "$RUN/bin"
if [ ! -e "$CAMFW_ROOT/bin/ls" ] && [ ! -e "$RUN/bin/ls" ]; then
	"$CAMFW_ROOT/bin/busybox" --install -s "$RUN/bin"
fi
PATH="$RUN/bin:$CAMFW_ROOT/bin:$CAMFW_ROOT/sbin:$CAMFW_ROOT/usr/bin:$CAMFW_ROOT/usr/sbin:$PATH"
export PATH
