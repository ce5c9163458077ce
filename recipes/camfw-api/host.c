/*
 * Whether a request names this camera in its Host header. A web page on any site, opened
 * in a browser on the owner's network, can point its own name at the camera's address
 * (DNS rebinding): its requests then come from the owner's network with the page's name
 * in Host. camfw-api answers only a Host that is an IP address (v4, or v6 in brackets),
 * the camera's name (CAMFW_HOSTNAME), NAME.local, NAME.DOMAIN for the domain the network's
 * DHCP server gave ($RUN/net/dhcp-domain), or one of the owner's other names
 * (CAMFW_WEB_NAMES), each with an optional port; anything else gets a 421 and a log line
 * before any other work.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "api.h"

enum { HOST_MAX = 255 };

/* "" or ":PORT" with PORT 1 to 65535, no sign, no leading zero. */
static int port_ok(const char *p)
{
	size_t n;
	if (!*p)
		return 1;
	if (*p++ != ':')
		return 0;
	n = strlen(p);
	if (n < 1 || n > 5 || strspn(p, "0123456789") != n || p[0] == '0')
		return 0;
	return n < 5 || strcmp(p, "65535") <= 0;
}

/* Whether NAME (LEN bytes, a trailing dot allowed) is WANT, letter case aside. */
static int same_name(const char *name, size_t len, const char *want)
{
	if (len && name[len - 1] == '.')
		len--;
	return *want && strlen(want) == len && !strncasecmp(name, want, len);
}

/* Whether NAME is the camera's: its own, NAME.local, NAME.DOMAIN, or one in the list OTHERS. */
static int own_name(const char *name, size_t len, const char *hostname, const char *domain, const char *others)
{
	char full[HOST_MAX + 2];
	size_t n;
	if (same_name(name, len, hostname))
		return 1;
	snprintf(full, sizeof full, "%s.local", hostname);
	if (*hostname && same_name(name, len, full))
		return 1;
	snprintf(full, sizeof full, "%s.%s", hostname, domain);
	if (*hostname && *domain && same_name(name, len, full))
		return 1;
	while (*others) {
		n = strcspn(others, " ");
		if (n && n <= HOST_MAX) {
			memcpy(full, others, n);
			full[n] = '\0';
			if (same_name(name, len, full))
				return 1;
		}
		others += n;
		others += strspn(others, " ");
	}
	return 0;
}

static int host_names_camera(const char *host, const char *hostname, const char *domain, const char *others)
{
	char addr[HOST_MAX + 1];
	const char *end;
	struct in6_addr a6;
	struct in_addr a4;
	size_t len = strlen(host);

	if (len == 0 || len > HOST_MAX)
		return 0;
	if (host[0] == '[') {
		end = strchr(host, ']');
		if (!end || (size_t)(end - host - 1) >= sizeof addr)
			return 0;
		memcpy(addr, host + 1, (size_t)(end - host - 1));
		addr[end - host - 1] = '\0';
		return inet_pton(AF_INET6, addr, &a6) == 1 && port_ok(end + 1);
	}
	end = strchr(host, ':');
	len = end ? (size_t)(end - host) : len;
	if (!port_ok(host + len))
		return 0;
	memcpy(addr, host, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, &a4) == 1)
		return 1;
	return own_name(addr, len, hostname, domain, others);
}

/* The domain the network's DHCP server gave (udhcpc.script keeps it, checked), or "". */
static void dhcp_domain(char *out, size_t size)
{
	char p[512];
	snprintf(p, sizeof p, "%s/net/dhcp-domain", run_dir());
	first_line(p, out, size);
	if (!hostname_ok(out, 1))
		out[0] = '\0';
}

/* What a log line may show of a stranger's Host: printable ASCII, at most 80 bytes. */
static void printable(const char *in, char *out, size_t size)
{
	size_t o = 0;
	for (; *in && o + 1 < size && o < 80; in++)
		out[o++] = isprint((unsigned char)*in) ? *in : '?';
	out[o] = '\0';
}

int request_host_ok(void)
{
	static struct conf c;
	char domain[HOST_MAX + 1], why[600], p[512], shown[96];
	const char *host = env_or("HTTP_HOST", "");
	const char *hostname = "", *others = "";

	snprintf(p, sizeof p, "%s/etc/camfw/settings.conf", card_dir());
	/* without the settings, addresses still reach the camera (and its settings page says why) */
	if (conf_load(&c, p, why, sizeof why) == 0) {
		hostname = conf_get(&c, "CAMFW_HOSTNAME");
		others = conf_get(&c, "CAMFW_WEB_NAMES");
	}
	dhcp_domain(domain, sizeof domain);
	if (host_names_camera(host, hostname, domain, others))
		return 1;
	if (!*host) {
		fprintf(stderr, PROG ": refused a request from %s without a Host header\n", env_or("REMOTE_ADDR", "?"));
		reply_error(421, NULL, "the request has no Host header: send the camera's address or name in it");
		return 0;
	}
	printable(host, shown, sizeof shown);
	fprintf(stderr, PROG ": refused a request from %s for Host \"%s\": not the camera's address or one of its names (a web page rebinding its name to the camera?)\n",
	        env_or("REMOTE_ADDR", "?"), shown);
	reply_error(421, NULL,
	            "Host \"%s\" is not this camera: open it by its address or its name (%s, %s.local), or add the name to the camera's other names (Network page)",
	            shown, *hostname ? hostname : "its host name", *hostname ? hostname : "NAME");
	return 0;
}
