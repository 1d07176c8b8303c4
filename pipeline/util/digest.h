/* SHA-256 (OpenSSL's libcrypto: SHA extensions where the CPU has them) as
 * lower-case hex, for files and buffers. */
#ifndef CP_DIGEST_H
#define CP_DIGEST_H

#include <stddef.h>

#define CP_SHA256_HEX 65

struct cp_sha256 {
	void *ctx; /* EVP_MD_CTX */
};

void cp_sha256_init(struct cp_sha256 *h);
void cp_sha256_update(struct cp_sha256 *h, const void *buf, size_t n);
/* Ends the hash (and frees it). */
void cp_sha256_final_hex(struct cp_sha256 *h, char hex[CP_SHA256_HEX]);
void cp_sha256_final(struct cp_sha256 *h, unsigned char digest[32]);
/* A second hash going on from where h is (h goes on too): two digests of
 * data that starts the same, its start hashed once. */
void cp_sha256_copy(struct cp_sha256 *to, const struct cp_sha256 *h);
/* Ends a hash whose digest is not wanted. */
void cp_sha256_discard(struct cp_sha256 *h);
/* The hex digest of a whole file; -1 with a message if it cannot be read. */
int cp_sha256_file(const char *path, char hex[CP_SHA256_HEX]);

#endif
