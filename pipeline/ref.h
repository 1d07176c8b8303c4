/* Document references, NNNNNNNN-II-CCCC: an 8-digit serial drawn at random,
 * a 2-digit issue number (01 the original, 02 the first replacement...) and
 * 4 check characters in Crockford base32: HMAC-SHA-256 (libsodium) of
 * "NNNNNNNN-II" under the secret key, truncated to 20 bits. A mistyped or
 * invented reference is refused without a database lookup. */
#ifndef CP_REF_H
#define CP_REF_H

#include <stdbool.h>
#include <stdint.h>

#define CP_REF_LEN 16      /* "87365060-01-W34G" */
#define CP_REF_KEY_BYTES 32
#define CP_SERIALS 100000000u

struct cp_ref_key {
	unsigned char bytes[CP_REF_KEY_BYTES];
	/* HMAC state after the key, kept so each check costs two SHA-256 blocks
	 * (crypto_auth_hmacsha256_state, kept opaque). */
	_Alignas(16) unsigned char hmac[512];
};

/* Set a key from its bytes. */
void cp_ref_key_set(struct cp_ref_key *key, const unsigned char bytes[CP_REF_KEY_BYTES]);

/* Read the key file: 64 hex digits (white space around them ignored). It is
 * refused (-1, with a message) if group or others may read or write it. */
int cp_ref_key_load(struct cp_ref_key *key, const char *path);
/* Overwrite a key in memory once it is no longer needed. */
void cp_ref_key_wipe(struct cp_ref_key *key);
/* Create a new key file with a random key, mode 0600. Refuses to replace
 * an existing file (returns 1 then). */
int cp_ref_key_create(const char *path);

/* The 4 check characters for a serial and issue number. */
void cp_ref_check(const struct cp_ref_key *key, uint32_t serial, unsigned issue, char out[5]);
/* The whole reference (out holds CP_REF_LEN + 1 bytes). */
void cp_ref_format(const struct cp_ref_key *key, uint32_t serial, unsigned issue,
		   char out[CP_REF_LEN + 1]);
/* Read what a person typed: lower case, the look-alikes O (0), I and L (1),
 * and missing hyphens are accepted. Fills the normalised form and the
 * numbers and returns true if it has the shape of a reference (the check
 * characters are not verified here). */
bool cp_ref_parse(const char *in, char out[CP_REF_LEN + 1], uint32_t *serial, unsigned *issue);
/* True if a normalised reference's check characters are right. */
bool cp_ref_verify(const struct cp_ref_key *key, const char *normalised);
/* A random serial from 0 to 99,999,999 whose single-digit neighbours (any
 * one digit of the serial or the issue number 01 changed) all have other
 * check characters, so one mistyped digit can never name another valid
 * original. */
uint32_t cp_ref_draw_serial(const struct cp_ref_key *key);
/* The screen that cp_ref_draw_serial applies to each candidate serial. */
bool cp_ref_serial_ok(const struct cp_ref_key *key, uint32_t serial);

#endif
