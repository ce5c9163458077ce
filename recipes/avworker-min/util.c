/*
 * avworker-min: messages, clock, backoff.
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavutil/error.h>

#include "avworker-min.h"

volatile sig_atomic_t signals;

void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

const char *error_text(int err, char *buf, size_t size)
{
	buf[0] = '\0';
	if (err < 0)
		av_strerror(err, buf, size);
	return buf;
}

void keep_error(char *buf, size_t size, time_t *when, const char *who, int err, const char *fmt, va_list ap)
{
	char reason[AV_ERROR_MAX_STRING_SIZE];
	size_t n;
	vsnprintf(buf, size, fmt, ap);
	n = strlen(buf);
	if (err < 0 && n < size)
		snprintf(buf + n, size - n, ": %s", error_text(err, reason, sizeof reason));
	*when = time(NULL);
	say("%s: error: %s", who, buf);
}

const char *redacted(const char *url, int keep_path, char *buf, size_t size)
{
	const char *host = strstr(url, "://"), *at, *path;
	if (!host) {
		snprintf(buf, size, "%s", url);
		return buf;
	}
	host += 3;
	path = host + strcspn(host, "/?#");
	/* user:password@ never leaves the settings */
	for (at = host; at < path; at++)
		if (*at == '@')
			host = at + 1;
	snprintf(buf, size, "%.*s%.*s%s", (int)(strstr(url, "://") + 3 - url), url, (int)(path - host), host,
		 !*path ? "" : keep_path ? path : "/...");
	return buf;
}

void backoff_init(struct backoff *b, int64_t base_us, int64_t cap_us)
{
	b->base_us = base_us;
	b->cap_us = cap_us;
	b->step_us = base_us;
	b->seed = (unsigned)now_us() ^ (unsigned)getpid();
}

int64_t backoff_next(struct backoff *b)
{
	int64_t step = b->step_us;
	int64_t half = step / 2;
	b->step_us = step * 2 > b->cap_us ? b->cap_us : step * 2;
	return half + (int64_t)((double)rand_r(&b->seed) / RAND_MAX * (double)half);
}

void backoff_reset(struct backoff *b)
{
	b->step_us = b->base_us;
}
