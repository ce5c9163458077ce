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

/* the longest RTMP target (URL and key), which avworker-min and the build configuration
 * take too: the build gives it (scripts/lib/config.ts) */
#ifndef RTMP_TARGET_MAX
#error "RTMP_TARGET_MAX: given by the build (recipe.ts, cDefines)"
#endif

enum {
	BODY_MAX = 131072,
	FIELDS_MAX = 16,
	VALUE_MAX = 1024,
	PASSWORD_MIN = 8,
	PASSWORD_MAX = 128,
	CONF_MAX = 48,
	SERVICES_MAX = 16,
	RECORDINGS_MAX = 2048,
	LOG_TAIL = 16384,
	ANSWER_MAX = 196608,
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

/* The boot log: the card's scripts write every start, restart and "camfw: stock: ..." line to it. */
#define BOOT_LOG "/tmp/camfw.log"

/* An answer made piece by piece (http.c). */
struct buf {
	char text[ANSWER_MAX];
	size_t len;
	int overflow;
};

/* http.c: the answer */
void reply_json(int status, const char *extra_headers, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void reply_error(int status, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void json_string(char *out, size_t size, const char *s);
void buf_init(struct buf *b);
void buf_add(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_string(struct buf *b, const char *s);
void reply_buf(const struct buf *b);

/* json.c: the request body; 0, or -1 after a 400 naming the problem */
int body_read(struct body *b);
/* the field's value; exactly the names in `allowed` may appear, each once; -1 after a 400 */
int body_expect(const struct body *b, const char *const *allowed);
const struct field *body_get(const struct body *b, const char *name);
int utf8_valid(const char *s, size_t len);

/* passwd.c: etc/camfw/web.passwd */
int passwd_exists(void);
int passwd_write(const char *user, const char *password);
/* Whether PASSWORD is the owner's, and USER too unless it is NULL. */
int password_matches(const char *user, const char *password);

/* auth.c */
struct session {
	char id[65];
	char csrf[65];
	char user[33];
};
int session_current(struct session *s);
int csrf_ok(const struct session *s);
/* a POST of a logged-in session with its CSRF token; -1 after the 405, 401 or 403 */
int logged_in_post(struct session *s);
/* a GET of a logged-in session; 0 after the 405 or 401 */
int logged_in_get(struct session *s);
void route_session(void);
void route_setup(void);
void route_login(void);
void route_logout(void);
void route_password(void);

/* host.c: whether the Host header names this camera; 0 after the 421 */
int request_host_ok(void);

/* net.c: whether ADDR is on a network the camera reaches without a gateway (not a gateway,
 * network or broadcast address), or loopback; and whether the request's client is */
int address_on_own_network(const char *addr);
int client_on_own_network(void);

/* limit.c: the password checks of every login of the owner (web, telnet, SSH, FTP) */
enum { CLIENT_MAX = 64, LOGIN_BUSY = -1 };
struct login_try {
	int check;
	int outside;
	char client[CLIENT_MAX];
};
/*
 * Before a password check of the client at ADDR: 0 when it may run now (it is counted as a
 * failure until login_end says it was right), the seconds it must wait first, or
 * LOGIN_BUSY when this client has a check running or the camera has as many as it runs.
 */
long login_begin(struct login_try *t, const char *addr);
void login_end(struct login_try *t, int ok);

/* conf.c: etc/camfw/settings.conf, KEY='value' lines */
struct conf {
	char head[1024];
	int n;
	struct {
		char key[40];
		char value[VALUE_MAX];
	} e[CONF_MAX];
};
/* printable ASCII without a quote: what may stand between the quotes of settings.conf */
int value_ok(const char *v);
int conf_load(struct conf *c, const char *path, char *why, size_t why_size);
const char *conf_get(const struct conf *c, const char *key);
int conf_put(struct conf *c, const char *key, const char *value);
int conf_save(const struct conf *c, const char *path, int mode);

/* settings.c */
int settings_load(struct conf *c); /* -1 after the 500 */
/* whether CAMFW_FEATURES has `feature` (what the web UI may change on this camera) */
int has_feature(const struct conf *c, const char *feature);
void route_settings_get(void);
void route_settings_post(void);
void route_stream(void);

/* network.c */
void route_network_get(void);
void route_network_post(void);
void route_network_scan(void);

/* zones.c */
struct zone {
	const char *name, *tz;
};
extern const struct zone ZONES[];
const struct zone *zone_find(const char *name);

/* services.c */
struct service {
	char name[16];
	char file[24];
};
int services_list(struct service *s, int max);
const struct service *service_find(const struct service *s, int n, const char *name);
/* whether a setting its init script declares (SERVICE_SETTINGS) starts it at boot */
int service_enabled(const struct conf *c, const struct service *s);
void service_json(struct buf *out, const struct conf *c, const struct service *s);
/* runs the service's init script with start, stop or restart: its exit status, its output */
int service_action(const struct service *s, const char *action, char *output, size_t size);
void route_services(void);
void route_service(void);
void route_log(void);

/* records.c */
void route_recordings(void);
void route_recording(const char *name);
void route_recording_delete(void);

/* status.c */
void route_status(void);
void route_reboot(void);
/* reboots the camera 2 s after the answer has gone; -1 when it cannot start */
int reboot_soon(void);

/* storage.c */
void route_storage(void);
void route_storage_grow(void);

/* exec.c: the card's programs, with a fixed argument vector and environment */
int run_program(const char *const argv[], char *output, size_t size);
int run_detached(const char *const argv[]);

/* util.c */
const char *env_or(const char *name, const char *fallback);
int random_bytes(void *buf, size_t len);
void hex(const unsigned char *in, size_t len, char *out);
int unhex(const char *in, unsigned char *out, size_t len);
int equal_const_time(const void *a, const void *b, size_t len);
long monotonic_seconds(void);
/* mode -1: the filesystem's own (vfat holds none) */
int write_file_atomic(const char *path, const char *content, int mode);
const char *run_dir(void);
size_t read_tail(const char *path, char *out, size_t max);
void first_line(const char *path, char *out, size_t size);
const char *card_dir(void);
/* a host name: labels of letters (lower-case only and no dots unless `dots`), digits and inner hyphens */
int hostname_ok(const char *v, int dots);

#endif
