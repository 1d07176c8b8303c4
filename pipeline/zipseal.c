/* Zip passwords sealed under a key derived from the reference key
 * (zipseal.h). */
#include "zipseal.h"

#include <sodium.h>
#include <string.h>

#include "ref.h"
#include "registry.h"
#include "util/msg.h"
#include "util/secret.h"
#include "util/banned.h"

#define VERSION 1
#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES
/* HKDF's info: what the key is for, so no other use of the reference key
 * ever meets the same bytes */
static const char info[] = "certpress zip passwords v1";

_Static_assert(sizeof(((struct cp_zipseal *)0)->key) == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
	       "an XChaCha20-Poly1305 key");
_Static_assert(CP_REF_KEY_BYTES == crypto_auth_hmacsha256_BYTES, "HKDF's PRK is a hash long");

int cp_zipseal_load(struct cp_zipseal *k, const char *key_file)
{
	unsigned char prk[CP_REF_KEY_BYTES], one = 1;
	crypto_auth_hmacsha256_state st;

	if (sodium_init() < 0)
		cp_bug("libsodium cannot start");
	if (cp_secret_read_hex(key_file, "reference key", prk, sizeof(prk)) < 0)
		return cp_error("the zip passwords are sealed with a key derived from the "
				"reference key: without it none can be set or read");
	/* HKDF-Expand(PRK, info, 32) = T(1) = HMAC(PRK, info || 0x01) */
	crypto_auth_hmacsha256_init(&st, prk, sizeof(prk));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)info, sizeof(info) - 1);
	crypto_auth_hmacsha256_update(&st, &one, 1);
	crypto_auth_hmacsha256_final(&st, k->key);
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(prk, sizeof(prk));
	return 0;
}

void cp_zipseal_wipe(struct cp_zipseal *k)
{
	sodium_memzero(k, sizeof(*k));
}

/* The associated data: the version and the centre, so a sealed value
 * belongs to its centre's row only. 0 (with a message) for a centre no
 * centre number can be, as an older registry's row might hold. */
static size_t ad_of(const char *centre, unsigned char *ad, size_t n)
{
	size_t len = strlen(centre);

	if (len + 1 > n) {
		cp_error("a centre number of %zu bytes: no zip password is kept for it", len);
		return 0;
	}
	ad[0] = VERSION;
	memcpy(ad + 1, centre, len);
	return len + 1;
}

int cp_zipseal_seal(const struct cp_zipseal *k, const char *centre, const char *pw,
		    unsigned char *out, size_t n, size_t *len)
{
	unsigned char ad[256];
	size_t adlen = ad_of(centre, ad, sizeof(ad)), pwlen = strlen(pw);
	unsigned long long clen;

	if (!adlen)
		return -1;
	if (1 + NONCE + pwlen + TAG > n)
		return cp_error("a zip password of %zu bytes is too long to seal", pwlen);
	out[0] = VERSION;
	randombytes_buf(out + 1, NONCE);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + 1 + NONCE, &clen,
						   (const unsigned char *)pw, pwlen, ad, adlen,
						   NULL, out + 1, k->key);
	*len = 1 + NONCE + (size_t)clen;
	return 0;
}

int cp_zipseal_open(const struct cp_zipseal *k, const char *centre, const unsigned char *in,
		    size_t len, char *pw, size_t n)
{
	unsigned char ad[256];
	size_t adlen = ad_of(centre, ad, sizeof(ad));
	unsigned long long plen;

	if (!adlen)
		return -1;
	if (len < 1 + NONCE + TAG || in[0] != VERSION || len - 1 - NONCE - TAG >= n)
		return cp_error("centre %s: its zip password in the registry is not a sealed "
				"one this certpress reads", centre);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)pw, &plen, NULL,
						       in + 1 + NONCE, len - 1 - NONCE, ad,
						       adlen, in + 1, k->key) < 0) {
		sodium_memzero(pw, n);
		return cp_error("centre %s: its zip password in the registry does not open with "
				"this reference key (another key, or a value altered or copied "
				"from another centre's row): set it again with 'certpress "
				"export-password %s'", centre, centre);
	}
	pw[plen] = '\0';
	return 0;
}

static int seal_one(void *ctx, const char *centre, const char *clear, unsigned char *out,
		    size_t n, size_t *len)
{
	return cp_zipseal_seal(ctx, centre, clear, out, n, len);
}

int cp_zip_passwords_upgrade(struct cp_registry *r, const char *key_file)
{
	struct cp_zipseal k;
	long n, sealed;
	int rc;

	if (cp_export_passwords_clear(r, &n) < 0)
		return -1;
	if (n == 0)
		return 0;
	if (!cp_secret_readable(key_file) || cp_zipseal_load(&k, key_file) < 0) {
		cp_warn("%ld zip password%s an older certpress kept in clear in the "
			       "registry: sealed by the first command that can read the "
			       "reference key %s", n, n == 1 ? "" : "s", key_file);
		return -1;
	}
	rc = cp_export_passwords_seal_clear(r, seal_one, &k, &sealed);
	cp_zipseal_wipe(&k);
	if (rc == 0)
		cp_info("sealed %ld zip password%s an older certpress kept in clear in the "
			"registry", sealed, sealed == 1 ? "" : "s");
	return rc;
}
