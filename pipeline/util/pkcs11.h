/* A private key held in a token (an HSM, a smart card, SoftHSM in the
 * tests), named by its PKCS#11 URI (RFC 7512) and used through OpenSSL's
 * pkcs11 engine (Debian's libengine-pkcs11-openssl; the pkcs11 provider is
 * not packaged for Debian 12). The key never leaves the token: OpenSSL
 * hands each signature to it. */
#ifndef CP_PKCS11_H
#define CP_PKCS11_H

#include <openssl/evp.h>

/* The key at uri ("pkcs11:token=...;object=..."), the token opened with
 * the PIN in pin_file (a secret: mode 0600, see secret.h; NULL: the URI's
 * own pin-value, or none) through module (NULL: the engine's default,
 * p11-kit's proxy). NULL after a message. Each process (each render
 * worker, after fork) opens its own. */
EVP_PKEY *cp_pkcs11_key(const char *uri, const char *pin_file, const char *module);

#endif
