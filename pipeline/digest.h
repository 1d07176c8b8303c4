/* SHA-256 (libsodium) as lower-case hex, for files and buffers. */
#ifndef CP_DIGEST_H
#define CP_DIGEST_H

#include <stddef.h>

#define CP_SHA256_HEX 65

struct cp_sha256 {
	unsigned char state[128]; /* crypto_hash_sha256_state, kept opaque */
};

void cp_sha256_init(struct cp_sha256 *h);
void cp_sha256_update(struct cp_sha256 *h, const void *buf, size_t n);
void cp_sha256_final_hex(struct cp_sha256 *h, char hex[CP_SHA256_HEX]);
/* The hex digest of a whole file; -1 with a message if it cannot be read. */
int cp_sha256_file(const char *path, char hex[CP_SHA256_HEX]);

#endif
