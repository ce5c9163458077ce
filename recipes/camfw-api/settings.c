/*
 * The settings the web UI changes, each checked against its own rule (a range, a list, a
 * strict pattern) before it is written to etc/camfw/settings.conf, and what a change
 * restarts. The stream target with its key is in etc/camfw/stream.conf, a secret that is
 * never sent back: the UI only learns which server it names and whether a key is set.
 *
 *   GET  /api/settings      every setting, the stream server without its path, the zones
 *   POST /api/settings      {"NAME": value, ...}: some of them
 *   POST /api/stream        {"url", "key"}: the RTMP target ("" and "" remove it)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

enum kind { BOOLEAN, INTEGER, CHOICE, HOSTNAME, HOST, NAMES, ZONE };
/* the services a change of settings may restart */
enum { RESTARTS = 7 };
/* the owner's other names for the camera */
enum { WEB_NAMES_MAX = 8 };

struct setting {
	const char *name, *var;
	enum kind kind;
	long min, max;
	const char *choices;
	/* the camera feature it needs (CAMFW_FEATURES), or NULL for every camera */
	const char *feature;
	/* the service a change refreshes (its init script starts it again only when it is on) */
	const char *restart;
};

static const struct setting SETTINGS[] = {
	{ "hostname", "CAMFW_HOSTNAME", HOSTNAME, 1, 63, NULL, NULL, NULL },
	/* the owner's other names for the camera, which the Host header may give (host.c) */
	{ "webNames", "CAMFW_WEB_NAMES", NAMES, 0, WEB_NAMES_MAX, NULL, NULL, NULL },
	{ "timezone", "CAMFW_TZ_NAME", ZONE, 0, 0, NULL, NULL, "stream" },
	{ "ntpServer", "CAMFW_NTP_SERVER", HOST, 1, 253, NULL, NULL, "ntp" },
	{ "ntp", "CAMFW_SERVICE_NTP", BOOLEAN, 0, 0, NULL, NULL, NULL },
	{ "rtsp", "CAMFW_SERVICE_RTSP", BOOLEAN, 0, 0, NULL, NULL, NULL },
	{ "rtmp", "CAMFW_SERVICE_RTMP", BOOLEAN, 0, 0, NULL, NULL, "stream" },
	{ "record", "CAMFW_SERVICE_RECORD", BOOLEAN, 0, 0, NULL, NULL, "stream" },
	{ "telnet", "CAMFW_SERVICE_TELNET", BOOLEAN, 0, 0, NULL, NULL, "telnet" },
	{ "ssh", "CAMFW_SERVICE_SSH", BOOLEAN, 0, 0, NULL, NULL, "ssh" },
	{ "ftp", "CAMFW_SERVICE_FTP", BOOLEAN, 0, 0, NULL, NULL, "ftp" },
	{ "recordSegmentSeconds", "CAMFW_RECORD_SEGMENT_SECONDS", INTEGER, 10, 3600, NULL, NULL, "stream" },
	{ "recordKeepFreeMb", "CAMFW_RECORD_KEEP_FREE_MB", INTEGER, 1, 1000000, NULL, NULL, "stream" },
	{ "streamQuality", "CAMFW_STREAM_QUALITY", CHOICE, 0, 0, "hd sd", "quality", "stream" },
	{ "videoResolution", "CAMFW_VIDEO_RESOLUTION", CHOICE, 0, 0, "1920x1080 1280x720 640x360", "video", "rtsp" },
	{ "videoFps", "CAMFW_VIDEO_FPS", INTEGER, 1, 30, NULL, "video", "rtsp" },
	{ "videoBitrateKbps", "CAMFW_VIDEO_BITRATE_KBPS", INTEGER, 128, 8192, NULL, "video", "rtsp" },
	{ "videoTimestamp", "CAMFW_VIDEO_TIMESTAMP", BOOLEAN, 0, 0, NULL, "video", "image" },
	{ "videoFlip", "CAMFW_VIDEO_FLIP", BOOLEAN, 0, 0, NULL, "video", "image" },
	{ "videoMirror", "CAMFW_VIDEO_MIRROR", BOOLEAN, 0, 0, NULL, "video", "image" },
	{ "videoIr", "CAMFW_VIDEO_IR", CHOICE, 0, 0, "auto day night", "video", "image" },
	{ NULL, NULL, BOOLEAN, 0, 0, NULL, NULL, NULL },
};

static void settings_path(char *out, size_t size, const char *file)
{
	snprintf(out, size, "%s/etc/camfw/%s", card_dir(), file);
}

int settings_load(struct conf *c)
{
	char p[512], why[600];
	settings_path(p, sizeof p, "settings.conf");
	if (conf_load(c, p, why, sizeof why) < 0) {
		reply_error(500, NULL, "%s", why);
		return -1;
	}
	return 0;
}

/* A word of a space-separated list. */
static int in_list(const char *list, const char *word)
{
	size_t n = strlen(word);
	while (n && *list) {
		size_t len = strcspn(list, " ");
		if (len == n && !strncmp(list, word, n))
			return 1;
		list += len;
		list += strspn(list, " ");
	}
	return 0;
}

int has_feature(const struct conf *c, const char *feature)
{
	return in_list(conf_get(c, "CAMFW_FEATURES"), feature);
}

/* Up to MAX host names of at most 253 bytes, one space between two ("" is none). */
static int names_ok(const char *v, long max)
{
	char name[254];
	long n = 0;
	while (*v) {
		size_t len = strcspn(v, " ");
		if (len == 0 || len >= sizeof name || ++n > max)
			return 0;
		memcpy(name, v, len);
		name[len] = '\0';
		if (!hostname_ok(name, 1))
			return 0;
		v += len;
		if (*v == ' ' && !*++v)
			return 0;
	}
	return 1;
}

/* The value to store for s, or NULL after a 400 naming the field. */
static const char *checked(const struct setting *s, const struct field *f, const struct conf *c)
{
	static char out[VALUE_MAX];
	char *end;
	long v;

	if (s->feature && !has_feature(c, s->feature)) {
		reply_error(400, s->name, "%s: this camera has no such setting", s->name);
		return NULL;
	}
	if (s->kind != BOOLEAN && s->kind != INTEGER && !f->is_string) {
		reply_error(400, s->name, "%s: must be a string", s->name);
		return NULL;
	}
	switch (s->kind) {
	case BOOLEAN:
		if (f->is_string || (strcmp(f->value, "true") && strcmp(f->value, "false"))) {
			reply_error(400, s->name, "%s: true or false", s->name);
			return NULL;
		}
		return f->value[0] == 't' ? "1" : "0";
	case INTEGER:
		errno = 0;
		v = strtol(f->value, &end, 10);
		if (f->is_string || !f->len || *end || errno || v < s->min || v > s->max) {
			reply_error(400, s->name, "%s: a whole number from %ld to %ld", s->name, s->min, s->max);
			return NULL;
		}
		snprintf(out, sizeof out, "%ld", v);
		return out;
	case CHOICE:
		if (!in_list(s->choices, f->value)) {
			reply_error(400, s->name, "%s: one of %s", s->name, s->choices);
			return NULL;
		}
		return f->value;
	case HOSTNAME:
	case HOST:
		if (f->len < (size_t)s->min || f->len > (size_t)s->max || !hostname_ok(f->value, s->kind == HOST)) {
			reply_error(400, s->name, s->kind == HOST ? "%s: a host name or IPv4 address (letters, digits, '-' and '.')" : "%s: lower-case letters, digits and inner '-', at most 63", s->name);
			return NULL;
		}
		return f->value;
	case NAMES:
		if (!names_ok(f->value, s->max)) {
			reply_error(400, s->name, "%s: at most %ld host names (letters, digits, '-' and '.'), one space between two", s->name, s->max);
			return NULL;
		}
		return f->value;
	case ZONE:
		if (!zone_find(f->value)) {
			reply_error(400, s->name, "%s: a time zone of the list (GET /api/settings gives them)", s->name);
			return NULL;
		}
		return f->value;
	}
	return NULL;
}

/* The zone name shown: the one the owner picked, else the first whose TZ string the build set. */
static const char *zone_name(const struct conf *c)
{
	const char *name = conf_get(c, "CAMFW_TZ_NAME"), *tz = conf_get(c, "CAMFW_TZ");
	const struct zone *z;
	if (*name)
		return name;
	for (z = ZONES; z->name; z++)
		if (!strcmp(z->tz, tz))
			return z->name;
	return "";
}

/* The server of rtmp://[user:pass@]host[:port]/app/key: rtmp://host[:port]. */
static void stream_server(char *out, size_t size)
{
	char p[512], line[VALUE_MAX + 16];
	const char *host, *at, *slash;
	FILE *f;
	out[0] = '\0';
	settings_path(p, sizeof p, "stream.conf");
	f = fopen(p, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "rtmp=rtmp://", 12))
			continue;
		host = line + 12;
		slash = host + strcspn(host, "/\n");
		at = memchr(host, '@', (size_t)(slash - host));
		if (at)
			host = at + 1;
		snprintf(out, size, "rtmp://%.*s", (int)(slash - host), host);
	}
	fclose(f);
}

void route_settings_get(void)
{
	struct session session;
	static struct conf c;
	static struct buf out;
	const struct setting *s;
	const struct zone *z;
	char server[300];

	if (!logged_in_get(&session) || settings_load(&c) < 0)
		return;
	buf_init(&out);
	buf_add(&out, "{\"settings\":{");
	for (s = SETTINGS; s->name; s++) {
		const char *v = s->kind == ZONE ? zone_name(&c) : conf_get(&c, s->var);
		if (s->feature && !has_feature(&c, s->feature))
			continue;
		buf_add(&out, "%s\"%s\":", s == SETTINGS ? "" : ",", s->name);
		if (s->kind == BOOLEAN)
			buf_add(&out, "%s", strcmp(v, "1") ? "false" : "true");
		else if (s->kind == INTEGER)
			buf_add(&out, "%ld", atol(v));
		else
			buf_string(&out, v);
	}
	stream_server(server, sizeof server);
	buf_add(&out, "},\"stream\":{\"server\":");
	buf_string(&out, server);
	buf_add(&out, ",\"set\":%s},\"features\":", server[0] ? "true" : "false");
	buf_string(&out, conf_get(&c, "CAMFW_FEATURES"));
	buf_add(&out, ",\"tz\":");
	buf_string(&out, conf_get(&c, "CAMFW_TZ"));
	buf_add(&out, ",\"zones\":[");
	for (z = ZONES; z->name; z++) {
		buf_add(&out, z == ZONES ? "" : ",");
		buf_string(&out, z->name);
	}
	buf_add(&out, "]}");
	reply_buf(&out);
}

/*
 * The answer to a saved change: refreshes what it feeds ("refresh": stopped, then started
 * when its setting is on and its init script's check agrees), with what each init script
 * said and whether they all did it.
 */
static void reply_applied(const char *const *restart, int n)
{
	static struct buf out;
	struct service s[SERVICES_MAX];
	int count = services_list(s, SERVICES_MAX), i, done = 0, failed = 0;
	buf_init(&out);
	buf_add(&out, "{\"ok\":true,\"applied\":[");
	for (i = 0; i < n; i++) {
		const struct service *svc = service_find(s, count, restart[i]);
		char output[1024];
		if (!svc)
			continue;
		if (service_action(svc, "refresh", output, sizeof output) != 0)
			failed = 1;
		buf_add(&out, "%s", done++ ? "," : "");
		buf_string(&out, output);
	}
	buf_add(&out, "],\"restarted\":%s}", failed ? "false" : "true");
	reply_buf(&out);
}

/*
 * The services a change refreshes, in this order: the picture's settings go to the ISP the
 * RTSP server opens, and the stream worker reads the RTSP server: both after it.
 */
static const char *const ORDER[RESTARTS] = { "rtsp", "image", "ntp", "stream", "telnet", "ssh", "ftp" };

/* Its place in ORDER (every setting's `restart` is one of them). */
static int order_of(const char *service)
{
	int i;
	for (i = 0; i < RESTARTS - 1 && strcmp(ORDER[i], service); i++)
		;
	return i;
}

void route_settings_post(void)
{
	struct session session;
	struct body b;
	static struct conf c;
	const char *restart[RESTARTS];
	char p[512], hostname_out[256];
	int i, j, n_restart = 0, changed[RESTARTS] = { 0 }, hostname_changed = 0;

	if (logged_in_post(&session) < 0 || body_read(&b) < 0 || settings_load(&c) < 0)
		return;
	if (!b.n) {
		reply_error(400, NULL, "no settings given");
		return;
	}
	for (i = 0; i < b.n; i++) {
		const struct setting *s;
		const char *v;
		for (s = SETTINGS; s->name && strcmp(s->name, b.f[i].name); s++)
			;
		if (!s->name) {
			reply_error(400, b.f[i].name, "%s: not a field of this call (not a setting)", b.f[i].name);
			return;
		}
		if (!(v = checked(s, &b.f[i], &c)))
			return;
		if (!strcmp(conf_get(&c, s->var), v))
			continue;
		conf_put(&c, s->var, v);
		if (s->kind == ZONE)
			conf_put(&c, "CAMFW_TZ", zone_find(v)->tz);
		if (s->kind == HOSTNAME)
			hostname_changed = 1;
		if (s->restart)
			changed[order_of(s->restart)] = 1;
	}
	if (changed[order_of("rtsp")])
		changed[order_of("image")] = changed[order_of("stream")] = 1;
	if (!strcmp(conf_get(&c, "CAMFW_SERVICE_RTMP"), "1")) {
		char server[300];
		stream_server(server, sizeof server);
		if (!server[0]) {
			reply_error(400, "rtmp", "rtmp: set the RTMP server and key first");
			return;
		}
	}
	settings_path(p, sizeof p, "settings.conf");
	if (conf_save(&c, p, 0644) < 0) {
		reply_error(500, NULL, "cannot write %s (%s): the settings are unchanged", p, strerror(errno));
		return;
	}
	if (hostname_changed) {
		char busybox[512];
		const char *argv[] = { busybox, "hostname", conf_get(&c, "CAMFW_HOSTNAME"), NULL };
		snprintf(busybox, sizeof busybox, "%s/bin/busybox", card_dir());
		run_program(argv, hostname_out, sizeof hostname_out);
	}
	for (j = 0; j < RESTARTS; j++)
		if (changed[j])
			restart[n_restart++] = ORDER[j];
	reply_applied(restart, n_restart);
}

/* stream.conf's rtmp= line: url, and the key as its last part (what the build writes too). */
void route_stream(void)
{
	static const char *const fields[] = { "url", "key", NULL };
	struct session session;
	struct body b;
	static struct conf c;
	const struct field *url, *key;
	char p[512], text[2 * VALUE_MAX + 200], name[256];
	const char *host, *rest;
	size_t n;
	const char *restart[] = { "stream" };

	if (logged_in_post(&session) < 0 || body_read(&b) < 0 || body_expect(&b, fields) < 0 || settings_load(&c) < 0)
		return;
	url = body_get(&b, "url");
	key = body_get(&b, "key");
	if (url->len) {
		if (strncmp(url->value, "rtmp://", 7) || !value_ok(url->value) || strchr(url->value, ' ')) {
			reply_error(400, "url", "url: rtmp://host[:port]/app (plain RTMP: the camera has no TLS, so no rtmps), printable ASCII without spaces");
			return;
		}
		host = url->value + 7;
		n = strcspn(host, "/");
		if (memchr(host, '@', n)) {
			reply_error(400, "url", "url: rtmp://host[:port]/app, without user:password@ (the key goes in the key field)");
			return;
		}
		n = strcspn(host, ":/");
		snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : 0), host);
		if (!n || n > 253 || !hostname_ok(name, 1)) {
			reply_error(400, "url", "url: rtmp://host[:port]/app: the host is missing or not a host name");
			return;
		}
		rest = host + n;
		if (*rest == ':') {
			size_t digits = strspn(rest + 1, "0123456789");
			if (!digits || digits > 5 || atol(rest + 1) < 1 || atol(rest + 1) > 65535) {
				reply_error(400, "url", "url: rtmp://host:port/app: the port is 1 to 65535");
				return;
			}
			rest += 1 + digits;
		}
		if (*rest != '/' || !rest[1]) {
			reply_error(400, "url", "url: rtmp://host[:port]/app: the application (/live, /live2) is missing");
			return;
		}
	} else if (key->len) {
		reply_error(400, "url", "url: missing (the key goes with a server)");
		return;
	}
	if (!value_ok(key->value) || strchr(key->value, ' ')) {
		reply_error(400, "key", "key: printable ASCII without spaces");
		return;
	}
	if (!url->len && !strcmp(conf_get(&c, "CAMFW_SERVICE_RTMP"), "1")) {
		reply_error(400, "url", "url: the push is on: turn it off before removing its target");
		return;
	}
	n = strlen(url->value);
	while (n && url->value[n - 1] == '/' && key->len)
		n--;
	/* what avworker-min and the build take too (RTMP_TARGET_MAX, from the build) */
	if (n + (key->len ? 1 + key->len : 0) > RTMP_TARGET_MAX) {
		reply_error(400, key->len ? "key" : "url", "%s: the URL and the key together are %zu bytes: the camera takes at most %d", key->len ? "key" : "url",
			    n + (key->len ? 1 + key->len : 0), RTMP_TARGET_MAX);
		return;
	}
	snprintf(text, sizeof text,
		 "# avworker-min settings (etc/camfw/services/40-stream.sh): the RTMP target with its key,\n"
		 "# a secret, which nothing shows\n%s%.*s%s%s%s",
		 url->len ? "rtmp=" : "", (int)n, url->value, key->len ? "/" : "", key->value, url->len ? "\n" : "");
	settings_path(p, sizeof p, "stream.conf");
	if (write_file_atomic(p, text, 0600) < 0) {
		reply_error(500, NULL, "cannot write %s (%s): the target is unchanged", p, strerror(errno));
		return;
	}
	/* a new target for a push that is on */
	reply_applied(restart, !strcmp(conf_get(&c, "CAMFW_SERVICE_RTMP"), "1"));
}
