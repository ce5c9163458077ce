/*
 * avworker-min: the status file the web UI reads. JSON, replaced atomically (a temporary
 * file beside it, then rename), at every change of state and every 2 seconds.
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "avworker-min.h"

#define STATUS_PERIOD_US 2000000

struct json {
	char buf[4096];
	size_t len;
};

static void put(struct json *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct json *j, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (j->len >= sizeof j->buf)
		return;
	va_start(ap, fmt);
	n = vsnprintf(j->buf + j->len, sizeof j->buf - j->len, fmt, ap);
	va_end(ap);
	j->len = n < 0 ? sizeof j->buf : j->len + (size_t)n;
}

/* "key":"value", escaped as JSON wants (RFC 8259 7); bytes over 0x7f are passed as they are. */
static void put_string(struct json *j, const char *key, const char *v)
{
	put(j, "\"%s\":\"", key);
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;
		if (c == '"' || c == '\\')
			put(j, "\\%c", c);
		else if (c < 0x20)
			put(j, "\\u%04x", c);
		else
			put(j, "%c", c);
	}
	put(j, "\"");
}

/* kbit/s since the last status, from a byte counter and where it stood then. */
static long kbps(int64_t bytes, int64_t *before, int64_t elapsed_us)
{
	long r = elapsed_us > 0 ? (long)((bytes - *before) * 8 * 1000 / elapsed_us) : 0;
	*before = bytes;
	return r;
}

static void put_output(struct json *j, const struct output *o, int record, int64_t *bytes_before, int64_t elapsed_us, int64_t now)
{
	char where[URL_MAX];
	put(j, "\"%s\":{\"state\":\"%s\",", o->name, output_state_name(o->state));
	if (record) {
		put_string(j, "dir", o->dir);
		put(j, ",");
		put_string(j, "segment", o->file);
		put(j, ",\"segments\":%lld,\"deleted\":%lld,\"free_mb\":%lld,\"keep_free_mb\":%lld,",
		    (long long)o->segments, (long long)o->deleted, (long long)(o->free_bytes >> 20),
		    (long long)(o->keep_free_bytes >> 20));
	} else {
		put_string(j, "target", redacted(o->url, 0, where, sizeof where));
		put(j, ",\"audio\":%s,", o->with_audio ? "true" : "false");
	}
	put(j, "\"kbps\":%ld,\"frames\":%lld,\"starts\":%lld,\"repairs\":%lld,\"retry_in\":%lld,",
	    kbps(o->bytes, bytes_before, elapsed_us), (long long)o->frames, (long long)o->starts, (long long)o->repairs,
	    (long long)(o->state == OUT_WAITING || o->state == OUT_FULL ? (o->next_attempt - now + 999999) / 1000000 : 0));
	put_string(j, "error", o->error);
	put(j, ",\"error_time\":%lld}", (long long)o->error_time);
}

void status_write(struct worker *w, int force)
{
	static int64_t last, in_before, push_before, record_before;
	static int complained;
	char tmp[PATH_MAX_LEN + 8], where[URL_MAX];
	struct json j;
	int64_t now = now_us(), elapsed = now - last;
	FILE *f;
	int ok;

	if (!w->settings->status[0] || (!force && elapsed < STATUS_PERIOD_US))
		return;
	last = now;
	j.len = 0;
	put(&j, "{\"pid\":%ld,\"time\":%lld,\"uptime\":%lld,\"input\":{\"state\":\"%s\",", (long)getpid(),
	    (long long)time(NULL), (long long)((now - w->started_us) / 1000000), w->input_state);
	put_string(&j, "url", redacted(w->settings->input, 1, where, sizeof where));
	put(&j, ",");
	put_string(&j, "video", w->video);
	put(&j, ",");
	put_string(&j, "audio", w->audio);
	put(&j, ",\"kbps\":%ld,\"frames\":%lld,\"reconnects\":%lld,\"dropped\":%lld,", kbps(w->input_bytes, &in_before, elapsed),
	    (long long)w->input_frames, (long long)w->input_reconnects, (long long)w->dropped);
	put_string(&j, "error", w->input_error);
	put(&j, ",\"error_time\":%lld},", (long long)w->input_error_time);
	put_output(&j, &w->push, 0, &push_before, elapsed, now);
	put(&j, ",");
	put_output(&j, &w->record, 1, &record_before, elapsed, now);
	put(&j, "}\n");
	if (j.len >= sizeof j.buf) {
		say("error: the status does not fit in %u bytes", (unsigned)sizeof j.buf);
		return;
	}

	snprintf(tmp, sizeof tmp, "%s.tmp", w->settings->status);
	f = fopen(tmp, "w");
	ok = f && fwrite(j.buf, 1, j.len, f) == j.len;
	if (f && fclose(f) != 0)
		ok = 0;
	if (ok && rename(tmp, w->settings->status) == 0)
		return;
	if (!complained++)
		say("error: cannot write the status file %s: %s", w->settings->status, strerror(errno));
	unlink(tmp);
}
