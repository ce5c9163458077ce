/* The CGI answer: status, headers that keep the answer out of caches and frames, JSON. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 421: return "Misdirected Request";
	case 429: return "Too Many Requests";
	default: return "Internal Server Error";
	}
}

void reply_json(int status, const char *extra_headers, const char *fmt, ...)
{
	va_list ap;
	printf("Status: %d %s\r\n"
	       "Content-Type: application/json\r\n"
	       "Cache-Control: no-store\r\n"
	       "X-Content-Type-Options: nosniff\r\n"
	       "%s\r\n",
	       status, reason(status), extra_headers ? extra_headers : "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* A JSON string literal of s (quotes included); bytes below 0x20, " and \ escaped. */
void json_string(char *out, size_t size, const char *s)
{
	size_t o = 0;
	if (size < 3) {
		if (size)
			out[0] = '\0';
		return;
	}
	out[o++] = '"';
	for (; *s && o + 7 < size; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, size - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o++] = '"';
	out[o] = '\0';
}

/* 4xx with {"error": "...", "field": "..."}: the message names the field and the fix. */
void reply_error(int status, const char *field, const char *fmt, ...)
{
	char msg[512], msg_json[1100], field_json[96];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_string(msg_json, sizeof msg_json, msg);
	if (field) {
		json_string(field_json, sizeof field_json, field);
		reply_json(status, NULL, "{\"error\":%s,\"field\":%s}", msg_json, field_json);
	} else {
		reply_json(status, NULL, "{\"error\":%s}", msg_json);
	}
}

/* An answer made piece by piece; a piece that does not fit ends it with a 500. */
void buf_init(struct buf *b)
{
	b->len = 0;
	b->overflow = 0;
	b->text[0] = '\0';
}

void buf_add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (b->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->text + b->len, sizeof b->text - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof b->text - b->len) {
		b->overflow = 1;
		return;
	}
	b->len += (size_t)n;
}

void buf_string(struct buf *b, const char *s)
{
	static char json[6 * VALUE_MAX + 3];
	json_string(json, sizeof json, s);
	buf_add(b, "%s", json);
}

void reply_buf(const struct buf *b)
{
	if (b->overflow)
		reply_error(500, NULL, "the answer does not fit in %u bytes", (unsigned)sizeof b->text);
	else
		reply_json(200, NULL, "%s", b->text);
}
