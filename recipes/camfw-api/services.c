/*
 * The camera's services (etc/camfw/services/NN-NAME.sh, see etc/camfw/service.sh): their
 * state as the supervisor keeps it, start, stop and restart through their init scripts,
 * and their logs.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "api.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct service *)a)->file, ((const struct service *)b)->file);
}

/* NN-NAME.sh: two digits, a dash, 1 to 15 lower-case letters or digits. */
static int service_file_name(const char *f, char name[16])
{
	size_t len = strlen(f), n;
	if (len < 7 || f[0] < '0' || f[0] > '9' || f[1] < '0' || f[1] > '9' || f[2] != '-' || strcmp(f + len - 3, ".sh"))
		return 0;
	n = len - 6;
	if (n > 15 || strspn(f + 3, "abcdefghijklmnopqrstuvwxyz0123456789") != n)
		return 0;
	memcpy(name, f + 3, n);
	name[n] = '\0';
	return 1;
}

int services_list(struct service *s, int max)
{
	char dir[512];
	struct dirent *e;
	DIR *d;
	int n = 0;
	snprintf(dir, sizeof dir, "%s/etc/camfw/services", card_dir());
	d = opendir(dir);
	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		if (!service_file_name(e->d_name, s[n].name))
			continue;
		memcpy(s[n].file, e->d_name, strlen(e->d_name) + 1); /* at most 21: service_file_name() */
		n++;
	}
	closedir(d);
	qsort(s, (size_t)n, sizeof *s, by_name);
	return n;
}

const struct service *service_find(const struct service *s, int n, const char *name)
{
	int i;
	for (i = 0; i < n; i++)
		if (!strcmp(s[i].name, name))
			return &s[i];
	return NULL;
}

/* The first line of a file of the service's supervisor directory, or "". */
static void supervised(const char *name, const char *rel, char *out, size_t size)
{
	char p[600];
	snprintf(p, sizeof p, "%s/service/%s/%s", run_dir(), name, rel);
	first_line(p, out, size);
}

/*
 * The settings that start it at boot, as its init script declares them for service.sh:
 * the line SERVICE_SETTINGS="NAME ..." (variables of settings.conf); "" when it has none.
 */
static void declared_settings(const struct service *s, char *out, size_t size)
{
	char p[600], line[256];
	FILE *f;
	out[0] = '\0';
	snprintf(p, sizeof p, "%s/etc/camfw/services/%s", card_dir(), s->file);
	f = fopen(p, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		size_t n = strlen(line);
		if (strncmp(line, "SERVICE_SETTINGS=\"", 18) || n < 20 || strcmp(line + n - 2, "\"\n"))
			continue;
		line[n - 2] = '\0';
		if (strspn(line + 18, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ ") == n - 20 && n - 20 < size)
			memcpy(out, line + 18, n - 19);
		break;
	}
	fclose(f);
}

int service_enabled(const struct conf *c, const struct service *s)
{
	char settings[200];
	const char *v;
	declared_settings(s, settings, sizeof settings);
	for (v = settings; *v; v += strspn(v, " ")) {
		char name[48];
		size_t len = strcspn(v, " ");
		snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : 0), v);
		if (!strcmp(conf_get(c, name), "1"))
			return 1;
		v += len;
	}
	return 0;
}

/* {"name":...,"state":"running|restarting|stopped|not started","pid":...,"enabled":...,...} */
void service_json(struct buf *out, const struct conf *c, const struct service *s)
{
	char state_line[64], pid[24], restarts[24], last[160], started[24], p[600];
	struct stat st;
	const char *state;
	long since = 0;

	supervised(s->name, "supervise/stat", state_line, sizeof state_line);
	supervised(s->name, "supervise/pid", pid, sizeof pid);
	supervised(s->name, "restarts", restarts, sizeof restarts);
	supervised(s->name, "last-exit", last, sizeof last);
	supervised(s->name, "started", started, sizeof started);
	snprintf(p, sizeof p, "%s/service/%s/down", run_dir(), s->name);
	if (!state_line[0])
		state = "not started";
	else if (stat(p, &st) == 0 && strncmp(state_line, "run", 3))
		state = "stopped";
	else if (!strncmp(state_line, "run", 3))
		state = "running";
	else
		state = "restarting";
	if (!strcmp(state, "running") && started[0] && strspn(started, "0123456789") == strlen(started))
		since = (long)time(NULL) - atol(started);
	buf_add(out, "{\"name\":");
	buf_string(out, s->name);
	buf_add(out, ",\"state\":");
	buf_string(out, state);
	buf_add(out, ",\"pid\":%ld,\"uptime\":%ld,\"restarts\":%ld,\"enabled\":%s,\"last_exit\":", strspn(pid, "0123456789") == strlen(pid) ? atol(pid) : 0, since > 0 ? since : 0,
		atol(restarts), service_enabled(c, s) ? "true" : "false");
	buf_string(out, last);
	buf_add(out, "}");
}

int service_action(const struct service *s, const char *action, char *output, size_t size)
{
	char busybox[512], file[600];
	const char *argv[] = { busybox, "sh", file, card_dir(), action, NULL };
	snprintf(busybox, sizeof busybox, "%s/bin/busybox", card_dir());
	snprintf(file, sizeof file, "%s/etc/camfw/services/%s", card_dir(), s->file);
	return run_program(argv, output, size);
}

void route_services(void)
{
	struct service s[SERVICES_MAX];
	struct session session;
	static struct conf c;
	static struct buf out;
	int n, i;

	if (!logged_in_get(&session) || settings_load(&c) < 0)
		return;
	n = services_list(s, SERVICES_MAX);
	buf_init(&out);
	buf_add(&out, "{\"services\":[");
	for (i = 0; i < n; i++) {
		if (i)
			buf_add(&out, ",");
		service_json(&out, &c, &s[i]);
	}
	buf_add(&out, "]}");
	reply_buf(&out);
}

/* POST {"name": "stream", "action": "start|stop|restart"} */
void route_service(void)
{
	static const char *const fields[] = { "name", "action", NULL };
	struct service s[SERVICES_MAX];
	const struct service *svc;
	struct session session;
	struct body b;
	const char *name, *action;
	char output[2048], json[4200];
	int n, code;

	if (logged_in_post(&session) < 0 || body_read(&b) < 0 || body_expect(&b, fields) < 0)
		return;
	n = services_list(s, SERVICES_MAX);
	name = body_get(&b, "name")->value;
	action = body_get(&b, "action")->value;
	if (!(svc = service_find(s, n, name))) {
		reply_error(400, "name", "name: no such service on this card");
		return;
	}
	if (strcmp(action, "start") && strcmp(action, "stop") && strcmp(action, "restart")) {
		reply_error(400, "action", "action: start, stop or restart");
		return;
	}
	if (!strcmp(name, "web")) {
		reply_error(400, "name", "name: the web service serves this page; stopping it from here would lock you out (reboot the camera instead)");
		return;
	}
	code = service_action(svc, action, output, sizeof output);
	json_string(json, sizeof json, output);
	reply_json(code == 0 ? 200 : 500, NULL, "{\"ok\":%s,\"output\":%s}", code == 0 ? "true" : "false", json);
}

/* GET ?name=NAME: the end of a service's current log, or of the boot log (name=camfw) */
void route_log(void)
{
	static char text[LOG_TAIL + 1], json[6 * LOG_TAIL + 3];
	struct service s[SERVICES_MAX];
	struct session session;
	const char *q = env_or("QUERY_STRING", ""), *name;
	char file[600];
	size_t got, i;
	int n;

	if (!logged_in_get(&session))
		return;
	n = services_list(s, SERVICES_MAX);
	name = !strncmp(q, "name=", 5) ? q + 5 : "";
	if (!strcmp(name, "camfw"))
		snprintf(file, sizeof file, "%s", BOOT_LOG);
	else if (!strcmp(name, "web-access") || service_find(s, n, name))
		snprintf(file, sizeof file, "%s/log/%s/current", run_dir(), name);
	else {
		reply_error(400, "name", "name: camfw (the boot log), web-access, or a service of this card");
		return;
	}
	got = read_tail(file, text, LOG_TAIL);
	/* bytes a log may hold that are not text become '?' */
	for (i = 0; i < got; i++)
		if ((unsigned char)text[i] > 0x7e || (text[i] < 0x20 && text[i] != '\n' && text[i] != '\t'))
			text[i] = '?';
	json_string(json, sizeof json, text);
	reply_json(200, NULL, "{\"name\":\"%s\",\"text\":%s}", name, json);
}
