#!/bin/sh
# Grows the card's data partition (p2, ext2) to fill its partition, at boot, before anything
# uses it. The web page (camfw-api, storage.c) has grown p2's entry in the partition table
# to the end of the card, left the note camfw-resize on this partition and rebooted.
# snx_autorun.sh runs this before it mounts p2, with the camera's own shell and tools
# (camfw's are on p2); e2fsck and resize2fs come from bootstrap/sbin/ on this partition.
#
# A power cut at any step leaves a card that boots:
# - before resize2fs nothing has changed but what e2fsck repaired; the note stays and the
#   next boot starts again;
# - resize2fs marks the filesystem as having errors before it changes anything and clears
#   the mark last; the note stays, so the next boot's e2fsck -f repairs it (-y where
#   preening may not decide alone) and resize2fs runs again;
# - after resize2fs, before the note is gone, the next boot finds nothing to do;
# - the partition table was written before the reboot, one sector: p2 starts where it
#   did and is at least as large as its filesystem, so p2 mounts in either state.
# On a failure the note stays, camfw-resize-error.txt here says what failed, and the boot
# goes on with p2 as it is; the next boot does not try again until the web page asks
# (which removes the error file).
# usage: sh grow-data.sh P1_DIR P2_DEVICE P2_MOUNT_POINT
set -u
P1="${1:?usage: sh grow-data.sh P1_DIR P2_DEVICE P2_MOUNT_POINT}"
DEV="${2:?usage: sh grow-data.sh P1_DIR P2_DEVICE P2_MOUNT_POINT}"
MNT="${3:?usage: sh grow-data.sh P1_DIR P2_DEVICE P2_MOUNT_POINT}"
NOTE="$P1/camfw-resize"
FAILED="$P1/camfw-resize-error.txt"
TOOLS="$P1/bootstrap/sbin"
WORK=""

log() {
	echo "camfw: storage: $1"
}

# What failed goes to the card, where the web page and a computer can read it.
fail() {
	log "$1"
	{
		printf '%s\r\n' "camfw could not grow the data partition: $1" \
			"The card boots with the partition as it was. Ask again on the web page (System) to try again."
		if [ -n "$WORK" ] && [ -s "$WORK/out" ]; then
			printf '\r\nWhat it said last:\r\n'
			tail -n 12 "$WORK/out"
		fi
	} > "$FAILED.new" && mv -f "$FAILED.new" "$FAILED"
	sync
	[ -z "$WORK" ] || rm -rf "$WORK"
	exit 1
}

# A tool's output goes to the boot log, and its last lines to the error file if it fails.
tool() {
	"$@" > "$WORK/out" 2>&1
	rc=$?
	cat "$WORK/out"
	return "$rc"
}

[ -e "$NOTE" ] || exit 0
if [ -e "$FAILED" ]; then
	log "an earlier try failed (${FAILED##*/} on the card): not trying again until the web page asks"
	exit 0
fi
log "growing the data partition's filesystem ($DEV) to its partition"

# the tools run from RAM, whatever p1's mount allows: in a directory of our own (mkdir
# fails on one that is there already: /tmp is anyone's)
dir="/tmp/camfw-grow.$$"
mkdir -m 700 "$dir" || fail "cannot make $dir"
WORK="$dir"
for t in e2fsck resize2fs; do
	if ! cp "$TOOLS/$t" "$WORK/$t" || ! chmod 700 "$WORK/$t"; then
		fail "cannot copy $t from ${TOOLS#"$P1"/} on the card to $WORK"
	fi
done

# The stock hotplug mounts ext2 partitions too. e2fsck and resize2fs refuse a mounted
# filesystem, and hold the device for themselves while they run: a mount meanwhile fails.
n=0
while grep -q " $MNT " /proc/mounts; do
	[ "$n" -lt 3 ] || fail "$MNT stays mounted"
	umount "$MNT" || sleep 1
	n=$((n + 1))
done

tool "$WORK/e2fsck" -f -p "$DEV"
rc=$?
if [ "$rc" -ge 4 ] && [ "$rc" -lt 8 ]; then
	# preening stops at what it may not decide alone (as after a resize cut short): the
	# camera has nobody to ask
	log "e2fsck -p left errors (exit $rc): e2fsck -f -y"
	tool "$WORK/e2fsck" -f -y "$DEV"
	rc=$?
fi
[ "$rc" -lt 4 ] || fail "e2fsck could not check or repair $DEV (exit $rc)"

# -f: e2fsck -f has just passed; resize2fs would also want the last check to be later
# than the last mount, which a camera whose clock starts in 1970 cannot promise
tool "$WORK/resize2fs" -f "$DEV" || fail "resize2fs failed on $DEV (exit $?)"

rm -f "$NOTE"
sync
log "$(grep -e 'is now' -e 'Nothing to do' "$WORK/out" | head -n 1)"
rm -rf "$WORK"
