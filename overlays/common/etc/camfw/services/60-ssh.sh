#!/bin/sh
# ssh: a remote shell on port 22 (dropbear), encrypted, whose login is camfw-login's: the
# web page's user (or root) and password, never the stock firmware's root password;
# three tries per connection. The host key (Ed25519) is made on the card at the first
# start; its fingerprint goes to the service's log and the Status page, to check at the
# first login.
# Off unless the owner turns it on (services.ssh, or the web page).
# usage: busybox sh 60-ssh.sh CARD_DIR start|stop|restart|status|boot
SERVICE_NAME=ssh
SERVICE_BACKOFF_MAX=60
SERVICE_SETTINGS="CAMFW_SERVICE_SSH"
service_check() {
	owner_password_set
}
service_run() {
	dropbear="$CAMFW_ROOT/usr/sbin/dropbearmulti"
	key="$CAMFW_ROOT/etc/camfw/ssh_host_ed25519_key"
	if [ ! -s "$key" ]; then
		rm -f "$key.new"
		"$dropbear" dropbearkey -t ed25519 -f "$key.new" > /dev/null || exit 1
		sync
		mv "$key.new" "$key"
		log_line "made the SSH host key $key"
	fi
	# for the service's log and the Status page (camfw-api reads $RUN/ssh.fingerprint)
	fingerprint=$("$dropbear" dropbearkey -y -f "$key" | sed -n 's/^Fingerprint: //p')
	echo "host key fingerprint: $fingerprint"
	printf '%s\n' "$fingerprint" > "$RUN/ssh.fingerprint"
	log_line "starting dropbear on port 22 (login: the web page's user and password)"
	DROPBEAR_PASSWORD_CHECK="$CAMFW_ROOT/usr/lib/camfw/camfw-login"
	DROPBEAR_SHELL="$DROPBEAR_PASSWORD_CHECK"
	export DROPBEAR_PASSWORD_CHECK DROPBEAR_SHELL
	exec "$dropbear" dropbear -F -E -p 22 -r "$key" -P "$RUN/dropbear.pid"
}
# shellcheck source=../service.sh
. "${1:?usage: busybox sh 60-ssh.sh CARD_DIR ACTION}/etc/camfw/service.sh"
