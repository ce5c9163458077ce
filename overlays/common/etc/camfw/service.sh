# What every camfw service does under the supervisor (BusyBox runsvdir and runsv). Each
# service is one file, etc/camfw/services/NN-NAME.sh, which sets SERVICE_NAME,
# SERVICE_BACKOFF_MAX and SERVICE_SETTINGS (on one line, SERVICE_SETTINGS="NAME ...":
# the settings.conf variables of which any being 1 starts it at boot; camfw-api reads
# the same line), defines service_run (which runs the program in the foreground, by
# exec), may define service_check (why the service cannot start now, on standard output,
# and status 1) and service_enabled (when more than its settings start it), and then
# sources this file. The service file is then its init script:
#
#   busybox sh etc/camfw/services/NN-NAME.sh CARD_DIR start|stop|restart|status|boot
#
#   start    supervise it now: runsv starts it, and restarts it whenever it exits
#   stop     stop it and keep it stopped (until start)
#   status   its state, pid (also in $RUN/NAME.pid), uptime, restarts and last exit
#   boot     start, when its setting is on and service_check agrees
#   refresh  stop, then boot: what a change of its settings does (the web page's)
#   run, finish   what runsv calls
#
# A service that keeps failing is restarted after 1 s, then 2, 4, ... up to
# SERVICE_BACKOFF_MAX seconds; 30 s of running resets the delay. Every restart is a line
# in /tmp/camfw.log. Each service's output goes to svlogd in $RUN/log/NAME: two files of
# at most 64 KB.
set -u
CAMFW_ROOT="${1:?usage: busybox sh SERVICE_FILE CARD_DIR start|stop|restart|status|boot}"
ACTION="${2:-}"
SERVICE_FILE="$0"
# both are written into the supervisor's run scripts
case "$CAMFW_ROOT$SERVICE_FILE" in
	*[!A-Za-z0-9._/-]*)
		echo "camfw: $SERVICE_FILE: the card directory and the service file must be plain paths (letters, digits, . _ / -)" >&2
		exit 2
		;;
esac
export CAMFW_ROOT
# shellcheck source=env.sh
. "$CAMFW_ROOT/etc/camfw/env.sh"
# shellcheck source=/dev/null
. "$CAMFW_ROOT/etc/camfw/settings.conf"
# the cameras have no zoneinfo: a POSIX TZ string, for every service
TZ="$CAMFW_TZ"
export TZ
# the recordings, beside the card directory, on the card: /home/hd1/record, /media/mmcblk0p2/record
# (the stream and web services use it: SC2034 cannot see them from here)
# shellcheck disable=SC2034
RECORD_DIR="${CAMFW_ROOT%/*}/record"
SV_ROOT="$RUN/service"
SV="$SV_ROOT/$SERVICE_NAME"
STABLE_SECONDS=30

say() {
	echo "camfw: $SERVICE_NAME: $*"
}

# A line for /tmp/camfw.log, where the boot and every restart are told.
log_line() {
	echo "camfw: $SERVICE_NAME: $*" >> /tmp/camfw.log
}

# runsvdir watches $SV_ROOT and starts a runsv for each service directory in it; one
# runsvdir, also when two scripts start services at once (the lock).
supervisor_start() {
	exec 9> "$RUN/supervisor.lock"
	flock 9
	pid=$(cat "$RUN/runsvdir.pid" 2> /dev/null)
	case "$pid" in
		'' | *[!0-9]*) pid= ;;
	esac
	if [ -z "$pid" ] || [ "$(cat "/proc/$pid/comm" 2> /dev/null)" != runsvdir ]; then
		mkdir -p "$SV_ROOT"
		runsvdir -P "$SV_ROOT" > /dev/null 2>&1 < /dev/null 8>&- 9>&- &
		echo "$!" > "$RUN/runsvdir.pid"
		log_line "supervisor started (runsvdir $SV_ROOT, pid $!)"
	fi
	exec 9>&-
}

# The service directory, made aside and moved in whole, so that runsvdir never sees half of it.
service_dir() {
	[ ! -d "$SV" ] || return 0
	new="$SV_ROOT/.new-$SERVICE_NAME"
	rm -rf "$new"
	mkdir -p "$new/log" "$RUN/log/$SERVICE_NAME"
	printf 's65536\nn2\n' > "$RUN/log/$SERVICE_NAME/config"
	for step in run finish; do
		printf '#!/bin/sh\nexec "%s/bin/busybox" sh "%s" "%s" %s "$@" 2>&1\n' "$CAMFW_ROOT" "$SERVICE_FILE" "$CAMFW_ROOT" "$step" > "$new/$step"
	done
	printf '#!/bin/sh\nexec "%s/bin/busybox" svlogd -tt "%s"\n' "$CAMFW_ROOT" "$RUN/log/$SERVICE_NAME" > "$new/log/run"
	chmod 755 "$new/run" "$new/finish" "$new/log/run"
	echo 1 > "$new/delay"
	mv "$new" "$SV"
}

# Waits up to $1 s for runsv to answer for the service.
wait_supervised() {
	n=0
	while ! sv status "$SV" > /dev/null 2>&1; do
		[ "$n" -lt "$1" ] || return 1
		sleep 1
		n=$((n + 1))
	done
}

# Whether one of the service's settings (SERVICE_SETTINGS) is 1 in settings.conf.
service_settings_on() {
	for setting in $SERVICE_SETTINGS; do
		grep -q "^$setting='1'\$" "$CAMFW_ROOT/etc/camfw/settings.conf" && return 0
	done
	return 1
}
command -v service_enabled > /dev/null || service_enabled() { service_settings_on; }

# The service_check of the owner's logins (telnet, SSH, FTP): camfw-login needs the web password.
owner_password_set() {
	if [ ! -e "$CAMFW_ROOT/etc/camfw/web.passwd" ]; then
		echo "the camera has no password yet: set it on the web page first"
		return 1
	fi
}

# Starts it when its setting is on and service_check agrees; otherwise says why not.
service_boot() {
	if ! service_enabled; then
		say "off in the configuration"
		return 0
	fi
	if command -v service_check > /dev/null && ! why=$(service_check); then
		say "not started: $why"
		log_line "not started: $why"
		return 0
	fi
	service_start
}

service_start() {
	supervisor_start
	rm -f "$SV/down"
	service_dir
	if ! wait_supervised 10; then
		say "the supervisor did not take it within 10 s"
		return 1
	fi
	sv up "$SV" > /dev/null
	say "started under the supervisor"
}

service_stop() {
	if [ ! -d "$SV" ]; then
		say "not running"
		return 0
	fi
	# a stopped service stays down, also when the supervisor restarts
	: > "$SV/down"
	sv -w 10 down "$SV" > /dev/null || say "did not stop within 10 s"
	rm -f "$RUN/$SERVICE_NAME.pid"
	say "stopped"
}

service_status() {
	if [ ! -d "$SV" ] || ! wait_supervised 0; then
		say "not started"
		return 3
	fi
	state=$(sv status "$SV")
	restarts=$(cat "$SV/restarts" 2> /dev/null || echo 0)
	echo "$state; restarts: $restarts; last exit: $(cat "$SV/last-exit" 2> /dev/null || echo none)"
	case "$state" in
		run:*) return 0 ;;
		*) return 3 ;;
	esac
}

# runsv's ./finish: EXIT_CODE (-1 when killed) SIGNAL. Decides the delay before runsv
# starts ./run again, and says it.
service_finish() {
	code="$1" signal="$2"
	started=$(cat "$SV/started" 2> /dev/null || echo 0)
	ran=$(($(date +%s) - started))
	delay=$(cat "$SV/delay" 2> /dev/null || echo 1)
	case "$delay" in '' | *[!0-9]*) delay=1 ;; esac
	[ "$ran" -lt "$STABLE_SECONDS" ] || delay=1
	restarts=$(($(cat "$SV/restarts" 2> /dev/null || echo 0) + 1))
	echo "$restarts" > "$SV/restarts"
	if [ "$code" = -1 ]; then
		how="killed by signal $signal"
	else
		how="exited with status $code"
	fi
	echo "$how after $ran s, at $(date '+%Y-%m-%d %H:%M:%S')" > "$SV/last-exit"
	rm -f "$RUN/$SERVICE_NAME.pid"
	if [ -e "$SV/down" ]; then
		log_line "$how after $ran s (stopped)"
		return 0
	fi
	log_line "$how after $ran s; restarting in $delay s"
	next=$((delay * 2))
	[ "$next" -le "$SERVICE_BACKOFF_MAX" ] || next="$SERVICE_BACKOFF_MAX"
	echo "$next" > "$SV/delay"
	# runsv itself waits 1 s between starts
	[ "$delay" -le 1 ] || sleep $((delay - 1))
}

# One start, stop or boot of a service at a time: the boot and the Xiaofang's network
# take-over may both boot the RTSP server, and the web page may restart it meanwhile.
# The lock goes with this process.
case "$ACTION" in
	start | stop | restart | boot | refresh)
		exec 8> "$RUN/service-$SERVICE_NAME.lock"
		flock 8
		;;
esac

case "$ACTION" in
	start)
		service_start
		;;
	stop)
		service_stop
		;;
	restart)
		service_stop
		service_start
		;;
	status)
		service_status
		;;
	boot)
		service_boot
		;;
	refresh)
		service_stop
		service_boot
		;;
	run)
		date +%s > "$SV/started"
		echo "$$" > "$RUN/$SERVICE_NAME.pid"
		service_run
		;;
	finish)
		service_finish "${3:--1}" "${4:-0}"
		;;
	*)
		echo "usage: busybox sh $SERVICE_FILE CARD_DIR start|stop|restart|status|boot|refresh" >&2
		exit 2
		;;
esac
