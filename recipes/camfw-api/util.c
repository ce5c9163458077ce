/* Small helpers: environment, randomness, hex, constant-time compare, atomic writes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "api.h"

const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && v[0] ? v : fallback;
}

/* The camera's kernels (2.6.35, 3.0.8) have no getrandom(): /dev/urandom. */
int random_bytes(void *buf, size_t len)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	if (fd < 0)
		return -1;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	return 0;
}

void hex(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;
	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Exactly 2*len lowercase hex digits into len bytes; -1 otherwise. */
int unhex(const char *in, unsigned char *out, size_t len)
{
	size_t i;
	if (strlen(in) != 2 * len)
		return -1;
	for (i = 0; i < len; i++) {
		int hi = nibble(in[2 * i]), lo = nibble(in[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int equal_const_time(const void *a, const void *b, size_t len)
{
	const unsigned char *x = a, *y = b;
	unsigned char d = 0;
	size_t i;
	for (i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

/* Seconds since boot: sessions live in RAM, and NTP may move the wall clock by decades. */
long monotonic_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec;
}

/*
 * Replaces `path` with `content`: a temporary file beside it, written, synced, renamed
 * over it, the directory synced. A power cut leaves the old file or the new one. Mode -1
 * leaves the mode to the filesystem (vfat refuses a chmod that would drop its x bits).
 */
int write_file_atomic(const char *path, const char *content, int mode)
{
	char tmp[512], dir[512];
	size_t len = strlen(content), done = 0;
	int fd, dfd;

	if (snprintf(tmp, sizeof tmp, "%s.new", path) >= (int)sizeof tmp || snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode < 0 ? 0644 : mode);
	if (fd < 0)
		return -1;
	if (mode >= 0 && fchmod(fd, (mode_t)mode) < 0)
		goto fail;
	while (done < len) {
		ssize_t n = write(fd, content + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	if (fsync(fd) < 0)
		goto fail;
	close(fd);
	if (rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	close(fd);
	unlink(tmp);
	return -1;
}

/* The last `max` bytes of a file (all of a shorter one) into out[max + 1]; their number, 0 when it is missing. */
size_t read_tail(const char *path, char *out, size_t max)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;
	long size;
	if (f) {
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		fseek(f, size > (long)max ? size - (long)max : 0, SEEK_SET);
		n = fread(out, 1, max, f);
		fclose(f);
	}
	out[n] = '\0';
	return n;
}

/* Where camfw keeps its state in RAM (/tmp/camfw), and the card directory (lighttpd's environment). */
const char *run_dir(void)
{
	return env_or("CAMFW_RUN", "/tmp/camfw");
}

const char *card_dir(void)
{
	return env_or("CAMFW_ROOT", "/nonexistent");
}

/* The first line of a file without its newline (sysfs and /proc too: their sizes say nothing), or "". */
void first_line(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	out[0] = '\0';
	if (!f)
		return;
	if (fgets(out, (int)size, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

/* A host name: labels of letters, digits and inner hyphens, joined by dots (or an IPv4 address). */
int hostname_ok(const char *v, int dots)
{
	size_t label = 0;
	const char *p;
	for (p = v; *p; p++) {
		if (*p == '.' && dots) {
			if (!label || p[-1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (dots && *p >= 'A' && *p <= 'Z') || (*p == '-' && label)))
			return 0;
		if (++label > 63)
			return 0;
	}
	return label && p[-1] != '-';
}
