/*
 * The request body: a flat JSON object whose values are strings (or true, false, numbers),
 * at most BODY_MAX bytes, strict: anything else is a 400 that says what is wrong.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "api.h"

/* Whether s holds well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF, no NUL). */
int utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		unsigned c = *p++, need, min, cp;
		if (c == 0)
			return 0;
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, min = 0x80, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, min = 0x800, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, min = 0x10000, cp = c & 0x07;
		else
			return 0;
		if ((size_t)(end - p) < need)
			return 0;
		while (need--) {
			if ((*p & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (*p++ & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	return 1;
}

struct parser {
	const char *p, *end;
};

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int i;
	for (i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12), out[1] = (char)(0x80 | (cp >> 6 & 0x3f)), out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18), out[1] = (char)(0x80 | (cp >> 12 & 0x3f)), out[2] = (char)(0x80 | (cp >> 6 & 0x3f)), out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A JSON string at ps->p into out (at most max bytes); its length, or -1 (why in *err). */
static long string(struct parser *ps, char *out, size_t max, const char **err)
{
	size_t o = 0;
	if (ps->p >= ps->end || *ps->p != '"')
		return *err = "expected a string", -1;
	ps->p++;
	while (ps->p < ps->end && *ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p++;
		char buf[4];
		size_t n = 1;
		if (c < 0x20)
			return *err = "a control character inside a string (escape it)", -1;
		buf[0] = (char)c;
		if (c == '\\') {
			if (ps->p >= ps->end)
				return *err = "an unfinished escape", -1;
			c = (unsigned char)*ps->p++;
			switch (c) {
			case '"': case '\\': case '/': buf[0] = (char)c; break;
			case 'b': buf[0] = '\b'; break;
			case 'f': buf[0] = '\f'; break;
			case 'n': buf[0] = '\n'; break;
			case 'r': buf[0] = '\r'; break;
			case 't': buf[0] = '\t'; break;
			case 'u': {
				unsigned cp, lo;
				if (ps->end - ps->p < 4 || hex4(ps->p, &cp) < 0)
					return *err = "a bad \\u escape", -1;
				ps->p += 4;
				if (cp >= 0xd800 && cp <= 0xdbff) {
					if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' || hex4(ps->p + 2, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
						return *err = "a lone UTF-16 surrogate", -1;
					ps->p += 6;
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				} else if (cp >= 0xdc00 && cp <= 0xdfff) {
					return *err = "a lone UTF-16 surrogate", -1;
				}
				if (cp == 0)
					return *err = "a NUL character", -1;
				n = put_utf8(buf, cp);
				break;
			}
			default:
				return *err = "an unknown escape", -1;
			}
		}
		if (o + n > max)
			return *err = "too long", -1;
		memcpy(out + o, buf, n);
		o += n;
	}
	if (ps->p >= ps->end)
		return *err = "an unfinished string", -1;
	ps->p++;
	out[o] = '\0';
	if (!utf8_valid(out, o))
		return *err = "not valid UTF-8", -1;
	return (long)o;
}

/* A JSON literal true, false or a number: kept as its text. */
static long literal(struct parser *ps, char *out, size_t max)
{
	size_t o = 0;
	/* (strchr finds the NUL that ends its set: a NUL byte is never part of a literal) */
	while (ps->p < ps->end && o < max && *ps->p && strchr("truefalsn0123456789+-.eE", *ps->p))
		out[o++] = *ps->p++;
	out[o] = '\0';
	if (!strcmp(out, "true") || !strcmp(out, "false"))
		return (long)o;
	if (o && strspn(out, "0123456789") == o && o < 10)
		return (long)o;
	return -1;
}

static int parse(struct body *b, const char *text, size_t len)
{
	struct parser ps = { text, text + len };
	const char *err = NULL;
	skip_space(&ps);
	if (ps.p >= ps.end || *ps.p != '{')
		return reply_error(400, NULL, "the body must be a JSON object {\"name\": \"value\", ...}"), -1;
	ps.p++;
	skip_space(&ps);
	if (ps.p < ps.end && *ps.p == '}') {
		ps.p++;
	} else {
		for (;;) {
			struct field *f;
			char name[sizeof b->f[0].name];
			long n;
			int i;
			skip_space(&ps);
			if (string(&ps, name, sizeof name - 1, &err) < 0)
				return reply_error(400, NULL, "a field name: %s", err), -1;
			for (i = 0; i < b->n; i++)
				if (!strcmp(b->f[i].name, name))
					return reply_error(400, name, "%s: given twice", name), -1;
			if (b->n == FIELDS_MAX)
				return reply_error(400, name, "too many fields"), -1;
			f = &b->f[b->n];
			snprintf(f->name, sizeof f->name, "%s", name);
			skip_space(&ps);
			if (ps.p >= ps.end || *ps.p++ != ':')
				return reply_error(400, name, "%s: expected ':' after the name", name), -1;
			skip_space(&ps);
			if (ps.p < ps.end && *ps.p == '"') {
				n = string(&ps, f->value, sizeof f->value - 1, &err);
				if (n < 0)
					return reply_error(400, name, "%s: %s", name, err), -1;
				f->is_string = 1;
			} else {
				n = literal(&ps, f->value, sizeof f->value - 1);
				if (n < 0)
					return reply_error(400, name, "%s: must be a string, true, false or a whole number (no objects, arrays or null)", name), -1;
				f->is_string = 0;
			}
			f->len = (size_t)n;
			b->n++;
			skip_space(&ps);
			if (ps.p < ps.end && *ps.p == ',') {
				ps.p++;
				continue;
			}
			if (ps.p < ps.end && *ps.p == '}') {
				ps.p++;
				break;
			}
			return reply_error(400, name, "after %s: expected ',' or '}'", name), -1;
		}
	}
	skip_space(&ps);
	if (ps.p != ps.end)
		return reply_error(400, NULL, "something follows the JSON object"), -1;
	return 0;
}

int body_read(struct body *b)
{
	static char text[BODY_MAX + 1];
	const char *type = env_or("CONTENT_TYPE", ""), *length = env_or("CONTENT_LENGTH", "0");
	char *end;
	unsigned long want;
	size_t got = 0;

	memset(b, 0, sizeof *b);
	/* a form or text/plain POST from another site cannot send this type without asking first */
	if (strncmp(type, "application/json", 16) != 0 || (type[16] != '\0' && type[16] != ';'))
		return reply_error(415, NULL, "send the body as Content-Type: application/json"), -1;
	errno = 0;
	want = strtoul(length, &end, 10);
	if (errno || *end || length[0] == '-')
		return reply_error(400, NULL, "a bad Content-Length"), -1;
	if (want > BODY_MAX)
		return reply_error(413, NULL, "the body is larger than %d bytes", BODY_MAX), -1;
	while (got < want) {
		ssize_t n = read(0, text + got, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return reply_error(400, NULL, "the body ended early"), -1;
		got += (size_t)n;
	}
	text[got] = '\0';
	return parse(b, text, got);
}

int body_expect(const struct body *b, const char *const *allowed)
{
	int i, j;
	for (i = 0; i < b->n; i++) {
		for (j = 0; allowed[j]; j++)
			if (!strcmp(b->f[i].name, allowed[j]))
				break;
		if (!allowed[j])
			return reply_error(400, b->f[i].name, "%s: not a field of this call", b->f[i].name), -1;
	}
	for (j = 0; allowed[j]; j++) {
		const struct field *f = body_get(b, allowed[j]);
		if (!f)
			return reply_error(400, allowed[j], "%s: missing", allowed[j]), -1;
		if (!f->is_string)
			return reply_error(400, allowed[j], "%s: must be a string", allowed[j]), -1;
	}
	return 0;
}

const struct field *body_get(const struct body *b, const char *name)
{
	int i;
	for (i = 0; i < b->n; i++)
		if (!strcmp(b->f[i].name, name))
			return &b->f[i];
	return NULL;
}
