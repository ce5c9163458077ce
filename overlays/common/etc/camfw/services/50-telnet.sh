#!/bin/sh
# telnet: a remote shell on port 23 (BusyBox telnetd) whose login is camfw-login: the web
# page's user (or root) and password, never a stock root password. Off unless the owner
# turns it on (services.telnet, or the web page), or asks for it with RESCUE-TELNET on a
# Xiaofang's FAT partition ($RUN/rescue-telnet): telnet is not encrypted, use it on your
# own network.
# usage: busybox sh 50-telnet.sh CARD_DIR start|stop|restart|status|boot
SERVICE_NAME=telnet
SERVICE_BACKOFF_MAX=60
SERVICE_SETTINGS="CAMFW_SERVICE_TELNET"
service_enabled() {
	service_settings_on || [ -e "$RUN/rescue-telnet" ]
}
service_check() {
	owner_password_set
}
service_run() {
	log_line "starting telnetd on port 23 (login: the web page's user and password)"
	# tcpsvd gives camfw-login the client's address (TCPREMOTEIP), by which the failed
	# logins are counted; at most 8 sessions, 2 from one address
	exec tcpsvd -v -c 8 -C 2 0.0.0.0 23 telnetd -i -l "$CAMFW_ROOT/usr/lib/camfw/camfw-login"
}
# shellcheck source=../service.sh
. "${1:?usage: busybox sh 50-telnet.sh CARD_DIR ACTION}/etc/camfw/service.sh"
