/*
 * camfw-api: the camera's web API, a CGI program run by lighttpd for every /api/ request
 * and for every file of the web UI but the login page. It answers JSON, decides who is
 * logged in (a session cookie with a server-side expiry, a CSRF token for every POST),
 * asks for the owner's password on first visit from the camera's own network, and hands
 * the UI's files to lighttpd (X-Sendfile) only to a logged-in owner.
 */
#ifndef CAMFW_API_H
#define CAMFW_API_H

#include <stddef.h>

#define PROG "camfw-api"

enum {
	BODY_MAX = 131072,
	FIELDS_MAX = 8,
	VALUE_MAX = 1024,
	PASSWORD_MIN = 8,
	PASSWORD_MAX = 128,
};

/* A flat JSON object of string values, as every POST sends it. */
struct field {
	char name[32];
	char value[VALUE_MAX];
	size_t len;
	int is_string;
};
struct body {
	struct field f[FIELDS_MAX];
	int n;
};

/* http.c: the answer */
void reply_json(int status, const char *extra_headers, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void reply_error(int status, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void json_string(char *out, size_t size, const char *s);

/* json.c: the request body; 0, or -1 after a 400 naming the problem */
int body_read(struct body *b);
/* the field's value; exactly the names in `allowed` may appear, each once; -1 after a 400 */
int body_expect(const struct body *b, const char *const *allowed);
const struct field *body_get(const struct body *b, const char *name);
int utf8_valid(const char *s, size_t len);

/* auth.c */
struct session {
	char id[65];
	char csrf[65];
	char user[33];
};
int passwd_exists(void);
int session_current(struct session *s);
int csrf_ok(const struct session *s);
/* a POST of a logged-in session with its CSRF token; -1 after the 405, 401 or 403 */
int logged_in_post(struct session *s);
void route_session(void);
void route_setup(void);
void route_login(void);
void route_logout(void);
void route_password(void);

/* net.c: whether the client is on a network the camera reaches without a gateway */
int client_on_own_network(void);

/* util.c */
const char *env_or(const char *name, const char *fallback);
int random_bytes(void *buf, size_t len);
void hex(const unsigned char *in, size_t len, char *out);
int unhex(const char *in, unsigned char *out, size_t len);
int equal_const_time(const void *a, const void *b, size_t len);
long monotonic_seconds(void);
int write_file_atomic(const char *path, const char *content, int mode);
const char *run_dir(void);
const char *card_dir(void);

#endif
