/* SHA-256 through libsodium, so no hash is written by hand. */
#include "digest.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "banned.h"

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((struct cp_sha256 *)0)->state),
	       "cp_sha256 too small for libsodium's state");

void cp_sha256_init(struct cp_sha256 *h)
{
	if (sodium_init() < 0)
		cp_bug("libsodium cannot start");
	crypto_hash_sha256_init((crypto_hash_sha256_state *)(void *)h->state);
}

void cp_sha256_update(struct cp_sha256 *h, const void *buf, size_t n)
{
	crypto_hash_sha256_update((crypto_hash_sha256_state *)(void *)h->state, buf, n);
}

void cp_sha256_final_hex(struct cp_sha256 *h, char hex[CP_SHA256_HEX])
{
	unsigned char out[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_final((crypto_hash_sha256_state *)(void *)h->state, out);
	sodium_bin2hex(hex, CP_SHA256_HEX, out, sizeof(out));
}

int cp_sha256_file(const char *path, char hex[CP_SHA256_HEX])
{
	struct cp_sha256 h;
	unsigned char buf[1 << 16];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return cp_error("%s: cannot open: %s", path, strerror(errno));
	cp_sha256_init(&h);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		cp_sha256_update(&h, buf, n);
	if (ferror(f)) {
		fclose(f);
		return cp_error("%s: cannot read: %s", path, strerror(errno));
	}
	fclose(f);
	cp_sha256_final_hex(&h, hex);
	return 0;
}
