/*
 * camfw-api: the CGI behind every /api/ request of the camera's web server, and the
 * gate of every private file of the web UI (lighttpd rewrites them to /api/file/...).
 *
 *   GET  /api/session    who is logged in; whether the camera still needs its password
 *   POST /api/setup      {"user", "password"}: the first password, from the own network
 *   POST /api/login      {"user", "password"}
 *   POST /api/logout     (X-CSRF-Token)
 *   POST /api/password   {"old", "new"} (X-CSRF-Token)
 *   GET  /api/file/PATH  a file of the web UI, to a logged-in owner (lighttpd sends it)
 *   GET  /api/status, /api/services, /api/log?name=NAME, /api/settings, /api/recordings, /api/network,
 *        /api/network/scan
 *   GET  /api/recording/NAME   a segment, to play or download
 *   POST /api/settings, /api/stream, /api/service, /api/recording/delete, /api/reboot,
 *        /api/network
 *        (each documented in its file: settings.c, services.c, records.c, status.c, network.c)
 *   GET  /api/storage, POST /api/storage/grow: the Xiaofang's data partition (storage.c)
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "api.h"

static const struct {
	const char *ext, *type;
} TYPES[] = {
	{ ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript" }, { ".css", "text/css" },
	{ ".json", "application/json" }, { ".txt", "text/plain; charset=utf-8" }, { ".png", "image/png" },
	{ ".svg", "image/svg+xml" }, { ".mp4", "video/mp4" }, { ".mov", "video/quicktime" },
};

/* A path below www/: letters, digits, '.', '_', '-' and '/', no empty, '.' or '..' part, no leading dot. */
static int plain_path(const char *p)
{
	const char *part = p;
	if (!*p || strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-/") != strlen(p))
		return 0;
	for (;;) {
		size_t n = strcspn(part, "/");
		if (n == 0 || part[0] == '.')
			return 0;
		if (!part[n])
			return 1;
		part += n + 1;
	}
}

static void route_file(const char *rel)
{
	struct session s;
	char file[600];
	struct stat st;
	const char *type = "application/octet-stream";
	size_t i, len;

	if (!*rel)
		rel = "index.html";
	if (!session_current(&s)) {
		if (!strcmp(rel, "index.html")) {
			printf("Status: 302 Found\r\nLocation: /public/login.html\r\nCache-Control: no-store\r\n\r\n");
			return;
		}
		reply_error(401, NULL, "not logged in");
		return;
	}
	if (!plain_path(rel)) {
		reply_error(404, NULL, "no such file");
		return;
	}
	snprintf(file, sizeof file, "%s/www/%s", card_dir(), rel);
	if (stat(file, &st) < 0 || !S_ISREG(st.st_mode)) {
		reply_error(404, NULL, "no such file");
		return;
	}
	len = strlen(rel);
	for (i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++) {
		size_t n = strlen(TYPES[i].ext);
		if (len > n && !strcmp(rel + len - n, TYPES[i].ext))
			type = TYPES[i].type;
	}
	printf("Status: 200 OK\r\nContent-Type: %s\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nX-Sendfile: %s\r\n\r\n", type, file);
}

int main(void)
{
	const char *path = env_or("PATH_INFO", "");

	if (!request_host_ok())
		return 0;
	if (!strcmp(path, "/session"))
		route_session();
	else if (!strcmp(path, "/setup"))
		route_setup();
	else if (!strcmp(path, "/login"))
		route_login();
	else if (!strcmp(path, "/logout"))
		route_logout();
	else if (!strcmp(path, "/password"))
		route_password();
	else if (!strcmp(path, "/status"))
		route_status();
	else if (!strcmp(path, "/services"))
		route_services();
	else if (!strcmp(path, "/service"))
		route_service();
	else if (!strcmp(path, "/log"))
		route_log();
	else if (!strcmp(path, "/settings"))
		strcmp(env_or("REQUEST_METHOD", ""), "POST") ? route_settings_get() : route_settings_post();
	else if (!strcmp(path, "/stream"))
		route_stream();
	else if (!strcmp(path, "/network"))
		strcmp(env_or("REQUEST_METHOD", ""), "POST") ? route_network_get() : route_network_post();
	else if (!strcmp(path, "/network/scan"))
		route_network_scan();
	else if (!strcmp(path, "/recordings"))
		route_recordings();
	else if (!strcmp(path, "/recording/delete"))
		route_recording_delete();
	else if (!strncmp(path, "/recording/", 11))
		route_recording(path + 11);
	else if (!strcmp(path, "/reboot"))
		route_reboot();
	else if (!strcmp(path, "/storage"))
		route_storage();
	else if (!strcmp(path, "/storage/grow"))
		route_storage_grow();
	else if (!strncmp(path, "/file/", 6))
		route_file(path + 6);
	else if (!strcmp(path, "/file"))
		route_file("");
	else
		reply_error(404, NULL, "no such call");
	return 0;
}
