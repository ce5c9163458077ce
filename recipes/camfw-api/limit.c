/*
 * How many password checks a client gets: the one limit of every login of the owner (the
 * web page's, and camfw-login's for telnet, SSH and FTP). Each check is counted before it
 * runs, under a lock, as a failure that a right password takes back; a client address
 * has 5 free failures, then waits 2 s, 4 s, ... up to 5 minutes after each. All the
 * clients outside the camera's own network also share one count (10 free failures), so
 * that many addresses from the internet guess no faster than one. A client has at most
 * one check running, and the camera at most CHECKS (PBKDF2 is slow on an ARM926 on
 * purpose), the last of them kept for the camera's own network.
 *
 * In RAM, $RUN/login/: `failures` (at most FAILURES_MAX lines "CLIENT COUNT LAST", LAST
 * in seconds since boot; a client quiet for an hour is forgotten), `lock` (flock) for
 * changing it, and one file per check running, `check0`..., each held with flock by the
 * process that checks (the kernel lets go when it ends, however it ends) and holding that
 * client's name.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "api.h"

enum {
	FREE_FAILURES = 5,
	OUTSIDE_FREE_FAILURES = 10,
	FAILURE_WAIT_MAX = 300,
	QUIET_SECONDS = 3600,
	FAILURES_MAX = 128,
	CHECKS = 3,
};
/* The count that every client outside the camera's own network adds to. */
static const char OUTSIDE[] = "outside";

struct failures {
	int n;
	struct {
		char client[CLIENT_MAX];
		unsigned count;
		long last;
	} e[FAILURES_MAX];
};

static void login_path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/login/%s", run_dir(), name);
}

/* The name a client is counted by: its IPv4 address, or its IPv6 /64 (one host has them all). */
static void client_name(const char *addr, char out[CLIENT_MAX])
{
	struct in6_addr a6;
	struct in_addr a4;
	char text[INET6_ADDRSTRLEN];
	if (!strncmp(addr, "::ffff:", 7) && inet_pton(AF_INET, addr + 7, &a4) == 1)
		addr += 7;
	if (inet_pton(AF_INET, addr, &a4) == 1 && inet_ntop(AF_INET, &a4, text, sizeof text)) {
		snprintf(out, CLIENT_MAX, "%s", text);
	} else if (inet_pton(AF_INET6, addr, &a6) == 1) {
		memset(a6.s6_addr + 8, 0, 8);
		inet_ntop(AF_INET6, &a6, text, sizeof text);
		snprintf(out, CLIENT_MAX, "%s/64", text);
	} else {
		snprintf(out, CLIENT_MAX, "unknown");
	}
}

static void failures_load(struct failures *f, long now)
{
	char p[512], line[128];
	FILE *in;
	memset(f, 0, sizeof *f);
	login_path(p, sizeof p, "failures");
	in = fopen(p, "r");
	if (!in)
		return;
	while (f->n < FAILURES_MAX && fgets(line, sizeof line, in)) {
		char client[CLIENT_MAX];
		unsigned count;
		long last;
		if (sscanf(line, "%63s %u %ld", client, &count, &last) != 3 || !count || now - last > QUIET_SECONDS)
			continue;
		snprintf(f->e[f->n].client, CLIENT_MAX, "%s", client);
		f->e[f->n].count = count;
		f->e[f->n].last = last;
		f->n++;
	}
	fclose(in);
}

static int failures_save(const struct failures *f)
{
	/* a line: the client, a count and a time, at most CLIENT_MAX + 32 bytes */
	static char text[FAILURES_MAX * (CLIENT_MAX + 32)];
	char p[512];
	size_t len = 0;
	int i, n;
	text[0] = '\0';
	for (i = 0; i < f->n; i++) {
		if (!f->e[i].count)
			continue;
		n = snprintf(text + len, sizeof text - len, "%s %u %ld\n", f->e[i].client, f->e[i].count, f->e[i].last);
		if (n < 0 || (size_t)n >= sizeof text - len) {
			text[len] = '\0';
			break;
		}
		len += (size_t)n;
	}
	login_path(p, sizeof p, "failures");
	return write_file_atomic(p, text, 0600);
}

/* The client's entry, made when `make` (in place of the one quiet the longest when full), or NULL. */
static int failures_find(struct failures *f, const char *client, int make)
{
	int i, oldest = -1;
	for (i = 0; i < f->n; i++) {
		if (!strcmp(f->e[i].client, client))
			return i;
		if (strcmp(f->e[i].client, OUTSIDE) && (oldest < 0 || f->e[i].last < f->e[oldest].last))
			oldest = i;
	}
	if (!make)
		return -1;
	i = f->n < FAILURES_MAX ? f->n++ : oldest;
	snprintf(f->e[i].client, CLIENT_MAX, "%s", client);
	f->e[i].count = 0;
	f->e[i].last = 0;
	return i;
}

/* Seconds the client must still wait: 2 s after the first failure past `free_failures`, doubling up to 5 minutes. */
static long wait_of(struct failures *f, const char *client, unsigned free_failures, long now)
{
	int i = failures_find(f, client, 0);
	unsigned over;
	long wait;
	if (i < 0 || f->e[i].count < free_failures)
		return 0;
	over = f->e[i].count - free_failures;
	wait = 2L << (over < 8 ? over : 8);
	if (wait > FAILURE_WAIT_MAX)
		wait = FAILURE_WAIT_MAX;
	wait -= now - f->e[i].last;
	return wait > 0 ? wait : 0;
}

static void count_failure(struct failures *f, const char *client, long now)
{
	int i = failures_find(f, client, 1);
	f->e[i].count++;
	f->e[i].last = now;
}

static int lock_failures(void)
{
	char p[512];
	int fd;
	login_path(p, sizeof p, "");
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		return -1;
	login_path(p, sizeof p, "lock");
	fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Takes a check for the client: a free one of CHECKS (the last only for the camera's own
 * network), unless one of them checks this client already. The check's file, held; -1
 * when there is none; *mine when the client has one running.
 */
static int take_check(const struct login_try *t, int *mine)
{
	char p[512], name[16], holder[CLIENT_MAX];
	int i, fd, taken = -1;
	*mine = 0;
	for (i = 0; i < CHECKS; i++) {
		snprintf(name, sizeof name, "check%d", i);
		login_path(p, sizeof p, name);
		fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (taken < 0 && (i < CHECKS - 1 || !t->outside)) {
				taken = fd;
				continue;
			}
		} else {
			ssize_t n = pread(fd, holder, sizeof holder - 1, 0);
			holder[n > 0 ? n : 0] = '\0';
			if (!strcmp(holder, t->client))
				*mine = 1;
		}
		close(fd);
	}
	if (taken >= 0 && (*mine || ftruncate(taken, 0) < 0 || pwrite(taken, t->client, strlen(t->client), 0) < 0)) {
		close(taken);
		taken = -1;
	}
	return taken;
}

long login_begin(struct login_try *t, const char *addr)
{
	static struct failures f;
	long now = monotonic_seconds(), wait;
	int lock, mine;

	memset(t, 0, sizeof *t);
	t->check = -1;
	client_name(addr, t->client);
	t->outside = !address_on_own_network(addr);
	if ((lock = lock_failures()) < 0)
		return LOGIN_BUSY;
	failures_load(&f, now);
	wait = wait_of(&f, t->client, FREE_FAILURES, now);
	if (t->outside && wait_of(&f, OUTSIDE, OUTSIDE_FREE_FAILURES, now) > wait)
		wait = wait_of(&f, OUTSIDE, OUTSIDE_FREE_FAILURES, now);
	if (!wait) {
		t->check = take_check(t, &mine);
		if (t->check < 0) {
			wait = LOGIN_BUSY;
		} else {
			count_failure(&f, t->client, now);
			if (t->outside)
				count_failure(&f, OUTSIDE, now);
			if (failures_save(&f) < 0) {
				close(t->check);
				t->check = -1;
				wait = LOGIN_BUSY;
			}
		}
	}
	close(lock);
	return wait;
}

void login_end(struct login_try *t, int ok)
{
	static struct failures f;
	int lock, i;
	if (t->check < 0)
		return;
	if (ok && (lock = lock_failures()) >= 0) {
		failures_load(&f, monotonic_seconds());
		if ((i = failures_find(&f, t->client, 0)) >= 0)
			f.e[i].count = 0;
		/* the owner's own try from outside is not the others' */
		if (t->outside && (i = failures_find(&f, OUTSIDE, 0)) >= 0 && f.e[i].count)
			f.e[i].count--;
		failures_save(&f);
		close(lock);
	}
	close(t->check);
	t->check = -1;
}
