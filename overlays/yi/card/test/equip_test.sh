#!/bin/sh
# camfw entry point on the YI Home. The stock /home/init.sh mounts the card on
# /home/hd1 and runs this file if it exists, then exits: from here on this script
# owns the boot.
ROOT=/home/hd1/test

exec >>/tmp/camfw.log 2>&1
echo "camfw: equip_test.sh from $ROOT"

# Overlay mode: take the cloud programs out of the stock /home (backed up on the card).
"$ROOT/bin/busybox" sh "$ROOT/etc/camfw/trim-home.sh" "$ROOT" /home || echo "camfw: trim failed; continuing"

# The rest of the stock boot, which the hook's exit left to this script: Wi-Fi, DHCP,
# the encoder, the RTSP server and the watchdog (etc/camfw/stock-boot.list).
# Wi-Fi settings written in the card's test/ folder from a computer (camfw-wifi.txt)
"$ROOT/bin/busybox" sh "$ROOT/etc/camfw/wifi-file.sh" "$ROOT" "$ROOT/camfw-wifi.txt" "$ROOT/NETWORK-FALLBACK.txt"

"$ROOT/bin/busybox" sh "$ROOT/etc/camfw/stock-boot.sh" "$ROOT"

exec "$ROOT/bin/busybox" sh "$ROOT/etc/camfw/start.sh" "$ROOT"
