/*
 * etc/camfw/web.passwd: the owner's user and password, as PBKDF2-HMAC-SHA256 with a random
 * salt, "USER:pbkdf2-sha256:ROUNDS:SALT:HASH" (mode 600, outside the web root). The web
 * login (camfw-api) and the telnet login (camfw-login) check the same one.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "api.h"
#include "sha256.h"

enum {
	SALT_LEN = 16,
	PBKDF2_ITERATIONS = 50000,
};

static void passwd_path(char *out, size_t size)
{
	snprintf(out, size, "%s/etc/camfw/web.passwd", card_dir());
}

int passwd_exists(void)
{
	char p[512];
	passwd_path(p, sizeof p);
	return access(p, F_OK) == 0;
}

/* The user and the stored hash; -1 when the file is missing or not camfw's format. */
static int passwd_read(char user[33], unsigned *iterations, unsigned char salt[SALT_LEN], unsigned char hash[SHA256_LEN])
{
	char p[512], line[256], salt_hex[2 * SALT_LEN + 1], hash_hex[2 * SHA256_LEN + 1];
	FILE *f;
	int ok;
	passwd_path(p, sizeof p);
	f = fopen(p, "r");
	if (!f)
		return -1;
	ok = fgets(line, sizeof line, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	if (sscanf(line, "%32[A-Za-z0-9._-]:pbkdf2-sha256:%u:%32[0-9a-f]:%64[0-9a-f]", user, iterations, salt_hex, hash_hex) != 4)
		return -1;
	if (*iterations < 1000 || *iterations > 10000000 || unhex(salt_hex, salt, SALT_LEN) < 0 || unhex(hash_hex, hash, SHA256_LEN) < 0)
		return -1;
	return 0;
}

int passwd_write(const char *user, const char *password)
{
	unsigned char salt[SALT_LEN], hash[SHA256_LEN];
	char p[512], salt_hex[2 * SALT_LEN + 1], hash_hex[2 * SHA256_LEN + 1], line[256];
	if (random_bytes(salt, sizeof salt) < 0)
		return -1;
	pbkdf2_sha256(password, strlen(password), salt, sizeof salt, PBKDF2_ITERATIONS, hash, sizeof hash);
	hex(salt, sizeof salt, salt_hex);
	hex(hash, sizeof hash, hash_hex);
	snprintf(line, sizeof line, "%s:pbkdf2-sha256:%u:%s:%s\n", user, PBKDF2_ITERATIONS, salt_hex, hash_hex);
	passwd_path(p, sizeof p);
	return write_file_atomic(p, line, 0600);
}

int password_matches(const char *user, const char *password)
{
	char stored_user[33];
	unsigned iterations;
	unsigned char salt[SALT_LEN], hash[SHA256_LEN], got[SHA256_LEN];
	if (passwd_read(stored_user, &iterations, salt, hash) < 0) {
		/* as slow as a check of a password: a camera without one does not answer sooner */
		memset(salt, 0, sizeof salt);
		pbkdf2_sha256(password, strlen(password), salt, sizeof salt, PBKDF2_ITERATIONS, got, sizeof got);
		return 0;
	}
	pbkdf2_sha256(password, strlen(password), salt, sizeof salt, iterations, got, sizeof got);
	return equal_const_time(got, hash, sizeof got) && (!user || !strcmp(user, stored_user));
}
