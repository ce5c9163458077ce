/*
 * The camera's network: how it runs, the Wi-Fi networks in range, and new settings. New
 * settings are never saved untried: they go to $RUN/net/candidate/ and the card's
 * etc/camfw/net-try.sh joins with them, saves them only when the gateway answers, and goes
 * back to the saved ones otherwise, so a wrong passphrase or address cannot lock the owner
 * out (fang-hacks' rule).
 *
 *   GET  /api/network        the mode, the Wi-Fi network, the addresses, the last try
 *   GET  /api/network/scan   the Wi-Fi networks in range (iwlist IFACE scan)
 *   POST /api/network        {"wifi","addressing","address","netmask","gateway","dns","ssid",
 *                            "psk","country","channel"}: tried, then saved (202: the try
 *                            started). wifi "client" joins the network ssid (channel "");
 *                            "ap" makes the camera's own network ssid on channel, where the
 *                            camera's stock hostapd can (CAMFW_HOSTAPD_DRIVER in settings),
 *                            and is saved once a device joined it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "api.h"
#include "sha1.h"

/* net-try.sh's TRY_SECONDS and AP_TRY_SECONDS */
enum { TRY_SECONDS = 30, AP_TRY_SECONDS = 120, SCAN_MAX = 32, SCAN_OUTPUT = 65536 };

/* Hex digits in lower case (unhex() takes only those; iwlist and wpa_supplicant.conf may use upper case). */
static void lower_hex(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'F')
			*s = (char)(*s + 'a' - 'A');
}

/* The address fields of POST /api/network and their names in etc/camfw/network.conf. */
static const char *const ADDRESS_FIELDS[][2] = { { "address", "CAMFW_NET_ADDRESS" }, { "netmask", "CAMFW_NET_NETMASK" }, { "gateway", "CAMFW_NET_GATEWAY" }, { "dns", "CAMFW_NET_DNS" } };

/* $RUN/net/setup, written by the card's network scripts (network.sh, net_setup). */
struct setup {
	char mode[8], iface[IFNAMSIZ], conf[256], ap[256];
};

static void net_path(char *out, size_t size, const char *file)
{
	snprintf(out, size, "%s/net/%s", run_dir(), file);
}

static int iface_ok(const char *s)
{
	size_t n = strlen(s);
	return n && n < IFNAMSIZ && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

/* A KEY=value file of our own scripts: the value of `key`, or "". */
static void file_value(const char *path, const char *key, char *out, size_t size)
{
	char line[512];
	size_t n = strlen(key);
	FILE *f = fopen(path, "r");
	out[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, key, n) || line[n] != '=')
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(out, size, "%s", line + n + 1);
		break;
	}
	fclose(f);
}

static void setup_read(struct setup *s)
{
	char p[512];
	net_path(p, sizeof p, "setup");
	file_value(p, "mode", s->mode, sizeof s->mode);
	file_value(p, "iface", s->iface, sizeof s->iface);
	file_value(p, "conf", s->conf, sizeof s->conf);
	file_value(p, "ap", s->ap, sizeof s->ap);
	if (!iface_ok(s->iface))
		s->iface[0] = '\0';
}

/* Whether net-try.sh holds its lock: a try is running. */
static int try_running(void)
{
	char p[512];
	int fd, busy;
	net_path(p, sizeof p, "try.lock");
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	busy = flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return busy;
}

/* The first network's SSID in wpa_supplicant.conf `path` ("quoted" or hex), as bytes. */
static size_t conf_ssid(const char *path, unsigned char *out, size_t size)
{
	char line[512];
	size_t n = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f)) {
		char *v = line + strspn(line, " \t"), *end;
		if (strncmp(v, "ssid=", 5))
			continue;
		v += 5;
		v[strcspn(v, "\r\n")] = '\0';
		if (*v == '"' && (end = strrchr(v + 1, '"'))) {
			n = (size_t)(end - v - 1) < size ? (size_t)(end - v - 1) : 0;
			memcpy(out, v + 1, n);
		} else {
			lower_hex(v);
			if (strlen(v) % 2 == 0 && strlen(v) / 2 <= size && unhex(v, out, strlen(v) / 2) == 0)
				n = strlen(v) / 2;
		}
		break;
	}
	fclose(f);
	return n;
}

static void add_ipv4(struct buf *out, const char *name, int sock, const char *iface, unsigned long request)
{
	struct ifreq r;
	char text[INET_ADDRSTRLEN] = "";
	memset(&r, 0, sizeof r);
	snprintf(r.ifr_name, sizeof r.ifr_name, "%s", iface);
	if (sock >= 0 && ioctl(sock, request, &r) == 0)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&r.ifr_addr)->sin_addr, text, sizeof text);
	buf_add(out, ",\"%s\":", name);
	buf_string(out, text);
}

/* The default gateway of `iface` from the routing table, or "". */
static void gateway_of(const char *iface, char *out, size_t size)
{
	char line[256], name[32];
	unsigned dest, gw, flags;
	FILE *f = fopen("/proc/net/route", "r");
	out[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "%31s %x %x %x", name, &dest, &gw, &flags) == 4 && !strcmp(name, iface) && dest == 0 && (flags & 2)) {
			struct in_addr a;
			a.s_addr = gw;
			inet_ntop(AF_INET, &a, out, (socklen_t)size);
			break;
		}
	fclose(f);
}

/* The name servers of /tmp/resolv.conf, space-separated. */
static void name_servers(char *out, size_t size)
{
	char line[256], addr[64];
	size_t o = 0;
	FILE *f = fopen("/tmp/resolv.conf", "r");
	out[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "nameserver %63s", addr) == 1 && o + strlen(addr) + 2 < size)
			o += (size_t)snprintf(out + o, size - o, "%s%s", o ? " " : "", addr);
	fclose(f);
}

/* The stock hostapd's driver, when the camera can run its own network; "" otherwise (or -1 after a 500). */
static int hostapd_driver(char *out, size_t size)
{
	static struct conf c;
	if (settings_load(&c) < 0)
		return -1;
	snprintf(out, size, "%s", conf_get(&c, "CAMFW_HOSTAPD_DRIVER"));
	return 0;
}

/* The camera's own network as saved (etc/camfw/hostapd.conf, ours): its name and channel. */
static void add_saved_ap(struct buf *out)
{
	char p[512], ssid[512], channel[16];
	snprintf(p, sizeof p, "%s/etc/camfw/hostapd.conf", card_dir());
	file_value(p, "ssid", ssid, sizeof ssid);
	file_value(p, "channel", channel, sizeof channel);
	buf_add(out, ",\"ap\":{\"ssid\":");
	buf_string(out, strlen(ssid) <= 32 && utf8_valid(ssid, strlen(ssid)) ? ssid : "");
	buf_add(out, ",\"channel\":%d}", atoi(channel) >= 1 && atoi(channel) <= 13 ? atoi(channel) : 0);
}

void route_network_get(void)
{
	struct session session;
	struct setup s;
	static struct buf out;
	static struct conf saved;
	unsigned char ssid[33];
	char p[512], text[512], why[600], state[16], reason[300], driver[64], seconds[16];
	size_t n, i;
	int sock;

	if (!logged_in_get(&session) || hostapd_driver(driver, sizeof driver) < 0)
		return;
	setup_read(&s);
	buf_init(&out);
	buf_add(&out, "{\"mode\":");
	buf_string(&out, s.mode);
	buf_add(&out, ",\"wifi\":\"%s\",\"access_point\":%s", s.ap[0] ? "ap" : "client", driver[0] ? "true" : "false");
	add_saved_ap(&out);
	buf_add(&out, ",\"iface\":");
	buf_string(&out, s.iface);
	n = s.conf[0] ? conf_ssid(s.conf, ssid, sizeof ssid - 1) : 0;
	ssid[n] = '\0';
	buf_add(&out, ",\"ssid\":");
	buf_string(&out, utf8_valid((char *)ssid, n) && strlen((char *)ssid) == n ? (char *)ssid : "");
	/* what the camera has now */
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(p, sizeof p, "/sys/class/net/%s/carrier", s.iface);
	first_line(p, text, sizeof text);
	buf_add(&out, ",\"now\":{\"link\":%s", s.iface[0] && !strcmp(text, "1") ? "true" : "false");
	add_ipv4(&out, "address", sock, s.iface, SIOCGIFADDR);
	add_ipv4(&out, "netmask", sock, s.iface, SIOCGIFNETMASK);
	if (sock >= 0)
		close(sock);
	gateway_of(s.iface, text, sizeof text);
	buf_add(&out, ",\"gateway\":");
	buf_string(&out, text);
	name_servers(text, sizeof text);
	buf_add(&out, ",\"dns\":");
	buf_string(&out, text);
	/* what is saved: DHCP unless network.conf gives an address */
	snprintf(p, sizeof p, "%s/etc/camfw/network.conf", card_dir());
	if (access(p, F_OK) != 0)
		memset(&saved, 0, sizeof saved);
	else if (conf_load(&saved, p, why, sizeof why) < 0) {
		reply_error(500, NULL, "%s", why);
		return;
	}
	buf_add(&out, "},\"saved\":{\"addressing\":\"%s\"", conf_get(&saved, "CAMFW_NET_ADDRESS")[0] ? "static" : "dhcp");
	for (i = 0; i < sizeof ADDRESS_FIELDS / sizeof ADDRESS_FIELDS[0]; i++) {
		buf_add(&out, ",\"%s\":", ADDRESS_FIELDS[i][0]);
		buf_string(&out, conf_get(&saved, ADDRESS_FIELDS[i][1]));
	}
	/* the last try */
	net_path(p, sizeof p, "try");
	file_value(p, "state", state, sizeof state);
	file_value(p, "reason", reason, sizeof reason);
	file_value(p, "asked", text, sizeof text);
	file_value(p, "seconds", seconds, sizeof seconds);
	/* net-try.sh takes its lock a moment after it was asked to start (asked=, our own line) */
	if (!strcmp(state, "trying") && !try_running() && !(text[0] && monotonic_seconds() - atol(text) < 10)) {
		snprintf(state, sizeof state, "failed");
		snprintf(reason, sizeof reason, "the try ended without a result: see the boot log");
	}
	buf_add(&out, "},\"try\":{\"state\":");
	buf_string(&out, state);
	buf_add(&out, ",\"reason\":");
	buf_string(&out, reason);
	buf_add(&out, ",\"seconds\":%d}}", atoi(seconds) == AP_TRY_SECONDS ? AP_TRY_SECONDS : TRY_SECONDS);
	reply_buf(&out);
}

/* iwlist: the stock firmware's, made for its driver (the Xiaofang's), else the card's own (the YI's). */
static int find_scanner(char *out, size_t size)
{
	static const char *const stock[] = { "/usr/sbin", "/usr/bin", "/sbin", "/bin", NULL };
	int i;
	for (i = 0; stock[i]; i++) {
		snprintf(out, size, "%s/iwlist", stock[i]);
		if (access(out, X_OK) == 0)
			return 0;
	}
	snprintf(out, size, "%s/usr/sbin/iwlist", card_dir());
	return access(out, X_OK);
}

struct cell {
	char ssid[33];
	const char *security;
	int quality, channel, signal;
};

/* iwlist's ESSID:"..." with its \xHH escapes, as bytes; -1 when it is not an SSID to offer. */
static int essid(const char *v, char *out, size_t size)
{
	const char *end;
	size_t n = 0;
	if (*v++ != '"' || !(end = strrchr(v, '"')))
		return -1;
	while (v < end) {
		unsigned char byte;
		char pair[3] = { 0, 0, 0 };
		if (v[0] == '\\' && v[1] == 'x' && end - v >= 4)
			pair[0] = v[2], pair[1] = v[3];
		lower_hex(pair);
		if (pair[0] && unhex(pair, &byte, 1) == 0)
			v += 4;
		else
			byte = (unsigned char)*v++;
		if (n + 1 >= size || byte < 0x20 || byte == 0x7f) {
			out[0] = '\0';
			return -1;
		}
		out[n++] = (char)byte;
	}
	out[n] = '\0';
	if (!n || !utf8_valid(out, n)) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

/* A cell's security from iwlist's lines: open, wep, wpa, wpa2 or 802.1x (enterprise). */
static void cell_line(struct cell *c, const char *line, int *key_on, int *wpa, int *wpa2, int *eap)
{
	const char *v;
	int a, b;
	if ((v = strstr(line, "ESSID:"))) {
		/* the rest of the line is the name's: nothing in it is read as anything else */
		essid(v + 6, c->ssid, sizeof c->ssid);
		return;
	}
	if ((v = strstr(line, "Channel:")))
		c->channel = atoi(v + 8);
	else if ((v = strstr(line, "(Channel ")) && !c->channel)
		c->channel = atoi(v + 9);
	if ((v = strstr(line, "Quality=")) && sscanf(v + 8, "%d/%d", &a, &b) == 2 && b > 0)
		c->quality = a * 100 / b;
	if ((v = strstr(line, "Signal level=")))
		c->signal = atoi(v + 13);
	if ((v = strstr(line, "Encryption key:")))
		*key_on = !strncmp(v + 15, "on", 2);
	if (strstr(line, "IE: IEEE 802.11i/WPA2"))
		*wpa2 = 1;
	else if (strstr(line, "IE: WPA Version"))
		*wpa = 1;
	if (strstr(line, "Authentication Suites") && strstr(line, "802.1x"))
		*eap = 1;
}

static void cell_done(struct cell *c, int key_on, int wpa, int wpa2, int eap)
{
	c->security = !key_on ? "open" : eap ? "802.1x" : wpa2 ? "wpa2" : wpa ? "wpa" : "wep";
}

static int by_quality(const void *a, const void *b)
{
	return ((const struct cell *)b)->quality - ((const struct cell *)a)->quality;
}

void route_network_scan(void)
{
	struct session session;
	struct setup s;
	static char output[SCAN_OUTPUT];
	static struct cell cells[SCAN_MAX];
	static struct buf out;
	char scanner[512];
	const char *argv[4];
	char *line, *save = NULL;
	int status, n = 0, i, key_on = 0, wpa = 0, wpa2 = 0, eap = 0, in_cell = 0;

	if (!logged_in_get(&session))
		return;
	setup_read(&s);
	if (!s.iface[0]) {
		reply_error(409, NULL, "the camera's network has not started yet: try again in a minute");
		return;
	}
	if (find_scanner(scanner, sizeof scanner) < 0) {
		reply_error(501, NULL, "this camera has no iwlist to scan with: type the network's name");
		return;
	}
	argv[0] = scanner, argv[1] = s.iface, argv[2] = "scan", argv[3] = NULL;
	status = run_program(argv, output, sizeof output);
	for (line = strtok_r(output, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "Cell ") && strstr(line, "Address:")) {
			if (in_cell)
				cell_done(&cells[n - 1], key_on, wpa, wpa2, eap);
			if (n == SCAN_MAX)
				break;
			memset(&cells[n++], 0, sizeof cells[0]);
			in_cell = 1, key_on = wpa = wpa2 = eap = 0;
		} else if (in_cell) {
			cell_line(&cells[n - 1], line, &key_on, &wpa, &wpa2, &eap);
		}
	}
	if (in_cell && n)
		cell_done(&cells[n - 1], key_on, wpa, wpa2, eap);
	if (!n && status != 0) {
		/* iwlist's own words (first line, printable only), e.g. "Interface doesn't support scanning" */
		char said[200];
		size_t j, k = 0;
		for (j = 0; output[j] && output[j] != '\n' && k + 1 < sizeof said; j++)
			if (output[j] >= 0x20 && output[j] < 0x7f)
				said[k++] = output[j];
		said[k] = '\0';
		reply_error(502, NULL, "the scan failed (%s): type the network's name", k ? said : "iwlist gave no reason");
		return;
	}
	qsort(cells, (size_t)n, sizeof cells[0], by_quality);
	buf_init(&out);
	buf_add(&out, "{\"networks\":[");
	for (i = 0, status = 0; i < n; i++) {
		int j, seen = 0;
		/* hidden networks have no name to offer; one entry per name, the strongest */
		for (j = 0; j < i && !seen; j++)
			seen = !strcmp(cells[j].ssid, cells[i].ssid);
		if (!cells[i].ssid[0] || seen)
			continue;
		buf_add(&out, "%s{\"ssid\":", status++ ? "," : "");
		buf_string(&out, cells[i].ssid);
		buf_add(&out, ",\"security\":\"%s\",\"quality\":%d,\"signal\":%d,\"channel\":%d}", cells[i].security, cells[i].quality, cells[i].signal, cells[i].channel);
	}
	buf_add(&out, "]}");
	reply_buf(&out);
}

/* A dotted-quad IPv4 address. */
static int ipv4(const char *s, uint32_t *out)
{
	struct in_addr a;
	if (strlen(s) > 15 || inet_pton(AF_INET, s, &a) != 1)
		return 0;
	*out = ntohl(a.s_addr);
	return 1;
}

/* The static addresses, checked as a whole; 0, or -1 after a 400 naming the field. */
static int check_static(const struct body *b)
{
	uint32_t addr, mask, gw, dns;
	const char *list = body_get(b, "dns")->value;
	int count = 0;

	if (!ipv4(body_get(b, "address")->value, &addr))
		return reply_error(400, "address", "address: the camera's IPv4 address, such as 192.168.1.50"), -1;
	if (!ipv4(body_get(b, "netmask")->value, &mask) || mask == 0 || mask == 0xffffffffu || (~mask & (~mask + 1)))
		return reply_error(400, "netmask", "netmask: a subnet mask such as 255.255.255.0"), -1;
	if ((addr & ~mask) == 0 || (addr & ~mask) == ~mask || (addr >> 24) == 0 || (addr >> 24) == 127 || (addr >> 28) >= 14)
		return reply_error(400, "address", "address: not an address a camera can have in that subnet (it is the network's, its broadcast, loopback or multicast)"), -1;
	if (!ipv4(body_get(b, "gateway")->value, &gw) || (gw & mask) != (addr & mask) || gw == addr || (gw & ~mask) == ~mask)
		return reply_error(400, "gateway", "gateway: the router's IPv4 address, in the camera's subnet"), -1;
	while (*list) {
		char one[32];
		size_t len = strcspn(list, " ");
		snprintf(one, sizeof one, "%.*s", (int)(len < sizeof one ? len : 0), list);
		if (!ipv4(one, &dns) || ++count > 3)
			return reply_error(400, "dns", "dns: one to three IPv4 addresses, separated by spaces"), -1;
		list += len;
		list += strspn(list, " ");
	}
	if (!count)
		return reply_error(400, "dns", "dns: one to three IPv4 addresses, separated by spaces"), -1;
	return 0;
}

/* Printable ASCII: a passphrase may hold quotes and '$', and it only ever reaches the key derivation. */
static int passphrase_ok(const char *v)
{
	for (; *v; v++)
		if (*v < 0x20 || *v > 0x7e)
			return 0;
	return 1;
}

/* The Wi-Fi network, checked; 0, or -1 after a 400. */
static int check_wifi(const struct body *b)
{
	const struct field *ssid = body_get(b, "ssid"), *psk = body_get(b, "psk"), *country = body_get(b, "country");
	size_t i;
	if (!ssid->len) {
		if (psk->len || country->len)
			return reply_error(400, psk->len ? "psk" : "country", "%s: only with a network name (ssid)", psk->len ? "psk" : "country"), -1;
		return 0;
	}
	if (ssid->len > 32)
		return reply_error(400, "ssid", "ssid: the network's name, 1 to 32 bytes"), -1;
	for (i = 0; i < ssid->len; i++)
		if ((unsigned char)ssid->value[i] < 0x20 || ssid->value[i] == 0x7f)
			return reply_error(400, "ssid", "ssid: no control characters"), -1;
	if (psk->len < 8 || psk->len > 63 || !passphrase_ok(psk->value))
		return reply_error(400, "psk", "psk: the WPA2 passphrase, 8 to 63 printable ASCII characters"), -1;
	if (country->len != 2 || country->value[0] < 'A' || country->value[0] > 'Z' || country->value[1] < 'A' || country->value[1] > 'Z')
		return reply_error(400, "country", "country: the two-letter country code (ISO 3166), such as DE or US: it sets the channels the radio may use"), -1;
	return 0;
}

/* A Wi-Fi network to join: no channel (the network has one), and the network checked; 0, or -1 after a 400. */
static int check_client(const struct body *b)
{
	if (body_get(b, "channel")->len)
		return reply_error(400, "channel", "channel: only for the camera's own network (wifi ap)"), -1;
	return check_wifi(b);
}

/* The camera's own network: its name, passphrase, country and channel, checked; 0, or -1 after a 400. */
static int check_ap(const struct body *b)
{
	const struct field *channel = body_get(b, "channel");
	int n = atoi(channel->value);
	if (!body_get(b, "ssid")->len)
		return reply_error(400, "ssid", "ssid: the name of the camera's own network, 1 to 32 bytes"), -1;
	if (check_wifi(b) < 0)
		return -1;
	if (channel->len < 1 || channel->len > 2 || strspn(channel->value, "0123456789") != channel->len || channel->value[0] == '0' || n < 1 || n > 13)
		return reply_error(400, "channel", "channel: the 2.4 GHz channel, 1 to 13 (1, 6 and 11 do not overlap; 12 and 13 are not allowed everywhere)"), -1;
	return 0;
}

/* The WPA PSK of the body's passphrase and SSID, in hex: the key wpa_supplicant and hostapd take. */
static void psk_hex(const struct body *b, char out[2 * WPA_PSK_LEN + 1])
{
	const struct field *ssid = body_get(b, "ssid");
	unsigned char psk[WPA_PSK_LEN];
	wpa_psk(body_get(b, "psk")->value, (const unsigned char *)ssid->value, ssid->len, psk);
	hex(psk, sizeof psk, out);
}

/*
 * The camera's own network's candidate file in dir, hostapd.conf (its option names are
 * those of every hostapd since 0.6, the stock one's age). 0, or -1 with the file in path.
 */
static int write_hostapd_conf(const char *dir, const struct body *b, const char *iface, const char *driver, char *path, size_t size)
{
	static char text[1024];
	char hexpsk[2 * WPA_PSK_LEN + 1];
	snprintf(path, size, "%s/hostapd.conf", dir);
	psk_hex(b, hexpsk);
	/* ssid= takes the rest of the line as it is: check_wifi let no control character in */
	snprintf(text, sizeof text,
		 "# The camera's own Wi-Fi network, from the web UI (camfw-api), tried before it was saved.\n"
		 "interface=%.15s\ndriver=%.63s\nssid=%.32s\ncountry_code=%.2s\nieee80211d=1\nhw_mode=g\nchannel=%d\n"
		 "wpa=2\nwpa_key_mgmt=WPA-PSK\nrsn_pairwise=CCMP\nwpa_psk=%s\n",
		 iface, driver, body_get(b, "ssid")->value, body_get(b, "country")->value, atoi(body_get(b, "channel")->value), hexpsk);
	return write_file_atomic(path, text, 0600);
}

/*
 * A Wi-Fi client's candidate files in dir: network.conf (the addresses; all empty: DHCP)
 * and, when the body names a network, wpa_supplicant.conf. 0, or -1 with the file that
 * could not be written in path.
 */
static int write_client_conf(const char *dir, const struct body *b, char *path, size_t size)
{
	static struct conf addresses;
	static char text[512];
	const struct field *ssid = body_get(b, "ssid");
	char hexssid[65], hexpsk[2 * WPA_PSK_LEN + 1];
	size_t i;

	snprintf(path, size, "%s/network.conf", dir);
	memset(&addresses, 0, sizeof addresses);
	snprintf(addresses.head, sizeof addresses.head, "# The camera's addresses, from the web UI (camfw-api), tried before they were saved.\n# Empty: DHCP. Sourced by etc/camfw/network.sh.\n");
	for (i = 0; i < sizeof ADDRESS_FIELDS / sizeof ADDRESS_FIELDS[0]; i++)
		conf_put(&addresses, ADDRESS_FIELDS[i][1], body_get(b, ADDRESS_FIELDS[i][0])->value);
	if (conf_save(&addresses, path, 0600) < 0)
		return -1;
	if (!ssid->len)
		return 0;
	hex((const unsigned char *)ssid->value, ssid->len, hexssid);
	psk_hex(b, hexpsk);
	snprintf(text, sizeof text, "ctrl_interface=/var/run/wpa_supplicant\ncountry=%.2s\nnetwork={\n\tssid=%s\n\tscan_ssid=1\n\tpsk=%s\n}\n", body_get(b, "country")->value, hexssid, hexpsk);
	snprintf(path, size, "%s/wpa_supplicant.conf", dir);
	return write_file_atomic(path, text, 0600);
}

void route_network_post(void)
{
	static const char *const fields[] = { "wifi", "addressing", "address", "netmask", "gateway", "dns", "ssid", "psk", "country", "channel", NULL };
	static const char *const candidates[] = { "wpa_supplicant.conf", "network.conf", "hostapd.conf" };
	struct session session;
	struct body b;
	struct setup s;
	const struct field *ssid, *addressing, *wifi;
	char dir[512], p[600], busybox[512], script[512], text[512], driver[64];
	const char *argv[5];
	size_t i;
	int is_static, is_ap, seconds;

	if (logged_in_post(&session) < 0 || body_read(&b) < 0 || body_expect(&b, fields) < 0 || hostapd_driver(driver, sizeof driver) < 0)
		return;
	wifi = body_get(&b, "wifi");
	if (strcmp(wifi->value, "client") && strcmp(wifi->value, "ap")) {
		reply_error(400, "wifi", "wifi: client (join a Wi-Fi network) or ap (the camera's own network)");
		return;
	}
	is_ap = !strcmp(wifi->value, "ap");
	if (is_ap && !driver[0]) {
		reply_error(400, "wifi", "wifi: this camera cannot run its own network (its stock firmware has no hostapd for its Wi-Fi): client only");
		return;
	}
	addressing = body_get(&b, "addressing");
	if (strcmp(addressing->value, "dhcp") && strcmp(addressing->value, "static")) {
		reply_error(400, "addressing", "addressing: dhcp or static");
		return;
	}
	is_static = !strcmp(addressing->value, "static");
	if (is_ap && is_static) {
		reply_error(400, "addressing", "addressing: dhcp: on its own network the camera is 192.168.0.1 and gives the other addresses out");
		return;
	}
	if (is_static && check_static(&b) < 0)
		return;
	for (i = 0; !is_static && i < sizeof ADDRESS_FIELDS / sizeof ADDRESS_FIELDS[0]; i++)
		if (body_get(&b, ADDRESS_FIELDS[i][0])->len) {
			reply_error(400, ADDRESS_FIELDS[i][0], "%s: only with static addressing", ADDRESS_FIELDS[i][0]);
			return;
		}
	if (is_ap ? check_ap(&b) < 0 : check_client(&b) < 0)
		return;
	ssid = body_get(&b, "ssid");
	setup_read(&s);
	if (!strcmp(s.mode, "kept")) {
		reply_error(409, NULL, "KEEP-CLOUD is on the card: the cloud app keeps the network until you delete that file");
		return;
	}
	if (strcmp(s.mode, "card") && strcmp(s.mode, "cloud")) {
		reply_error(409, NULL, "the camera's network has not started yet: try again in a minute");
		return;
	}
	if (!is_ap && !strcmp(s.mode, "cloud") && !ssid->len) {
		reply_error(400, "ssid", "ssid: the cloud app holds Wi-Fi on this camera: give the network for camfw to join and take over");
		return;
	}
	if (!is_ap && s.ap[0] && !ssid->len) {
		reply_error(400, "ssid", "ssid: the camera runs its own network: give the Wi-Fi network it joins instead");
		return;
	}
	if (try_running()) {
		reply_error(409, NULL, "another change is being tried: wait for its result");
		return;
	}

	net_path(dir, sizeof dir, "candidate");
	for (i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, candidates[i]);
		unlink(p);
	}
	mkdir(dir, 0700);
	if ((is_ap ? write_hostapd_conf(dir, &b, s.iface, driver, p, sizeof p) : write_client_conf(dir, &b, p, sizeof p)) < 0) {
		reply_error(500, NULL, "cannot write %s (%s): nothing was changed", p, strerror(errno));
		return;
	}
	seconds = is_ap ? AP_TRY_SECONDS : TRY_SECONDS;
	net_path(p, sizeof p, "try");
	snprintf(text, sizeof text, "state=trying\nreason=starting the try\nasked=%ld\nseconds=%d\n", monotonic_seconds(), seconds);
	if (write_file_atomic(p, text, 0644) < 0) {
		reply_error(500, NULL, "cannot write %s (%s): nothing was changed", p, strerror(errno));
		return;
	}
	snprintf(busybox, sizeof busybox, "%s/bin/busybox", card_dir());
	snprintf(script, sizeof script, "%s/etc/camfw/net-try.sh", card_dir());
	argv[0] = busybox, argv[1] = "sh", argv[2] = script, argv[3] = card_dir(), argv[4] = NULL;
	if (run_detached(argv) < 0) {
		reply_error(500, NULL, "cannot start the try (%s): nothing was changed", strerror(errno));
		return;
	}
	reply_json(202, NULL, "{\"ok\":true,\"trying\":true,\"seconds\":%d}", seconds);
}
