/*
 * Whether the client is on the camera's own network: its address is loopback, or inside a
 * route of the camera's that has no gateway (/proc/net/route: the networks the camera's
 * interfaces are on). A first-visit password is taken only from there, never from the
 * internet through a forwarded port.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "api.h"

int client_on_own_network(void)
{
	const char *addr = env_or("REMOTE_ADDR", "");
	struct in_addr a;
	char line[256];
	FILE *f;
	int own = 0;

	if (!strncmp(addr, "::ffff:", 7))
		addr += 7;
	if (inet_pton(AF_INET, addr, &a) != 1)
		return 0;
	if ((ntohl(a.s_addr) >> 24) == 127)
		return 1;
	f = fopen("/proc/net/route", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f)) {
		char iface[32];
		unsigned dest, gateway, flags, mask;
		/* Iface Destination Gateway Flags RefCnt Use Metric Mask ...: host byte order, hex */
		if (sscanf(line, "%31s %x %x %x %*d %*d %*d %x", iface, &dest, &gateway, &flags, &mask) != 5)
			continue;
		if (gateway == 0 && mask != 0 && (flags & 1) && (a.s_addr & mask) == dest) {
			own = 1;
			break;
		}
	}
	fclose(f);
	return own;
}
