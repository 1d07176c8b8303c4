/* Ed25519 key files and detached signatures through libsodium (edsign.h). */
#include "util/edsign.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/msg.h"
#include "util/readfile.h"
#include "util/secret.h"
#include "util/banned.h"

/* DER of SubjectPublicKeyInfo { id-Ed25519 } before the 32 key bytes
 * (RFC 8410). */
static const unsigned char spki[12] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
};
#define PEM_BEGIN "-----BEGIN PUBLIC KEY-----\n"
#define PEM_END "-----END PUBLIC KEY-----\n"

static void start(void)
{
	if (sodium_init() < 0)
		cp_bug("libsodium cannot start");
}

void cp_edsign_pem(const unsigned char pk[CP_EDSIGN_PUBLIC], char pem[CP_EDSIGN_PEM_MAX])
{
	unsigned char der[sizeof(spki) + CP_EDSIGN_PUBLIC];
	char b64[64];

	memcpy(der, spki, sizeof(spki));
	memcpy(der + sizeof(spki), pk, CP_EDSIGN_PUBLIC);
	sodium_bin2base64(b64, sizeof(b64), der, sizeof(der), sodium_base64_VARIANT_ORIGINAL);
	snprintf(pem, CP_EDSIGN_PEM_MAX, PEM_BEGIN "%s\n" PEM_END, b64);
}

void cp_edsign_public_of(const unsigned char sk[CP_EDSIGN_SECRET], unsigned char pk[CP_EDSIGN_PUBLIC])
{
	start();
	crypto_sign_ed25519_sk_to_pk(pk, sk);
}

int cp_edsign_keygen(const char *secret_path, const char *public_path)
{
	unsigned char seed[crypto_sign_SEEDBYTES], pk[CP_EDSIGN_PUBLIC], sk[CP_EDSIGN_SECRET];
	char pem[CP_EDSIGN_PEM_MAX];
	int rc;

	start();
	if (access(secret_path, F_OK) == 0)
		return 1;
	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	cp_edsign_pem(pk, pem);
	/* the public key first: a secret without its public half is no use */
	rc = cp_atomic_write_file(public_path, pem, strlen(pem), 0644);
	if (rc == 0 && chmod(public_path, 0644) < 0)
		rc = cp_error("%s: cannot make it readable: %s", public_path, strerror(errno));
	if (rc == 0)
		rc = cp_secret_write_hex(secret_path, seed, sizeof(seed));
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	return rc;
}

int cp_edsign_load_secret(const char *path, const char *what, unsigned char sk[CP_EDSIGN_SECRET])
{
	unsigned char seed[crypto_sign_SEEDBYTES], pk[CP_EDSIGN_PUBLIC];

	start();
	if (cp_secret_read_hex(path, what, seed, sizeof(seed)) < 0)
		return -1;
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof(seed));
	return 0;
}

int cp_edsign_load_public(const char *path, unsigned char pk[CP_EDSIGN_PUBLIC])
{
	unsigned char der[sizeof(spki) + CP_EDSIGN_PUBLIC];
	char *text, *b, *e;
	size_t len, got;
	int rc = -1;

	start();
	if (cp_read_file(path, &text, &len, 4096) < 0)
		return cp_error("%s: cannot read the public key: %s", path, strerror(errno));
	b = strstr(text, PEM_BEGIN);
	e = b ? strstr(b, "-----END PUBLIC KEY-----") : NULL;
	if (b && e) {
		b += strlen(PEM_BEGIN);
		if (sodium_base642bin(der, sizeof(der), b, (size_t)(e - b), " \t\r\n", &got, NULL,
				      sodium_base64_VARIANT_ORIGINAL) == 0 &&
		    got == sizeof(der) && !memcmp(der, spki, sizeof(spki))) {
			memcpy(pk, der + sizeof(spki), CP_EDSIGN_PUBLIC);
			rc = 0;
		}
	}
	free(text);
	if (rc < 0)
		cp_error("%s: not an Ed25519 public key in PEM", path);
	return rc;
}

void cp_edsign(const unsigned char sk[CP_EDSIGN_SECRET], const void *data, size_t len,
	     unsigned char sig[CP_EDSIGN_BYTES])
{
	start();
	crypto_sign_detached(sig, NULL, data, len, sk);
}

int cp_edsign_verify(const unsigned char pk[CP_EDSIGN_PUBLIC], const void *data, size_t len,
		   const unsigned char sig[CP_EDSIGN_BYTES])
{
	start();
	return crypto_sign_verify_detached(sig, data, len, pk) == 0 ? 0 : -1;
}
