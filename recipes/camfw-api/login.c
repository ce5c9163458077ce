/*
 * camfw-login: the login of camfw's telnet service (BusyBox telnetd -l). It asks for the
 * web UI's user and password, checks them against etc/camfw/web.passwd, and runs a shell:
 * the camera's remote shell takes the owner's password, never a stock one (the Xiaofang's
 * root/ismart12). Three tries per connection, 3 s after each wrong one, and one check at
 * a time on the whole camera (PBKDF2 is slow on an ARM926 on purpose).
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <termios.h>
#include <unistd.h>
#include "api.h"

enum { TRIES = 3, WRONG_WAIT = 3 };

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

/* The owner's shell: camfw's BusyBox sh as a login shell, with the card's tools on PATH. */
static void run_shell(const char *card, const char *user)
{
	char busybox[600], path[2200], term[80];
	char *env[] = { path, "HOME=/", "SHELL=/bin/sh", "USER=root", "LOGNAME=root", NULL, NULL };
	snprintf(busybox, sizeof busybox, "%s/bin/busybox", card);
	snprintf(path, sizeof path, "PATH=%s/bin:%s/bin:%s/sbin:%s/usr/bin:%s/usr/sbin:/bin:/sbin:/usr/bin:/usr/sbin", run_dir(), card, card, card, card);
	if (getenv("TERM")) {
		snprintf(term, sizeof term, "TERM=%s", getenv("TERM"));
		env[5] = term;
	}
	printf("camfw: logged in as %s: a root shell.\n", user);
	fflush(stdout);
	execle(busybox, "-sh", (char *)NULL, env);
	perror("camfw-login: cannot run the shell");
}

int main(void)
{
	char card[512], user[64], password[PASSWORD_MAX + 2], lock[600];
	int tries;

	if (find_card(card, sizeof card) < 0) {
		fprintf(stderr, "camfw-login: not at CARD/usr/lib/camfw/camfw-login\n");
		return 1;
	}
	setenv("CAMFW_ROOT", card, 1);
	if (!passwd_exists()) {
		printf("camfw: this camera has no password yet: set it on its web page first.\n");
		return 1;
	}
	snprintf(lock, sizeof lock, "%s/login.lock", run_dir());
	printf("camfw: log in with the web page's user and password.\n");
	for (tries = 0; tries < TRIES; tries++) {
		int ok, fd;
		if (ask("login: ", user, sizeof user, 1) < 0 || ask("Password: ", password, sizeof password, 0) < 0)
			return 1;
		fd = open(lock, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0)
			flock(fd, LOCK_EX);
		ok = password_matches(user, password);
		memset(password, 0, sizeof password);
		if (!ok)
			sleep(WRONG_WAIT);
		if (fd >= 0)
			close(fd);
		if (ok) {
			run_shell(card, user);
			return 1;
		}
		printf("Login incorrect\n");
	}
	return 1;
}
