/* SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104) and PBKDF2-HMAC-SHA256 (RFC 8018, §5.2),
 * written from the standards; checked against their test vectors by the tests. */
#include <string.h>
#include "sha256.h"

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 64; i++)
		w[i] = (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10)) + w[i - 7] +
		       (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3)) + w[i - 16];
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
	for (i = 0; i < 64; i++) {
		t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

void sha256_init(struct sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	memcpy(c->h, iv, sizeof iv);
	c->bytes = 0;
	c->fill = 0;
}

void sha256_update(struct sha256 *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	c->bytes += len;
	while (len) {
		size_t n = SHA256_BLOCK - c->fill;
		if (n > len)
			n = len;
		memcpy(c->buf + c->fill, p, n);
		c->fill += n, p += n, len -= n;
		if (c->fill == SHA256_BLOCK) {
			block(c->h, c->buf);
			c->fill = 0;
		}
	}
}

void sha256_final(struct sha256 *c, unsigned char out[SHA256_LEN])
{
	uint64_t bits = c->bytes * 8;
	unsigned char pad = 0x80, len[8];
	int i;

	sha256_update(c, &pad, 1);
	pad = 0;
	while (c->fill != SHA256_BLOCK - 8)
		sha256_update(c, &pad, 1);
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_update(c, len, 8);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
	memset(c, 0, sizeof *c);
}

void sha256(const void *data, size_t len, unsigned char out[SHA256_LEN])
{
	struct sha256 c;
	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, out);
}

/* The keyed inner and outer states, so that PBKDF2 hashes the key's blocks once. */
struct hmac {
	struct sha256 inner, outer;
};

static void hmac_init(struct hmac *m, const void *key, size_t key_len)
{
	unsigned char k[SHA256_BLOCK] = { 0 }, pad[SHA256_BLOCK];
	int i;

	if (key_len > SHA256_BLOCK)
		sha256(key, key_len, k);
	else
		memcpy(k, key, key_len);
	for (i = 0; i < SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	sha256_init(&m->inner);
	sha256_update(&m->inner, pad, sizeof pad);
	for (i = 0; i < SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	sha256_init(&m->outer);
	sha256_update(&m->outer, pad, sizeof pad);
	memset(k, 0, sizeof k);
}

static void hmac_run(const struct hmac *keyed, const void *msg, size_t msg_len, unsigned char out[SHA256_LEN])
{
	struct hmac m = *keyed;
	unsigned char inner[SHA256_LEN];
	sha256_update(&m.inner, msg, msg_len);
	sha256_final(&m.inner, inner);
	sha256_update(&m.outer, inner, sizeof inner);
	sha256_final(&m.outer, out);
}

void hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len, unsigned char out[SHA256_LEN])
{
	struct hmac m;
	hmac_init(&m, key, key_len);
	hmac_run(&m, msg, msg_len, out);
	memset(&m, 0, sizeof m);
}

void pbkdf2_sha256(const void *password, size_t password_len, const unsigned char *salt, size_t salt_len, unsigned iterations, unsigned char *out, size_t out_len)
{
	struct hmac keyed, m;
	unsigned char u[SHA256_LEN], t[SHA256_LEN], be[4];
	uint32_t n;
	unsigned i;
	size_t j, take;

	hmac_init(&keyed, password, password_len);
	for (n = 1; out_len; n++) {
		be[0] = (unsigned char)(n >> 24), be[1] = (unsigned char)(n >> 16), be[2] = (unsigned char)(n >> 8), be[3] = (unsigned char)n;
		m = keyed;
		sha256_update(&m.inner, salt, salt_len);
		hmac_run(&m, be, 4, u);
		memcpy(t, u, sizeof t);
		for (i = 1; i < iterations; i++) {
			hmac_run(&keyed, u, sizeof u, u);
			for (j = 0; j < SHA256_LEN; j++)
				t[j] ^= u[j];
		}
		take = out_len < SHA256_LEN ? out_len : SHA256_LEN;
		memcpy(out, t, take);
		out += take, out_len -= take;
	}
	memset(&keyed, 0, sizeof keyed);
	memset(&m, 0, sizeof m);
	memset(u, 0, sizeof u);
	memset(t, 0, sizeof t);
}
