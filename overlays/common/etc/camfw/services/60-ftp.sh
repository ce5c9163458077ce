#!/bin/sh
# ftp: the recordings over FTP on port 21, read-only (BusyBox tcpsvd and ftpd, whose
# upload support is not built). ftpd is rooted at the recordings directory, never at /,
# and its login is camfw-login's: the web page's user (or root) and password, never
# "anonymous" and never the stock firmware's root password; three failed logins close the
# connection. Off unless the owner turns it on (services.ftp, or the web page): FTP is
# not encrypted, use it on your own network.
# usage: busybox sh 60-ftp.sh CARD_DIR start|stop|restart|status|boot
SERVICE_NAME=ftp
SERVICE_BACKOFF_MAX=60
SERVICE_SETTINGS="CAMFW_SERVICE_FTP"
service_check() {
	owner_password_set
}
service_run() {
	mkdir -p "$RECORD_DIR"
	log_line "starting ftpd on port 21 for $RECORD_DIR (read-only; login: the web page's user and password)"
	FTPD_PASSWORD_CHECK="$CAMFW_ROOT/usr/lib/camfw/camfw-login"
	export FTPD_PASSWORD_CHECK
	# at most 4 sessions, 2 from one address; 5 minutes idle, an hour in all
	exec tcpsvd -v -c 4 -C 2 0.0.0.0 21 ftpd -v -t 300 -T 3600 "$RECORD_DIR"
}
# shellcheck source=../service.sh
. "${1:?usage: busybox sh 60-ftp.sh CARD_DIR ACTION}/etc/camfw/service.sh"
