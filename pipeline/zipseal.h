/* The centres' zip passwords sealed in the registry, so that a copy of the
 * registry alone gives none away: XChaCha20-Poly1305 (libsodium's AEAD)
 * under a key derived from the reference key (HKDF-Expand, RFC 5869, with
 * HMAC-SHA-256: the reference key is already 32 random bytes, so it is the
 * pseudorandom key), the centre's number bound in as associated data so a
 * sealed value copied to another centre's row does not open. A sealed
 * value: version byte 1, a random 24-byte nonce, the ciphertext and its
 * 16-byte tag. Why derived and not a key file of its own: README's
 * "Secrets" and SECURITY.md. */
#ifndef CP_ZIPSEAL_H
#define CP_ZIPSEAL_H

#include <stddef.h>

struct cp_conf;
struct cp_registry;

struct cp_zipseal {
	unsigned char key[32];
};

/* The sealing key from the reference key file (read as every secret is:
 * refused with loose modes). 0, or -1 with a message. */
int cp_zipseal_load(struct cp_zipseal *k, const char *key_file);
void cp_zipseal_wipe(struct cp_zipseal *k);
/* Seal pw (NUL-terminated) for centre into out (n bytes), *len its size.
 * 0, or -1 with a message if it does not fit. */
int cp_zipseal_seal(const struct cp_zipseal *k, const char *centre, const char *pw,
		    unsigned char *out, size_t n, size_t *len);
/* Open a sealed value of centre into pw (n bytes, NUL-terminated; the
 * caller wipes it). 0, or -1 with a message: another key, a value altered
 * or moved from another centre's row. */
int cp_zipseal_open(const struct cp_zipseal *k, const char *centre, const unsigned char *in,
		    size_t len, char *pw, size_t n);

/* Seal the clear passwords an older certpress left in the registry, if
 * there are any, with the key of key_file: 0 (none left), or -1 with a
 * message when some stay in clear (the key cannot be read: they are
 * sealed by the next command that can). */
int cp_zip_passwords_upgrade(struct cp_registry *r, const char *key_file);

#endif
