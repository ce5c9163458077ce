/*
 * Whether a client is on the camera's own network: its address is loopback, or a host
 * inside a route of the camera's that has no gateway (/proc/net/route: the networks the
 * camera's interfaces are on). A gateway is not: a router that rewrites the source of
 * the connections it forwards (a port forward, hairpin NAT, a VPN) makes the internet look
 * like itself. Nor are a network's own address and its broadcast address, which no host
 * has. A first-visit password is taken only from the own network, and the clients of
 * every other address share the failed-login count of the internet's (limit.c).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "api.h"

enum { RTF_UP_FLAG = 1 };

int address_on_own_network(const char *addr)
{
	struct in_addr a;
	char line[256];
	FILE *f;
	int own = 0, gateway_or_edge = 0;

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
		/* Iface Destination Gateway Flags RefCnt Use Metric Mask ...: the addresses as the
		 * kernel holds them (network byte order), in hex */
		if (sscanf(line, "%31s %x %x %x %*d %*d %*d %x", iface, &dest, &gateway, &flags, &mask) != 5 || !(flags & RTF_UP_FLAG))
			continue;
		if (gateway && a.s_addr == gateway)
			gateway_or_edge = 1;
		if (gateway || !mask || (a.s_addr & mask) != dest)
			continue;
		/* a /31 or /32 has no network or broadcast address (RFC 3021) */
		if (ntohl(~mask) > 1 && (a.s_addr == dest || a.s_addr == (dest | ~mask)))
			gateway_or_edge = 1;
		own = 1;
	}
	fclose(f);
	return own && !gateway_or_edge;
}

int client_on_own_network(void)
{
	return address_on_own_network(env_or("REMOTE_ADDR", ""));
}
