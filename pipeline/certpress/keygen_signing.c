/* certpress keygen --signing: an ECDSA P-256 key ([sign] key, mode 0600)
 * and a self-signed certificate for it ([sign] certificate), enough to see
 * signed digital copies in a demonstration. A reader shows such a
 * signature as intact but its signer as unknown: a real deployment signs
 * with a certificate from a CA readers trust. Existing files are never
 * replaced (documents signed with the key would no longer match it). */
#include "cmd.h"

#include <libgen.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/sslerr.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define YEARS 5

static int add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	ok = ext && X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* A self-signed certificate for key, named after the awarding body. */
static X509 *self_signed(EVP_PKEY *key, const char *body)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	unsigned char serial[16];
	BIGNUM *bn = NULL;
	time_t now = time(NULL), clock = cp_clock_output();
	/* valid from before the clock the documents are dated by, so a
	 * verifier that checks the certificate at the signing time accepts it */
	time_t from = (clock < now ? clock : now) - 86400;
	int ok;

	RAND_bytes(serial, sizeof(serial));
	serial[0] &= 0x7f;
	ok = x && name && (bn = BN_bin2bn(serial, sizeof(serial), NULL)) &&
	     BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) && X509_set_version(x, 2) &&
	     X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)body, -1,
					-1, 0) &&
	     X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)body, -1,
					-1, 0) &&
	     X509_set_subject_name(x, name) && X509_set_issuer_name(x, name) &&
	     ASN1_TIME_set(X509_getm_notBefore(x), from) &&
	     ASN1_TIME_set(X509_getm_notAfter(x), from + (time_t)YEARS * 365 * 86400) &&
	     X509_set_pubkey(x, key) && add_ext(x, NID_basic_constraints, "critical,CA:FALSE") &&
	     add_ext(x, NID_key_usage, "critical,digitalSignature,nonRepudiation") &&
	     add_ext(x, NID_subject_key_identifier, "hash") && X509_sign(x, key, EVP_sha256()) > 0;
	BN_free(bn);
	X509_NAME_free(name);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* The PEM text of what write_fn writes into a memory BIO. */
static char *pem_of(BIO *b, size_t *len)
{
	char *data;
	long n = BIO_get_mem_data(b, &data);
	char *copy = cp_xmalloc((size_t)n + 1);

	memcpy(copy, data, (size_t)n);
	copy[n] = '\0';
	*len = (size_t)n;
	return copy;
}

static int make_dir_of(const char *path)
{
	char *dir = cp_xstrdup(path);
	int rc = cp_mkdirs(dirname(dir));

	free(dir);
	return rc;
}

int cp_cmd_keygen_signing(const char *config)
{
	struct cp_cmd_env e = { 0 };
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	BIO *kb = BIO_new(BIO_s_mem()), *cb = BIO_new(BIO_s_mem());
	char *kpem = NULL, *cpem = NULL;
	size_t klen, clen;
	int rc;

	if ((rc = cp_cmd_conf(&e, config)) != 0)
		goto out;
	rc = CP_EX_CONFIG;
	if (!e.conf.sign_certificate || !e.conf.sign_key) {
		cp_error("%s: keygen --signing writes [sign] certificate and key: set both",
			 e.conf.path);
		goto out;
	}
	if (!strncmp(e.conf.sign_key, "pkcs11:", 7)) {
		cp_error("%s: [sign] key is a token's (%s): make its key in the token", e.conf.path,
			 e.conf.sign_key);
		goto out;
	}
	if (access(e.conf.sign_key, F_OK) == 0 || access(e.conf.sign_certificate, F_OK) == 0) {
		cp_info("%s or %s exists: left as it is (documents signed with it would no longer "
			"match)", e.conf.sign_key, e.conf.sign_certificate);
		rc = CP_EX_OK;
		goto out;
	}
	rc = CP_EX_SOFTWARE;
	if (!kb || !cb || !(key = EVP_EC_gen("P-256")) ||
	    !(cert = self_signed(key, e.conf.awarding_body)) ||
	    !PEM_write_bio_PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL) ||
	    !PEM_write_bio_X509(cb, cert)) {
		cp_error("cannot make a signing key: %s", cp_ssl_why());
		goto out;
	}
	kpem = pem_of(kb, &klen);
	cpem = pem_of(cb, &clen);
	rc = CP_EX_CANTCREAT;
	if (make_dir_of(e.conf.sign_key) < 0 || make_dir_of(e.conf.sign_certificate) < 0 ||
	    cp_atomic_write_file(e.conf.sign_key, kpem, klen, 0600) < 0 ||
	    cp_atomic_write_file(e.conf.sign_certificate, cpem, clen, 0644) < 0)
		goto out;
	cp_info("%s: new ECDSA P-256 signing key (mode 0600); %s: its self-signed certificate, "
		"'%s', valid %d years", e.conf.sign_key, e.conf.sign_certificate,
		e.conf.awarding_body, YEARS);
	cp_warn("a self-signed certificate is for demonstrations: readers show the signature as "
		"intact but its signer as unknown. A real deployment signs with a certificate "
		"from a CA that readers trust (Adobe's AATL list, or an eIDAS qualified seal "
		"from a trust service provider): set [sign] certificate, chain and key to it");
	rc = CP_EX_OK;
out:
	if (kpem)
		OPENSSL_cleanse(kpem, klen);
	free(kpem);
	free(cpem);
	BIO_free(kb);
	BIO_free(cb);
	X509_free(cert);
	EVP_PKEY_free(key);
	cp_cmd_env_release(&e);
	return rc;
}
