/*
 * camfw-login: how the owner logs in to a shell or to files, with the web UI's password:
 *  - with no argument, the login of camfw's telnet service (BusyBox telnetd -l): it asks
 *    for the user and password and runs a shell;
 *  - `--check`, for the SSH and FTP services (dropbear and BusyBox ftpd, patched to ask
 *    it): the user and the password on stdin, each ended by a NUL byte; exit 0 when they
 *    are the owner's, 1 when not;
 *  - as a shell (`-c COMMAND`, or a name starting with `-`), the owner's shell once
 *    dropbear has checked the password with `--check`.
 * The user is the web page's or root; the password is always the web page's, never a
 * stock one (the Xiaofang's root/ismart12). Every check goes through the web login's
 * limit (limit.c), by the client's address that the server gives in TCPREMOTEIP (tcpsvd
 * sets it for telnetd and ftpd, camfw's dropbear for its check): a client that failed
 * too often waits, one check runs at a time per client, and a few on the whole camera,
 * one of them kept for its own network. A wrong password costs 3 s more, after the check:
 * the others' checks go on meanwhile. Telnet gives three tries per connection, in 60 s.
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "api.h"

enum { TRIES = 3, WRONG_WAIT = 3, LOGIN_SECONDS = 60 };

/* The card directory: this program is CARD/usr/lib/camfw/camfw-login. */
static int find_card(char *out, size_t size)
{
	static const char tail[] = "/usr/lib/camfw/camfw-login";
	ssize_t n = readlink("/proc/self/exe", out, size - 1);
	if (n <= (ssize_t)strlen(tail))
		return -1;
	out[n] = '\0';
	if (strcmp(out + n - strlen(tail), tail))
		return -1;
	out[n - strlen(tail)] = '\0';
	return 0;
}

/* A line from the terminal without its newline; echo off for a password. -1 at the end. */
static int ask(const char *prompt, char *out, size_t size, int echo)
{
	struct termios before, quiet;
	int restore = 0;
	size_t n = 0;
	char c;

	fputs(prompt, stdout);
	fflush(stdout);
	if (!echo && tcgetattr(0, &before) == 0) {
		quiet = before;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		restore = tcsetattr(0, TCSANOW, &quiet) == 0;
	}
	for (;;) {
		if (read(0, &c, 1) != 1) {
			n = (size_t)-1;
			break;
		}
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 < size)
			out[n++] = c;
	}
	if (restore) {
		tcsetattr(0, TCSANOW, &before);
		fputs("\n", stdout);
	}
	if (n == (size_t)-1)
		return -1;
	out[n] = '\0';
	return 0;
}

/* The owner's shell: camfw's BusyBox sh, with the card's tools on PATH: a login shell, or
 * one that runs COMMAND. */
static void run_shell(const char *card, const char *command)
{
	char busybox[600], path[2200], term[80];
	char *env[] = { path, "HOME=/", "SHELL=/bin/sh", "USER=root", "LOGNAME=root", NULL, NULL };
	snprintf(busybox, sizeof busybox, "%s/bin/busybox", card);
	snprintf(path, sizeof path, "PATH=%s/bin:%s/bin:%s/sbin:%s/usr/bin:%s/usr/sbin:/bin:/sbin:/usr/bin:/usr/sbin", run_dir(), card, card, card, card);
	if (getenv("TERM")) {
		snprintf(term, sizeof term, "TERM=%s", getenv("TERM"));
		env[5] = term;
	}
	if (command)
		execle(busybox, "sh", "-c", command, (char *)NULL, env);
	else
		execle(busybox, "-sh", (char *)NULL, env);
	perror("camfw-login: cannot run the shell");
}

/* Whether USER and PASSWORD are the owner's, within the login limit; why not in *why. */
static int owner_matches(const char *user, char *password, const char **why)
{
	struct login_try t;
	long wait = login_begin(&t, env_or("TCPREMOTEIP", "unknown"));
	int ok = 0;
	*why = "Login incorrect";
	if (wait > 0)
		*why = "camfw: too many failed logins: wait and try again";
	else if (wait == LOGIN_BUSY)
		*why = "camfw: the camera is checking other logins: try again in a moment";
	else
		ok = password_matches(strcmp(user, "root") ? user : NULL, password);
	memset(password, 0, strlen(password));
	login_end(&t, ok);
	if (!ok && !wait)
		sleep(WRONG_WAIT);
	return ok;
}

/* One NUL-ended string from stdin; -1 when it is missing or longer than SIZE - 1. */
static int read_field(char *out, size_t size)
{
	size_t n = 0;
	char c;
	while (read(0, &c, 1) == 1) {
		if (c == '\0') {
			out[n] = '\0';
			return 0;
		}
		if (n + 1 >= size)
			return -1;
		out[n++] = c;
	}
	return -1;
}

/* --check: the user and the password on stdin, for the SSH and FTP services. */
static int check_stdin(void)
{
	char user[64], password[PASSWORD_MAX + 2];
	const char *why;
	if (read_field(user, sizeof user) < 0 || read_field(password, sizeof password) < 0) {
		memset(password, 0, sizeof password);
		return 1;
	}
	return owner_matches(user, password, &why) ? 0 : 1;
}

int main(int argc, char **argv)
{
	char card[512], user[64], password[PASSWORD_MAX + 2];
	const char *why;
	int tries;

	if (find_card(card, sizeof card) < 0) {
		fprintf(stderr, "camfw-login: not at CARD/usr/lib/camfw/camfw-login\n");
		return 1;
	}
	setenv("CAMFW_ROOT", card, 1);
	if (argc == 2 && !strcmp(argv[1], "--check"))
		return check_stdin();
	if (argc == 3 && !strcmp(argv[1], "-c")) {
		run_shell(card, argv[2]);
		return 1;
	}
	if (argc == 1 && argv[0][0] == '-') {
		run_shell(card, NULL);
		return 1;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: camfw-login [--check | -c COMMAND]\n");
		return 2;
	}
	if (!passwd_exists()) {
		printf("camfw: this camera has no password yet: set it on its web page first.\n");
		return 1;
	}
	printf("camfw: log in with the web page's user (or root) and password.\n");
	/* a connection that never answers does not hold its place for ever */
	alarm(LOGIN_SECONDS);
	for (tries = 0; tries < TRIES; tries++) {
		if (ask("login: ", user, sizeof user, 1) < 0 || ask("Password: ", password, sizeof password, 0) < 0)
			return 1;
		if (owner_matches(user, password, &why)) {
			alarm(0);
			printf("camfw: logged in as %s: a root shell.\n", user);
			fflush(stdout);
			run_shell(card, NULL);
			return 1;
		}
		printf("%s\n", why);
	}
	return 1;
}
