# The card's own tools first on PATH, sourced by the card's scripts with CAMFW_ROOT set to
# the card directory (bin/, usr/, etc/, www/). FAT cards cannot hold the BusyBox applet
# links: they are made in RAM, in a directory only root writes, when the card has none.
RUN=/tmp/camfw
"$CAMFW_ROOT/bin/busybox" mkdir -p "$RUN/bin"
if [ ! -e "$CAMFW_ROOT/bin/ls" ] && [ ! -e "$RUN/bin/ls" ]; then
	"$CAMFW_ROOT/bin/busybox" --install -s "$RUN/bin"
fi
PATH="$RUN/bin:$CAMFW_ROOT/bin:$CAMFW_ROOT/sbin:$CAMFW_ROOT/usr/bin:$CAMFW_ROOT/usr/sbin:$PATH"
export PATH
