/* Ed25519 signatures (libsodium) for files that travel: a key pair kept as
 * a secret file (the 32-byte seed as 64 hex digits, mode 0600, as
 * secret.h reads it) and a public key as PEM (SubjectPublicKeyInfo), the
 * form OpenSSL reads, so anyone can check a signature without certpress:
 *   openssl pkeyutl -verify -pubin -inkey KEY.pub -rawin -in FILE -sigfile FILE.sig
 * A signature is detached: 64 raw bytes in a file of its own. */
#ifndef CP_EDSIGN_H
#define CP_EDSIGN_H

#include <stddef.h>

#define CP_EDSIGN_PUBLIC 32
#define CP_EDSIGN_SECRET 64
#define CP_EDSIGN_BYTES 64
#define CP_EDSIGN_PEM_MAX 128

/* Make a new pair: the secret file (mode 0600) and the public key file
 * (PEM, mode 0644). 0, 1 if the secret file exists (nothing is changed:
 * a new key would refuse every snapshot signed before), -1 with a message. */
int cp_edsign_keygen(const char *secret_path, const char *public_path);
/* Read the secret file (what names it in messages): 0 or -1. */
int cp_edsign_load_secret(const char *path, const char *what, unsigned char sk[CP_EDSIGN_SECRET]);
/* Read a PEM public key file: 0 or -1 with a message. */
int cp_edsign_load_public(const char *path, unsigned char pk[CP_EDSIGN_PUBLIC]);
/* The public key as PEM text (NUL-terminated). */
void cp_edsign_pem(const unsigned char pk[CP_EDSIGN_PUBLIC], char pem[CP_EDSIGN_PEM_MAX]);
/* The public half of a secret key. */
void cp_edsign_public_of(const unsigned char sk[CP_EDSIGN_SECRET], unsigned char pk[CP_EDSIGN_PUBLIC]);
void cp_edsign(const unsigned char sk[CP_EDSIGN_SECRET], const void *data, size_t len,
	     unsigned char sig[CP_EDSIGN_BYTES]);
/* 0 if sig is data's signature under pk, else -1 (no message). */
int cp_edsign_verify(const unsigned char pk[CP_EDSIGN_PUBLIC], const void *data, size_t len,
		   const unsigned char sig[CP_EDSIGN_BYTES]);

#endif
