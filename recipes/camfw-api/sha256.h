/* SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104) and PBKDF2-HMAC-SHA256 (RFC 8018). */
#ifndef CAMFW_SHA256_H
#define CAMFW_SHA256_H

#include <stddef.h>
#include <stdint.h>

enum { SHA256_LEN = 32, SHA256_BLOCK = 64 };

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char buf[SHA256_BLOCK];
	size_t fill;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, unsigned char out[SHA256_LEN]);
void sha256(const void *data, size_t len, unsigned char out[SHA256_LEN]);
void hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len, unsigned char out[SHA256_LEN]);
void pbkdf2_sha256(const void *password, size_t password_len, const unsigned char *salt, size_t salt_len, unsigned iterations, unsigned char *out, size_t out_len);

#endif
