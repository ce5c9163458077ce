/* SHA-1 (FIPS 180-4) for one purpose: the WPA pre-shared key, PBKDF2-HMAC-SHA1 (IEEE 802.11i). */
#ifndef CAMFW_SHA1_H
#define CAMFW_SHA1_H

#include <stddef.h>

enum { WPA_PSK_LEN = 32 };

/* PBKDF2-HMAC-SHA1(passphrase, ssid, 4096 iterations, 32 bytes): what wpa_supplicant derives from psk="..." */
void wpa_psk(const char *passphrase, const unsigned char *ssid, size_t ssid_len, unsigned char out[WPA_PSK_LEN]);

#endif
