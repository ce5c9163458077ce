/*
 * avworker-min: settings, from the command line or from the file the web UI writes.
 * A file holds `key=value` lines (the long options without their dashes), `#` comments
 * and blank lines. Every value is checked here; nothing is ever passed to a shell.
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avworker-min.h"

static const char USAGE[] =
	"usage: " PROG " INPUT OUTPUT\n"
	"       " PROG " --config FILE [--KEY=VALUE...]\n"
	"       " PROG " --input=URL [--rtmp=URL] [--record=DIR] [--KEY=VALUE...]\n"
	"\n"
	"The first form copies the video and audio of INPUT (an rtsp:// URL or an MPEG-TS file)\n"
	"once to OUTPUT (an rtmp:// URL, or a file whose extension names the container: .flv\n"
	".mp4 .mov) and exits when the input ends: 0 at the end of a file or on SIGINT/SIGTERM, 3\n"
	"when a network source is lost, 1 on an error.\n"
	"\n"
	"The other forms are the camera's stream worker: one RTSP session feeds an RTMP push and\n"
	"a recording, each on its own; both reconnect until SIGINT/SIGTERM (exit 0). Keys (in\n"
	"FILE as KEY=VALUE lines; options given after --config override the file):\n"
	"  input=URL            the camera's stream, rtsp://\n"
	"  rtmp=URL             push to this rtmp:// URL (empty: no push)\n"
	"  rtmp-audio=copy|none copy the audio into the push, or push video only (for ingests\n"
	"                       that need AAC when the camera sends G.711)\n"
	"  record=DIR           record segments into DIR (empty: no recording)\n"
	"  segment-seconds=N    length of a recording segment, 10-3600 (default 300)\n"
	"  keep-free-mb=N       delete the oldest segments to keep N MB free, 1-1000000\n"
	"                       (default 64); recording stops when nothing is left to delete\n"
	"  retry-max-seconds=N  the longest wait between two attempts to reconnect the source,\n"
	"                       the push or the recording, 1-600 (default 60)\n"
	"  status=FILE          write the worker's state as JSON to FILE\n";

static int bad(const char *where, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Says which setting is wrong, where, and why; returns the usage exit status. */
static int bad(const char *where, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, PROG ": error: %s%s%s: ", where, where[0] && key[0] ? ": " : "", key);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

/* Printable ASCII without spaces: what a URL or a path on the camera may hold. */
static int plain(const char *v)
{
	for (; *v; v++)
		if (*v <= ' ' || *v >= 0x7f)
			return 0;
	return 1;
}

static int number(const char *v, long lo, long hi, int *out)
{
	char *end;
	long n;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < lo || n > hi)
		return -1;
	*out = (int)n;
	return 0;
}

static int copy_value(char *dst, size_t size, const char *where, const char *key, const char *v)
{
	if (strlen(v) >= size)
		return bad(where, key, "longer than %u bytes", (unsigned)size - 1);
	if (!plain(v))
		return bad(where, key, "'%s' holds spaces, control or non-ASCII characters", v);
	strcpy(dst, v);
	return 0;
}

static int url_value(char *dst, const char *where, const char *key, const char *v, const char *scheme)
{
	if (v[0] && strncmp(v, scheme, strlen(scheme)) != 0)
		return bad(where, key, "'%s' is not a %s URL", v, scheme);
	return copy_value(dst, URL_MAX, where, key, v);
}

static int set(struct settings *s, const char *where, const char *key, const char *v)
{
	if (strcmp(key, "input") == 0)
		return url_value(s->input, where, key, v, "rtsp://");
	if (strcmp(key, "rtmp") == 0)
		return url_value(s->rtmp, where, key, v, "rtmp://");
	if (strcmp(key, "rtmp-audio") == 0) {
		if (strcmp(v, "copy") != 0 && strcmp(v, "none") != 0)
			return bad(where, key, "'%s' is not copy or none", v);
		s->rtmp_audio = strcmp(v, "copy") == 0;
		return 0;
	}
	if (strcmp(key, "record") == 0 || strcmp(key, "status") == 0) {
		if (v[0] && v[0] != '/')
			return bad(where, key, "'%s' is not an absolute path", v);
		return copy_value(strcmp(key, "record") == 0 ? s->record : s->status, PATH_MAX_LEN, where, key, v);
	}
	if (strcmp(key, "segment-seconds") == 0) {
		if (number(v, 10, 3600, &s->segment_seconds) < 0)
			return bad(where, key, "'%s' is not a whole number of seconds from 10 to 3600", v);
		return 0;
	}
	if (strcmp(key, "retry-max-seconds") == 0) {
		if (number(v, 1, 600, &s->retry_max_seconds) < 0)
			return bad(where, key, "'%s' is not a whole number of seconds from 1 to 600", v);
		return 0;
	}
	if (strcmp(key, "keep-free-mb") == 0) {
		if (number(v, 1, 1000000, &s->keep_free_mb) < 0)
			return bad(where, key, "'%s' is not a whole number of MB from 1 to 1000000", v);
		return 0;
	}
	return bad(where, key, "unknown setting (" PROG " --help lists them)");
}

static int read_file(struct settings *s, const char *file)
{
	char line[URL_MAX + 64], where[PATH_MAX_LEN + 32];
	FILE *f = fopen(file, "r");
	int n = 0, ret = 0;
	if (!f) {
		fprintf(stderr, PROG ": error: cannot read settings file '%s': %s\n", file, strerror(errno));
		return 2;
	}
	while (!ret && fgets(line, sizeof line, f)) {
		char *eq, *end = line + strlen(line);
		n++;
		snprintf(where, sizeof where, "%s line %d", file, n);
		if (end > line && end[-1] != '\n' && !feof(f)) {
			ret = bad(where, "", "the line is too long");
			break;
		}
		while (end > line && (end[-1] == '\n' || end[-1] == '\r'))
			*--end = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq) {
			ret = bad(where, "", "'%s' is not KEY=VALUE", line);
			break;
		}
		*eq = '\0';
		ret = set(s, where, line, eq + 1);
	}
	if (!ret && ferror(f))
		ret = bad(file, "", "read error");
	fclose(f);
	return ret;
}

int settings_parse(struct settings *s, int argc, char **argv)
{
	int i, ret = 0, positional = 0;
	memset(s, 0, sizeof *s);
	s->rtmp_audio = 1;
	s->segment_seconds = 300;
	s->keep_free_mb = 64;
	s->retry_max_seconds = 60;

	for (i = 1; i < argc && !ret; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(USAGE, stdout);
			exit(0);
		}
		if (strcmp(a, "--config") == 0) {
			if (i + 1 >= argc)
				return bad("", "--config", "needs a FILE");
			ret = read_file(s, argv[++i]);
		} else if (strncmp(a, "--", 2) == 0) {
			char key[32];
			const char *eq = strchr(a, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : 0;
			if (!eq || n == 0 || n >= sizeof key)
				return bad("", a, "is not --KEY=VALUE");
			memcpy(key, a + 2, n);
			key[n] = '\0';
			ret = set(s, "", key, eq + 1);
		} else if (positional == 0) {
			ret = copy_value(s->input, URL_MAX, "", "INPUT", a);
			positional++;
		} else if (positional == 1) {
			ret = copy_value(s->output, URL_MAX, "", "OUTPUT", a);
			positional++;
		} else {
			return bad("", a, "unexpected argument");
		}
	}
	if (ret)
		return ret;
	if (positional == 1) {
		fputs(USAGE, stderr);
		return 2;
	}
	s->once = positional == 2;
	if (s->once && (s->rtmp[0] || s->record[0]))
		return bad("", "OUTPUT", "the simple form takes one OUTPUT; use --rtmp and --record without it");
	if (!s->input[0]) {
		fputs(USAGE, stderr);
		return 2;
	}
	if (!s->once && !s->rtmp[0] && !s->record[0])
		say("no rtmp and no record setting: reading the stream for its status only");
	return 0;
}
