/*
 * SHA-1 and the WPA pre-shared key. The card writes the key wpa_supplicant would derive
 * from the passphrase (as the build does for its Wi-Fi settings), so the passphrase is not
 * stored and no character of it can be misread by the camera's wpa_supplicant.conf parser.
 */
#include <stdint.h>
#include <string.h>
#include "sha1.h"

enum { SHA1_LEN = 20, SHA1_BLOCK = 64 };

struct sha1 {
	uint32_t h[5];
	uint64_t bytes;
	unsigned char buf[SHA1_BLOCK];
	size_t fill;
};

static uint32_t rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f, k, t;
	int i;
	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (i = 0; i < 80; i++) {
		if (i < 20)
			f = (b & c) | (~b & d), k = 0x5a827999;
		else if (i < 40)
			f = b ^ c ^ d, k = 0x6ed9eba1;
		else if (i < 60)
			f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
		else
			f = b ^ c ^ d, k = 0xca62c1d6;
		t = rol(a, 5) + f + e + k + w[i];
		e = d, d = c, c = rol(b, 30), b = a, a = t;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

static void sha1_init(struct sha1 *c)
{
	static const uint32_t iv[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
	memcpy(c->h, iv, sizeof iv);
	c->bytes = 0;
	c->fill = 0;
}

static void sha1_update(struct sha1 *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	c->bytes += len;
	while (len) {
		size_t take = SHA1_BLOCK - c->fill < len ? SHA1_BLOCK - c->fill : len;
		memcpy(c->buf + c->fill, p, take);
		c->fill += take, p += take, len -= take;
		if (c->fill == SHA1_BLOCK) {
			block(c->h, c->buf);
			c->fill = 0;
		}
	}
}

static void sha1_final(struct sha1 *c, unsigned char out[SHA1_LEN])
{
	uint64_t bits = c->bytes * 8;
	unsigned char pad = 0x80, len[8];
	int i;
	sha1_update(c, &pad, 1);
	pad = 0;
	while (c->fill != SHA1_BLOCK - 8)
		sha1_update(c, &pad, 1);
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_update(c, len, 8);
	for (i = 0; i < 5; i++)
		out[4 * i] = (unsigned char)(c->h[i] >> 24), out[4 * i + 1] = (unsigned char)(c->h[i] >> 16), out[4 * i + 2] = (unsigned char)(c->h[i] >> 8), out[4 * i + 3] = (unsigned char)c->h[i];
}

/* HMAC-SHA1 (RFC 2104) with the key's inner and outer states prepared once. */
struct hmac {
	struct sha1 inner, outer;
};

static void hmac_init(struct hmac *m, const void *key, size_t key_len)
{
	unsigned char k[SHA1_BLOCK] = { 0 }, pad[SHA1_BLOCK];
	int i;
	/* a passphrase is at most 63 bytes: never longer than a block */
	memcpy(k, key, key_len < SHA1_BLOCK ? key_len : SHA1_BLOCK);
	for (i = 0; i < SHA1_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	sha1_init(&m->inner);
	sha1_update(&m->inner, pad, sizeof pad);
	for (i = 0; i < SHA1_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	sha1_init(&m->outer);
	sha1_update(&m->outer, pad, sizeof pad);
	memset(k, 0, sizeof k);
}

static void hmac_run(const struct hmac *keyed, const void *msg, size_t msg_len, unsigned char out[SHA1_LEN])
{
	struct hmac m = *keyed;
	unsigned char inner[SHA1_LEN];
	sha1_update(&m.inner, msg, msg_len);
	sha1_final(&m.inner, inner);
	sha1_update(&m.outer, inner, sizeof inner);
	sha1_final(&m.outer, out);
}

void wpa_psk(const char *passphrase, const unsigned char *ssid, size_t ssid_len, unsigned char out[WPA_PSK_LEN])
{
	struct hmac keyed, m;
	unsigned char u[SHA1_LEN], t[SHA1_LEN], be[4] = { 0, 0, 0, 0 };
	size_t j, done = 0;
	int i;

	hmac_init(&keyed, passphrase, strlen(passphrase));
	while (done < WPA_PSK_LEN) {
		be[3]++;
		m = keyed;
		sha1_update(&m.inner, ssid, ssid_len);
		hmac_run(&m, be, 4, u);
		memcpy(t, u, sizeof t);
		for (i = 1; i < 4096; i++) {
			hmac_run(&keyed, u, sizeof u, u);
			for (j = 0; j < SHA1_LEN; j++)
				t[j] ^= u[j];
		}
		j = WPA_PSK_LEN - done < SHA1_LEN ? WPA_PSK_LEN - done : SHA1_LEN;
		memcpy(out + done, t, j);
		done += j;
	}
	memset(&keyed, 0, sizeof keyed);
	memset(&m, 0, sizeof m);
}
