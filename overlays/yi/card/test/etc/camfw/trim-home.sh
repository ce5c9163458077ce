#!/bin/sh
# Overlay mode: moves the stock cloud programs listed in home-trim.list out of the
# camera's /home, each into a tar backup on the card first, so nothing is lost and the
# flash gets room. Safe to run on every boot: what is already gone is skipped, a backup
# is verified before anything is removed, and this script never reboots.
#
# Undo: put a file named UNDO-TRIM in the card's test/ folder (from any computer). The
# next boot restores every backup and, when all of them are back, leaves TRIM-UNDONE
# there, which keeps the trim off until you delete it; if one could not be restored,
# UNDO-TRIM stays and the next boot tries again.
#
# Its last line, "camfw: stock: ...", says where the cloud programs are now (the web
# page's System page shows it).
#
# usage: busybox sh trim-home.sh CARD_DIR [HOME_DIR]
set -u
ROOT="${1:?usage: trim-home.sh CARD_DIR [HOME_DIR]}"
HOME_DIR="${2:-/home}"
case "$HOME_DIR" in
	/?*) ;;
	*)
		echo "camfw: trim-home.sh: HOME_DIR must be an absolute directory other than /, not \"$HOME_DIR\""
		exit 1
		;;
esac
LIST="$ROOT/etc/camfw/home-trim.list"
BACKUP="$ROOT/backup/home"

# one tar.gz per trimmed path: cloud -> cloud.tar.gz, web/server -> web__server.tar.gz
backup_of() {
	echo "$BACKUP/$(echo "$1" | sed 's|/|__|g').tar.gz"
}

# A trim-list entry must be a plain relative path below /home: letters, digits, ".", "_",
# "-" and "/" only, no empty, "." or ".." component. Anything else is refused, never
# handed to tar or rm.
plain_path() {
	case "$1" in
		'' | /* | */ | *//*) return 1 ;;
		*[!A-Za-z0-9._/-]*) return 1 ;;
	esac
	case "/$1/" in
		*/./* | */../*) return 1 ;;
	esac
	return 0
}

refuse() {
	printf 'camfw: refusing trim-list entry "%s": not a plain path below /home\n' "$1"
}

undo() {
	restored=0
	failed=0
	while read -r p; do
		[ -n "$p" ] || continue
		plain_path "$p" || { refuse "$p"; continue; }
		for b in "$(backup_of "$p")" "${BACKUP}/$(echo "$p" | sed 's|/|__|g')".*.tar.gz; do
			[ -f "$b" ] || continue
			if tar -xzf "$b" -C "$HOME_DIR"; then
				rm -f "$b"
				restored=$((restored + 1))
				echo "camfw: trim undone: restored /home/$p from $b"
			else
				failed=$((failed + 1))
				echo "camfw: could not restore /home/$p from $b; the backup is kept"
			fi
		done
	done < "$LIST"
	sync
	if [ "$failed" -gt 0 ]; then
		echo "camfw: trim undo incomplete: $failed backup(s) not restored ($restored restored); UNDO-TRIM stays, so the next boot tries again"
		echo "camfw: stock: $failed cloud program(s) could not be put back into /home yet; UNDO-TRIM stays on the card and the next boot tries again"
		return
	fi
	if mv "$ROOT/UNDO-TRIM" "$ROOT/TRIM-UNDONE"; then
		sync
		echo "camfw: trim undone ($restored restored); delete TRIM-UNDONE on the card to trim again"
	else
		echo "camfw: trim undone ($restored restored), but UNDO-TRIM could not be renamed to TRIM-UNDONE"
	fi
	echo "camfw: stock: the cloud programs are back in /home; TRIM-UNDONE in the card's test/ folder keeps them there (delete it to trim again)"
}

trim() {
	moved=0
	while read -r p; do
		[ -n "$p" ] || continue
		plain_path "$p" || { refuse "$p"; continue; }
		[ -e "$HOME_DIR/$p" ] || [ -L "$HOME_DIR/$p" ] || continue
		b="$(backup_of "$p")"
		if [ -f "$b" ]; then
			# backed up before, and the stock firmware put it back: keep this copy too
			b="${b%.tar.gz}.$(date +%Y%m%d%H%M%S).tar.gz"
		fi
		mkdir -p "$BACKUP"
		if tar -czf "$b.part" -C "$HOME_DIR" "$p" && tar -tzf "$b.part" > /dev/null && mv "$b.part" "$b"; then
			sync
			rm -rf "${HOME_DIR:?}/$p"
			moved=$((moved + 1))
			echo "camfw: trimmed /home/$p (backup: $b)"
		else
			rm -f "$b.part"
			echo "camfw: could not back up /home/$p; left in place"
		fi
	done < "$LIST"
	sync
	if [ "$moved" = 0 ]; then echo "camfw: /home already trimmed"; fi
	echo "camfw: stock: the cloud programs are out of /home, kept in test/backup/home/ on the card; to put them back, put a file named UNDO-TRIM in the card's test/ folder and reboot"
}

if [ ! -f "$LIST" ]; then
	echo "camfw: no $LIST; /home left as it is"
	echo "camfw: stock: /home is as the camera had it (the card has no trim list)"
elif [ -e "$ROOT/UNDO-TRIM" ]; then
	undo
elif [ -e "$ROOT/TRIM-UNDONE" ]; then
	echo "camfw: trim is off (TRIM-UNDONE on the card)"
	echo "camfw: stock: the cloud programs are in /home; TRIM-UNDONE in the card's test/ folder keeps them there (delete it to trim again)"
else
	trim
fi
exit 0
