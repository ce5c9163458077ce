# watch_process: reboots the camera when a watched process dies. /home/wp_cmd says which
# and how often: "check_interval:[10] process:[rmm] cmd:[reboot]" (yi.md §1a, §2c).
conf=$(cat /home/wp_cmd 2> /dev/null)
interval=$(echo "$conf" | sed -n 's/.*check_interval:\[\([0-9]*\)\].*/\1/p')
process=$(echo "$conf" | sed -n 's/.*process:\[\([A-Za-z0-9_]*\)\].*/\1/p')
[ -n "$interval" ] || interval=10
[ -n "$process" ] || process=rmm
while true; do
	sleep "$interval"
	if ! pidof "$process" > /dev/null; then
		echo "watch_process: $process is gone: reboot" > /dev/console
		reboot -f
	fi
done
