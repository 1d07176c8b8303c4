/* RFC 3161 time-stamps: a token from a time-stamp authority over HTTP
 * (OpenSSL's TS and HTTP clients), proving that some bytes (a signature
 * value) existed at the authority's time. */
#ifndef CP_TSA_H
#define CP_TSA_H

#include <stddef.h>

/* Ask the authority at url (http://host[:port]/path) for a token over the
 * SHA-256 of data, with a nonce and its certificate: *token (caller frees)
 * is the DER of the token (a CMS ContentInfo). The reply must grant it and
 * carry our imprint and nonce. 0, or -1 with a message. */
int cp_tsa_stamp(const char *url, const unsigned char *data, size_t n, unsigned char **token,
		 size_t *len);

#endif
