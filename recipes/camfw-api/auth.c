/*
 * Who may use the camera. The owner's password is kept as PBKDF2-HMAC-SHA256 with a random
 * salt in etc/camfw/web.passwd on the card (mode 600, outside the web root); a card built
 * without one asks for it on the first visit, from the camera's own network only. A login
 * gives a session: a random token in an HttpOnly, SameSite=Strict cookie, kept in RAM as
 * its SHA-256 with a server-side expiry and the session's CSRF token, which every POST
 * must send back (X-CSRF-Token). Failed logins make that address wait, doubling, without
 * holding a connection (limit.c).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "api.h"
#include "sha256.h"

enum {
	SESSION_SECONDS = 12 * 3600,
	SESSIONS_MAX = 64,
};
static const char COOKIE[] = "camfw_session";

/* The most common passwords of at least 8 bytes (lists of leaked passwords): refused. */
static const char *const COMMON[] = {
	"password", "password1", "password123", "12345678", "123456789", "1234567890", "11111111", "00000000",
	"87654321", "12341234", "11223344", "qwertyui", "qwertyuiop", "qwerty123", "1q2w3e4r", "1qaz2wsx",
	"zaq12wsx", "abcd1234", "abc12345", "iloveyou", "sunshine", "princess", "football", "baseball",
	"welcome1", "letmein1", "trustno1", "superman", "starwars", "whatever", "computer", "internet",
	"asdfghjk", "asdfasdf", "passw0rd", "p@ssw0rd", "admin123", "administrator", "changeme", "ismart12",
	"12qwaszx", "q1w2e3r4", "aaaaaaaa", "default1", "camera123", "88888888", "66666666", "99999999",
	NULL,
};

static void path_in_run(char *out, size_t size, const char *rel)
{
	snprintf(out, size, "%s/%s", run_dir(), rel);
}

/* Why the password is refused, or NULL. Lengths are bytes, as everything on the camera counts them. */
static const char *password_problem(const struct field *f, const char *user)
{
	static char why[128];
	size_t i;
	if (f->len < PASSWORD_MIN || f->len > PASSWORD_MAX) {
		snprintf(why, sizeof why, "password: %d to %d bytes (UTF-8), not %zu", PASSWORD_MIN, PASSWORD_MAX, f->len);
		return why;
	}
	for (i = 0; i < f->len; i++)
		if ((unsigned char)f->value[i] < 0x20 || f->value[i] == 0x7f)
			return "password: no control characters (tab, newline...): it must be typeable at a telnet login too";
	for (i = 0; COMMON[i]; i++)
		if (!strcasecmp(f->value, COMMON[i]))
			return "password: one of the most common passwords, which are tried first: choose another";
	if (!strcasecmp(f->value, user))
		return "password: the same as the user name: choose another";
	for (i = 1; i < f->len && f->value[i] == f->value[0]; i++)
		;
	if (i == f->len)
		return "password: one character repeated: choose another";
	return NULL;
}

/* The cookie's token (64 hex digits), or -1. */
static int cookie_token(char out[65])
{
	const char *c = env_or("HTTP_COOKIE", "");
	size_t n = strlen(COOKIE);
	while (*c) {
		while (*c == ' ' || *c == ';')
			c++;
		if (!strncmp(c, COOKIE, n) && c[n] == '=') {
			const char *v = c + n + 1;
			size_t len = strcspn(v, "; ");
			unsigned char raw[32];
			if (len != 64)
				return -1;
			memcpy(out, v, 64);
			out[64] = '\0';
			return unhex(out, raw, sizeof raw);
		}
		c += strcspn(c, ";");
	}
	return -1;
}

/* The session's file: named by the token's SHA-256, so that the directory never holds a token. */
static void session_file(const char *token, char *out, size_t size)
{
	unsigned char h[SHA256_LEN];
	char name[2 * SHA256_LEN + 1], rel[96];
	sha256(token, strlen(token), h);
	hex(h, sizeof h, name);
	snprintf(rel, sizeof rel, "sessions/%s", name);
	path_in_run(out, size, rel);
}

static int sessions_dir(void)
{
	char d[512];
	path_in_run(d, sizeof d, "sessions");
	if (mkdir(d, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Removes expired sessions (and all of them when `all`); the number left. */
static int sessions_sweep(int all)
{
	char d[512], file[800], line[160];
	long now = monotonic_seconds(), expires;
	struct dirent *e;
	DIR *dir;
	FILE *f;
	int left = 0;

	path_in_run(d, sizeof d, "sessions");
	dir = opendir(d);
	if (!dir)
		return 0;
	while ((e = readdir(dir))) {
		if (strlen(e->d_name) != 2 * SHA256_LEN)
			continue;
		snprintf(file, sizeof file, "%s/%s", d, e->d_name);
		expires = 0;
		f = fopen(file, "r");
		if (f) {
			if (!fgets(line, sizeof line, f) || sscanf(line, "%ld", &expires) != 1)
				expires = 0;
			fclose(f);
		}
		if (all || expires <= now)
			unlink(file);
		else
			left++;
	}
	closedir(dir);
	return left;
}

int session_current(struct session *s)
{
	char file[640], line[200];
	long expires;
	FILE *f;
	int ok;

	memset(s, 0, sizeof *s);
	if (cookie_token(s->id) < 0)
		return 0;
	session_file(s->id, file, sizeof file);
	f = fopen(file, "r");
	if (!f)
		return 0;
	ok = fgets(line, sizeof line, f) != NULL && sscanf(line, "%ld %64[0-9a-f] %32[A-Za-z0-9._-]", &expires, s->csrf, s->user) == 3;
	fclose(f);
	if (!ok || strlen(s->csrf) != 64 || expires <= monotonic_seconds()) {
		unlink(file);
		memset(s, 0, sizeof *s);
		return 0;
	}
	return 1;
}

int csrf_ok(const struct session *s)
{
	const char *sent = env_or("HTTP_X_CSRF_TOKEN", "");
	return strlen(sent) == 64 && equal_const_time(sent, s->csrf, 64);
}

/* A new session for `user`: the cookie header in `header`, the CSRF token in `csrf`. */
static int session_new(const char *user, char *header, size_t size, char csrf[65])
{
	unsigned char raw[32];
	char token[65], file[640], line[200];
	if (sessions_dir() < 0)
		return -1;
	if (sessions_sweep(0) >= SESSIONS_MAX)
		sessions_sweep(1);
	if (random_bytes(raw, sizeof raw) < 0)
		return -1;
	hex(raw, sizeof raw, token);
	if (random_bytes(raw, sizeof raw) < 0)
		return -1;
	hex(raw, sizeof raw, csrf);
	session_file(token, file, sizeof file);
	snprintf(line, sizeof line, "%ld %s %s\n", monotonic_seconds() + SESSION_SECONDS, csrf, user);
	if (write_file_atomic(file, line, 0600) < 0)
		return -1;
	snprintf(header, size, "Set-Cookie: %s=%s; Path=/; HttpOnly; SameSite=Strict\r\n", COOKIE, token);
	return 0;
}

static int require_post(void)
{
	if (strcmp(env_or("REQUEST_METHOD", ""), "POST") != 0) {
		reply_error(405, NULL, "use POST");
		return -1;
	}
	return 0;
}

int logged_in_get(struct session *s)
{
	if (strcmp(env_or("REQUEST_METHOD", ""), "GET") != 0 && strcmp(env_or("REQUEST_METHOD", ""), "HEAD") != 0) {
		reply_error(405, NULL, "use GET");
		return 0;
	}
	if (!session_current(s)) {
		reply_error(401, NULL, "not logged in");
		return 0;
	}
	return 1;
}

int logged_in_post(struct session *s)
{
	if (require_post() < 0)
		return -1;
	if (!session_current(s)) {
		reply_error(401, NULL, "not logged in");
		return -1;
	}
	if (!csrf_ok(s)) {
		reply_error(403, NULL, "missing or wrong X-CSRF-Token: reload the page");
		return -1;
	}
	return 0;
}

/* The answer of a successful setup, login or password change: a new session. */
static void reply_new_session(const char *user)
{
	char cookie[160], csrf[65];
	if (session_new(user, cookie, sizeof cookie, csrf) < 0) {
		reply_error(500, NULL, "cannot make a session (%s)", strerror(errno));
		return;
	}
	reply_json(200, cookie, "{\"ok\":true,\"csrf\":\"%s\"}", csrf);
}

void route_session(void)
{
	struct session s;
	char user[80];
	if (session_current(&s)) {
		json_string(user, sizeof user, s.user);
		reply_json(200, NULL, "{\"setup_needed\":false,\"logged_in\":true,\"user\":%s,\"csrf\":\"%s\"}", user, s.csrf);
		return;
	}
	/* only the camera's own network, which may set it, learns that it has no password yet */
	if (!client_on_own_network()) {
		reply_json(200, NULL, "{\"logged_in\":false,\"own_network\":false}");
		return;
	}
	reply_json(200, NULL, "{\"setup_needed\":%s,\"logged_in\":false,\"own_network\":true}", passwd_exists() ? "false" : "true");
}

void route_setup(void)
{
	static const char *const fields[] = { "user", "password", NULL };
	struct body b;
	const struct field *user, *password;
	const char *why;
	char lock[512];
	int fd;

	if (require_post() < 0 || body_read(&b) < 0 || body_expect(&b, fields) < 0)
		return;
	if (!client_on_own_network()) {
		reply_error(403, NULL, "the first password is taken only from the camera's own network: connect to it there");
		return;
	}
	if (passwd_exists()) {
		reply_error(409, NULL, "the camera has its password already: log in");
		return;
	}
	user = body_get(&b, "user");
	password = body_get(&b, "password");
	if (user->len < 1 || user->len > 32 || strspn(user->value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != user->len) {
		reply_error(400, "user", "user: 1 to 32 letters, digits, '.', '_' or '-'");
		return;
	}
	if ((why = password_problem(password, user->value))) {
		reply_error(400, "password", "%s", why);
		return;
	}
	/* one first visit wins: the others find the password set (the lock goes with the process) */
	path_in_run(lock, sizeof lock, "setup.lock");
	fd = open(lock, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
		reply_error(409, NULL, "another first-visit setup is running: try again");
		return;
	}
	if (passwd_exists()) {
		reply_error(409, NULL, "the camera has its password already: log in");
		return;
	}
	if (passwd_write(user->value, password->value) < 0) {
		reply_error(500, NULL, "cannot write the password file on the card (%s)", strerror(errno));
		return;
	}
	reply_new_session(user->value);
}

void route_login(void)
{
	static const char *const fields[] = { "user", "password", NULL };
	struct login_try t;
	struct body b;
	long wait;
	int ok;

	if (require_post() < 0 || body_read(&b) < 0 || body_expect(&b, fields) < 0)
		return;
	/* a camera without its password yet looks like one with a password nobody knows, from outside */
	if (!passwd_exists() && client_on_own_network()) {
		reply_error(409, NULL, "the camera has no password yet: set one first");
		return;
	}
	if ((wait = login_begin(&t, env_or("REMOTE_ADDR", ""))) != 0) {
		char header[64];
		snprintf(header, sizeof header, "Retry-After: %ld\r\n", wait > 0 ? wait : 1);
		if (wait > 0)
			reply_json(429, header, "{\"error\":\"too many failed logins: wait %ld s\",\"retry_after\":%ld}", wait, wait);
		else
			reply_json(429, header, "{\"error\":\"the camera is checking another login from this address, or as many as it checks at once: try again in a second\",\"retry_after\":1}");
		return;
	}
	ok = password_matches(body_get(&b, "user")->value, body_get(&b, "password")->value);
	login_end(&t, ok);
	if (!ok) {
		reply_error(401, NULL, "wrong user or password");
		return;
	}
	reply_new_session(body_get(&b, "user")->value);
}

void route_logout(void)
{
	struct session s;
	char file[640];
	if (logged_in_post(&s) < 0)
		return;
	session_file(s.id, file, sizeof file);
	unlink(file);
	reply_json(200, "Set-Cookie: camfw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0\r\n", "{\"ok\":true}");
}

void route_password(void)
{
	static const char *const fields[] = { "old", "new", NULL };
	struct session s;
	struct body b;
	const char *why;
	if (logged_in_post(&s) < 0)
		return;
	if (body_read(&b) < 0 || body_expect(&b, fields) < 0)
		return;
	if (!password_matches(s.user, body_get(&b, "old")->value)) {
		reply_error(400, "old", "old: not the current password");
		return;
	}
	if ((why = password_problem(body_get(&b, "new"), s.user))) {
		reply_error(400, "new", "new%s", why + strlen("password"));
		return;
	}
	if (passwd_write(s.user, body_get(&b, "new")->value) < 0) {
		reply_error(500, NULL, "cannot write the password file on the card (%s)", strerror(errno));
		return;
	}
	/* every other session ends with the old password */
	sessions_sweep(1);
	reply_new_session(s.user);
}
