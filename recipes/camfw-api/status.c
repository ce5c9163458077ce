/*
 * What the status page shows: the card and build (etc/camfw/card.json, written by the
 * build), uptime, load, memory, the card's space, the camera's time, the services, the
 * stream worker's state, the RTSP stream, and the vendor files the card lacks. And reboot.
 *
 *   GET  /api/status
 *   POST /api/reboot
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include "api.h"

/* A whole small file; "" when it is missing or larger than size - 1. */
static size_t read_small(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;
	out[0] = '\0';
	if (!f)
		return 0;
	n = fread(out, 1, size - 1, f);
	if (!feof(f))
		n = 0;
	fclose(f);
	out[n] = '\0';
	return n;
}

/* A JSON object camfw wrote itself (card.json, stream.json), or null. */
static void own_json(struct buf *out, const char *path)
{
	static char text[8192];
	size_t n = read_small(path, text, sizeof text);
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	if (n >= 2 && text[0] == '{' && text[n - 1] == '}' && utf8_valid(text, n))
		buf_add(out, "%s", text);
	else
		buf_add(out, "null");
}

static long meminfo(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? atol(p + strlen(key)) : -1;
}

/* Whether something listens on TCP port `port` (IPv4 or IPv6). */
static int listening(unsigned port)
{
	static const char *const tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	char line[256], local[80], state[8], suffix[8];
	size_t t;
	int found = 0;
	snprintf(suffix, sizeof suffix, ":%04X", port);
	for (t = 0; t < 2 && !found; t++) {
		FILE *f = fopen(tables[t], "r");
		if (!f)
			continue;
		while (!found && fgets(line, sizeof line, f)) {
			size_t n;
			/* "sl local_address rem_address st ...": LISTEN is state 0A */
			if (sscanf(line, "%*s %79s %*s %7s", local, state) != 2)
				continue;
			n = strlen(local);
			found = n > 5 && !strcmp(local + n - 5, suffix) && !strcmp(state, "0A");
		}
		fclose(f);
	}
	return found;
}

/*
 * What the card did to the stock firmware, as the camera's own scripts said it last: the
 * last "camfw: stock: ..." line of the boot log (the YI's trimmed /home, the Xiaofang's
 * cloud apps).
 */
static void stock_state(struct buf *out)
{
	static const char prefix[] = "camfw: stock: ";
	static char text[65536];
	char *line, *found = NULL;
	read_tail(BOOT_LOG, text, sizeof text - 1);
	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, prefix, sizeof prefix - 1))
			found = line + sizeof prefix - 1;
	if (!found) {
		buf_add(out, "null");
		return;
	}
	found[strcspn(found, "\n")] = '\0';
	if (!utf8_valid(found, strlen(found)))
		found = "(not text)";
	buf_string(out, found);
}

/* etc/camfw/vendor-files: "PATH<TAB>WHAT<TAB>BUILT" lines (BUILT: known, unknown, missing); each with whether the card has it now. */
static void vendor_files(struct buf *out)
{
	char p[512], line[600];
	FILE *f;
	int first = 1;
	snprintf(p, sizeof p, "%s/etc/camfw/vendor-files", card_dir());
	buf_add(out, "[");
	f = fopen(p, "r");
	while (f && fgets(line, sizeof line, f)) {
		char *what = strchr(line, '\t'), *built, file[1200];
		struct stat st;
		line[strcspn(line, "\n")] = '\0';
		if (!what || !(built = strchr(what + 1, '\t')))
			continue;
		*what++ = '\0';
		*built++ = '\0';
		snprintf(file, sizeof file, "%s/%s", card_dir(), line);
		buf_add(out, "%s{\"path\":", first ? "" : ",");
		buf_string(out, line);
		buf_add(out, ",\"what\":");
		buf_string(out, what);
		buf_add(out, ",\"built\":");
		buf_string(out, built);
		buf_add(out, ",\"present\":%s}", stat(file, &st) == 0 ? "true" : "false");
		first = 0;
	}
	if (f)
		fclose(f);
	buf_add(out, "]");
}

/* The SSH host key's fingerprint as services/60-ssh.sh wrote it, or null: only
 * "SHA256:" and base64 reach the page. */
static void ssh_fingerprint(struct buf *out)
{
	char p[512], fp[128];
	size_t n;
	snprintf(p, sizeof p, "%s/ssh.fingerprint", run_dir());
	first_line(p, fp, sizeof fp);
	n = strlen(fp);
	if (strncmp(fp, "SHA256:", 7) || n < 8 || n > 80 || strspn(fp + 7, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != n - 7) {
		buf_add(out, "null");
		return;
	}
	buf_string(out, fp);
}

void route_status(void)
{
	static char text[4096];
	struct service s[SERVICES_MAX];
	struct session session;
	struct statvfs fs;
	static struct conf c;
	static struct buf out;
	char p[512], when[64];
	double up = 0, load[3];
	time_t now = time(NULL);
	int n, i;

	if (!logged_in_get(&session) || settings_load(&c) < 0)
		return;
	buf_init(&out);
	buf_add(&out, "{\"card\":");
	snprintf(p, sizeof p, "%s/etc/camfw/card.json", card_dir());
	own_json(&out, p);
	read_small("/proc/uptime", text, sizeof text);
	sscanf(text, "%lf", &up);
	buf_add(&out, ",\"uptime\":%ld,\"load\":", (long)up);
	read_small("/proc/loadavg", text, sizeof text);
	if (sscanf(text, "%lf %lf %lf", &load[0], &load[1], &load[2]) == 3)
		buf_add(&out, "[%.2f,%.2f,%.2f]", load[0], load[1], load[2]);
	else
		buf_add(&out, "null");
	read_small("/proc/meminfo", text, sizeof text);
	buf_add(&out, ",\"memory\":{\"total_kb\":%ld,\"free_kb\":%ld,\"available_kb\":%ld}", meminfo(text, "MemTotal:"), meminfo(text, "MemFree:"),
		meminfo(text, "MemFree:") + meminfo(text, "Buffers:") + meminfo(text, "Cached:"));
	if (statvfs(card_dir(), &fs) == 0)
		buf_add(&out, ",\"storage\":{\"total_mb\":%llu,\"free_mb\":%llu}", (unsigned long long)fs.f_blocks * fs.f_frsize >> 20,
			(unsigned long long)fs.f_bavail * fs.f_frsize >> 20);
	/* the cameras have no zoneinfo: the POSIX TZ string of the settings */
	setenv("TZ", conf_get(&c, "CAMFW_TZ"), 1);
	tzset();
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %Z", localtime(&now));
	buf_add(&out, ",\"time\":%lld,\"local_time\":", (long long)now);
	buf_string(&out, when);
	buf_add(&out, ",\"hostname\":");
	buf_string(&out, conf_get(&c, "CAMFW_HOSTNAME"));
	buf_add(&out, ",\"rtsp\":");
	buf_string(&out, conf_get(&c, "CAMFW_STREAM_INPUT"));
	buf_add(&out, ",\"services\":[");
	n = services_list(s, SERVICES_MAX);
	for (i = 0; i < n; i++) {
		buf_add(&out, i ? "," : "");
		service_json(&out, &c, &s[i]);
	}
	buf_add(&out, "],\"stream\":");
	snprintf(p, sizeof p, "%s/stream.json", run_dir());
	own_json(&out, p);
	buf_add(&out, ",\"vendor\":");
	vendor_files(&out);
	/* a remote shell: camfw's telnet service (the owner's password), or another one listening */
	buf_add(&out, ",\"telnet_port_open\":%s,\"ssh_fingerprint\":", listening(23) ? "true" : "false");
	ssh_fingerprint(&out);
	buf_add(&out, ",\"stock\":");
	stock_state(&out);
	buf_add(&out, "}");
	reply_buf(&out);
}

int reboot_soon(void)
{
	char busybox[512];
	/* after the answer has gone: BusyBox reboot asks init to stop everything and reboot */
	const char *argv[] = { busybox, "sh", "-c", "sleep 2; sync; exec \"$0\" reboot", busybox, NULL };
	snprintf(busybox, sizeof busybox, "%s/bin/busybox", card_dir());
	return run_detached(argv);
}

void route_reboot(void)
{
	struct session session;
	if (logged_in_post(&session) < 0)
		return;
	if (reboot_soon() < 0) {
		reply_error(500, NULL, "cannot start the reboot");
		return;
	}
	reply_json(200, NULL, "{\"ok\":true}");
}
