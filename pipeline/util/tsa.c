/* A time-stamp request and its reply (tsa.h). Plain HTTP, as RFC 3161
 * time-stamp authorities commonly serve it: the token is signed by the
 * authority, so TLS would add nothing to what it proves. */
#include "util/tsa.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/http.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "util/sslerr.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define TSA_TIMEOUT 30
#define TSA_MAX_REPLY (1 << 20)

static TS_REQ *request(const unsigned char *data, size_t n, ASN1_INTEGER **nonce)
{
	unsigned char digest[32], rnd[8];
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *imprint = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	BIGNUM *bn = NULL;
	int ok;

	ok = req && imprint && alg && EVP_Digest(data, n, digest, NULL, EVP_sha256(), NULL) &&
	     X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) &&
	     TS_MSG_IMPRINT_set_algo(imprint, alg) &&
	     TS_MSG_IMPRINT_set_msg(imprint, digest, sizeof(digest)) &&
	     TS_REQ_set_version(req, 1) && TS_REQ_set_msg_imprint(req, imprint) &&
	     TS_REQ_set_cert_req(req, 1) && RAND_bytes(rnd, sizeof(rnd)) == 1 &&
	     (bn = BN_bin2bn(rnd, sizeof(rnd), NULL)) && (*nonce = BN_to_ASN1_INTEGER(bn, NULL)) &&
	     TS_REQ_set_nonce(req, *nonce);
	BN_free(bn);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(imprint);
	if (!ok) {
		TS_REQ_free(req);
		return NULL;
	}
	return req;
}

/* The reply grants a token over our imprint with our nonce (the token's
 * own signature is the authority's to answer for; a verifier checks it). */
static int reply_ok(TS_REQ *req, TS_RESP *resp)
{
	TS_VERIFY_CTX *v = TS_REQ_to_TS_VERIFY_CTX(req, NULL);
	int ok;

	if (!v)
		return 0;
	TS_VERIFY_CTX_set_flags(v, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE);
	ok = TS_RESP_verify_response(v, resp) == 1;
	TS_VERIFY_CTX_free(v);
	return ok;
}

int cp_tsa_stamp(const char *url, const unsigned char *data, size_t n, unsigned char **token,
		 size_t *len)
{
	char *host = NULL, *port = NULL, *path = NULL;
	ASN1_INTEGER *nonce = NULL;
	TS_REQ *req = request(data, n, &nonce);
	TS_RESP *resp = NULL;
	BIO *body = BIO_new(BIO_s_mem()), *reply = NULL;
	unsigned char *der = NULL;
	int ssl = 0, dlen = -1, rc = -1;

	*token = NULL;
	*len = 0;
	if (!req || !body || i2d_TS_REQ_bio(body, req) != 1) {
		cp_error("%s: cannot make a time-stamp request: %s", url, cp_ssl_why());
		goto out;
	}
	if (!OSSL_HTTP_parse_url(url, &ssl, NULL, &host, &port, NULL, &path, NULL, NULL) || ssl) {
		cp_error("%s: not an http:// URL of a time-stamp authority", url);
		goto out;
	}
	reply = OSSL_HTTP_transfer(NULL, host, port, path, 0, NULL, NULL, NULL, NULL, NULL, NULL,
				   0, NULL, "application/timestamp-query", body,
				   "application/timestamp-reply", 1, TSA_MAX_REPLY, TSA_TIMEOUT, 0);
	if (!reply) {
		cp_error("%s: no time-stamp from the authority: %s", url, cp_ssl_why());
		goto out;
	}
	resp = d2i_TS_RESP_bio(reply, NULL);
	if (!resp || !reply_ok(req, resp)) {
		cp_error("%s: the authority's reply is not a time-stamp of this signature: %s", url,
			 cp_ssl_why());
		goto out;
	}
	dlen = i2d_PKCS7(TS_RESP_get_token(resp), &der);
	if (dlen <= 0) {
		cp_error("%s: the reply holds no token", url);
		goto out;
	}
	*token = cp_xmalloc((size_t)dlen);
	memcpy(*token, der, (size_t)dlen);
	*len = (size_t)dlen;
	rc = 0;
out:
	OPENSSL_free(der);
	OPENSSL_free(host);
	OPENSSL_free(port);
	OPENSSL_free(path);
	ASN1_INTEGER_free(nonce);
	TS_REQ_free(req);
	TS_RESP_free(resp);
	BIO_free(body);
	BIO_free(reply);
	return rc;
}
