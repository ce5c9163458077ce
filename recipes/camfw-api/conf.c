/*
 * etc/camfw/settings.conf: the camera's settings, which the card's shell scripts source.
 * Every line is a comment or KEY='value', and camfw-api writes only values its checks let
 * through (printable ASCII without a quote), so sourcing it never runs anything. A line
 * in any other form is refused, not dropped: the owner's file is never half rewritten.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api.h"

static int key_ok(const char *k, size_t len)
{
	return len > 0 && len < sizeof ((struct conf *)0)->e[0].key && strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") >= len;
}

int value_ok(const char *v)
{
	for (; *v; v++)
		if (*v < 0x20 || *v > 0x7e || *v == '\'')
			return 0;
	return 1;
}

int conf_load(struct conf *c, const char *path, char *why, size_t why_size)
{
	char line[VALUE_MAX + 64];
	FILE *f = fopen(path, "r");
	int number = 0;

	memset(c, 0, sizeof *c);
	if (!f) {
		snprintf(why, why_size, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		size_t len = strlen(line), klen;
		char *eq, *value;
		number++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(f))
			goto bad;
		if (line[0] == '#' || line[0] == '\0') {
			/* the comments at the top are kept as they are; others are not camfw's */
			if (c->n || strlen(c->head) + len + 2 > sizeof c->head)
				continue;
			strcat(c->head, line);
			strcat(c->head, "\n");
			continue;
		}
		eq = strchr(line, '=');
		if (!eq || c->n == CONF_MAX)
			goto bad;
		klen = (size_t)(eq - line);
		value = eq + 1;
		len = strlen(value);
		if (!key_ok(line, klen) || len < 2 || value[0] != '\'' || value[len - 1] != '\'')
			goto bad;
		value[len - 1] = '\0';
		value++;
		if (!value_ok(value))
			goto bad;
		memcpy(c->e[c->n].key, line, klen);
		snprintf(c->e[c->n].value, sizeof c->e[c->n].value, "%s", value);
		c->n++;
	}
	fclose(f);
	return 0;
bad:
	fclose(f);
	snprintf(why, why_size, "%s, line %d: not KEY='value' (camfw writes only that form): correct or remove the line", path, number);
	return -1;
}

const char *conf_get(const struct conf *c, const char *key)
{
	int i;
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->e[i].key, key))
			return c->e[i].value;
	return "";
}

int conf_put(struct conf *c, const char *key, const char *value)
{
	int i;
	if (!key_ok(key, strlen(key)) || !value_ok(value) || strlen(value) >= sizeof c->e[0].value)
		return -1;
	for (i = 0; i < c->n && strcmp(c->e[i].key, key); i++)
		;
	if (i == c->n) {
		if (c->n == CONF_MAX)
			return -1;
		snprintf(c->e[i].key, sizeof c->e[i].key, "%s", key);
		c->n++;
	}
	snprintf(c->e[i].value, sizeof c->e[i].value, "%s", value);
	return 0;
}

int conf_save(const struct conf *c, const char *path, int mode)
{
	static char text[CONF_MAX * (VALUE_MAX + 48) + sizeof c->head];
	size_t o = 0;
	int i;
	o += (size_t)snprintf(text, sizeof text, "%s", c->head);
	for (i = 0; i < c->n && o < sizeof text; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "%s='%s'\n", c->e[i].key, c->e[i].value);
	if (o >= sizeof text) {
		errno = EFBIG;
		return -1;
	}
	return write_file_atomic(path, text, mode);
}
