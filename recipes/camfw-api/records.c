/*
 * The recordings avworker-min writes beside the card directory (CAMFW_RECORD, set by the
 * web service): the list, a segment to play or download (lighttpd sends it, with ranges),
 * and deleting one. Only files named as avworker-min names them are touched, and only
 * regular files: a link named like a segment is neither listed nor served.
 *
 *   GET  /api/recordings
 *   GET  /api/recording/YYYYMMDD-HHMMSS.mp4
 *   POST /api/recording/delete   {"name"}
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "api.h"

struct segment {
	char name[24];
	long long size;
	long mtime;
};

static const char *record_dir(void)
{
	return env_or("CAMFW_RECORD", "/nonexistent");
}

/* YYYYMMDD-HHMMSS.mp4 or .mov */
static int segment_name(const char *n)
{
	return strlen(n) == 19 && strspn(n, "0123456789") == 8 && n[8] == '-' && strspn(n + 9, "0123456789") == 6 &&
	       (!strcmp(n + 15, ".mp4") || !strcmp(n + 15, ".mov"));
}

/* The segment NAME's size and time, opened without following a link (nor waiting on a FIFO); -1 unless it is a regular file. */
static int segment_stat(const char *name, struct stat *st)
{
	char p[600];
	int fd, ok;
	snprintf(p, sizeof p, "%s/%s", record_dir(), name);
	fd = open(p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = fstat(fd, st) == 0 && S_ISREG(st->st_mode);
	close(fd);
	return ok ? 0 : -1;
}

static int newest_first(const void *a, const void *b)
{
	return strcmp(((const struct segment *)b)->name, ((const struct segment *)a)->name);
}

void route_recordings(void)
{
	static struct segment seg[RECORDINGS_MAX];
	struct session session;
	struct statvfs fs;
	static struct buf out;
	struct dirent *e;
	DIR *d;
	int n = 0, i;

	if (!logged_in_get(&session))
		return;
	d = opendir(record_dir());
	while (d && (e = readdir(d)) && n < RECORDINGS_MAX) {
		struct stat st;
		if (!segment_name(e->d_name) || segment_stat(e->d_name, &st) < 0)
			continue;
		memcpy(seg[n].name, e->d_name, 20); /* 19 characters and the NUL: segment_name() */
		seg[n].size = (long long)st.st_size;
		seg[n].mtime = (long)st.st_mtime;
		n++;
	}
	if (d)
		closedir(d);
	qsort(seg, (size_t)n, sizeof *seg, newest_first);
	buf_init(&out);
	buf_add(&out, "{\"dir\":");
	buf_string(&out, record_dir());
	if (statvfs(record_dir(), &fs) == 0)
		buf_add(&out, ",\"total_mb\":%llu,\"free_mb\":%llu", (unsigned long long)fs.f_blocks * fs.f_frsize >> 20, (unsigned long long)fs.f_bavail * fs.f_frsize >> 20);
	buf_add(&out, ",\"segments\":[");
	for (i = 0; i < n; i++)
		buf_add(&out, "%s{\"name\":\"%s\",\"size\":%lld,\"mtime\":%ld}", i ? "," : "", seg[i].name, seg[i].size, seg[i].mtime);
	buf_add(&out, "]}");
	reply_buf(&out);
}

void route_recording(const char *name)
{
	struct session session;
	char p[600];
	struct stat st;
	if (!logged_in_get(&session))
		return;
	if (!segment_name(name) || segment_stat(name, &st) < 0) {
		reply_error(404, NULL, "no such recording");
		return;
	}
	snprintf(p, sizeof p, "%s/%s", record_dir(), name);
	printf("Status: 200 OK\r\nContent-Type: %s\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nX-Sendfile: %s\r\n\r\n",
	       strcmp(name + 15, ".mov") ? "video/mp4" : "video/quicktime", p);
}

void route_recording_delete(void)
{
	static const char *const fields[] = { "name", NULL };
	struct session session;
	struct body b;
	const char *name;
	char p[1100];
	if (logged_in_post(&session) < 0 || body_read(&b) < 0 || body_expect(&b, fields) < 0)
		return;
	name = body_get(&b, "name")->value;
	if (!segment_name(name)) {
		reply_error(400, "name", "name: a recording's name, YYYYMMDD-HHMMSS.mp4 or .mov");
		return;
	}
	snprintf(p, sizeof p, "%s/%s", record_dir(), name);
	if (unlink(p) < 0) {
		reply_error(errno == ENOENT ? 404 : 500, "name", "name: cannot delete %s (%s)", name, strerror(errno));
		return;
	}
	reply_json(200, NULL, "{\"ok\":true}");
}
