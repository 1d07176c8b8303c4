/* SHA-256 through libcrypto, so no hash is written by hand. Not libsodium,
 * which we use elsewhere: its portable C took a fifth of the render stage's
 * CPU time hashing every PDF; libcrypto uses the CPU's SHA instructions. */
#include "util/digest.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "util/msg.h"
#include "util/banned.h"

void cp_sha256_init(struct cp_sha256 *h)
{
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
		cp_bug("libcrypto cannot start a SHA-256");
}

void cp_sha256_update(struct cp_sha256 *h, const void *buf, size_t n)
{
	if (EVP_DigestUpdate(h->ctx, buf, n) != 1)
		cp_bug("libcrypto cannot hash");
}

void cp_sha256_final(struct cp_sha256 *h, unsigned char digest[32])
{
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (EVP_DigestFinal_ex(h->ctx, out, &len) != 1 || len != 32)
		cp_bug("libcrypto cannot end a SHA-256");
	memcpy(digest, out, 32);
	cp_sha256_discard(h);
}

void cp_sha256_final_hex(struct cp_sha256 *h, char hex[CP_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char out[32];

	cp_sha256_final(h, out);
	for (unsigned int i = 0; i < 32; i++) {
		hex[2 * i] = digits[out[i] >> 4];
		hex[2 * i + 1] = digits[out[i] & 15];
	}
	hex[64] = '\0';
}

void cp_sha256_copy(struct cp_sha256 *to, const struct cp_sha256 *h)
{
	to->ctx = EVP_MD_CTX_new();
	if (!to->ctx || EVP_MD_CTX_copy_ex(to->ctx, h->ctx) != 1)
		cp_bug("libcrypto cannot copy a SHA-256");
}

void cp_sha256_discard(struct cp_sha256 *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
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
		cp_sha256_discard(&h);
		return cp_error("%s: cannot read: %s", path, strerror(errno));
	}
	fclose(f);
	cp_sha256_final_hex(&h, hex);
	return 0;
}
