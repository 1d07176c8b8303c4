/* Detached CAdES signatures over byte ranges (cmssign.h), through OpenSSL's
 * CMS API. CMS_sign with CMS_PARTIAL builds the SignedData and its signer
 * (the certificates, signingCertificateV2); contentType and messageDigest
 * are added here and the signature over the DER of the signed attributes
 * is made here, because CMS_final would add signingTime. */
#include "util/cmssign.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/msg.h"
#include "util/sslerr.h"
#include "util/pkcs11.h"
#include "util/readfile.h"
#include "util/secret.h"
#include "util/tsa.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* A signature's DER as the template encodes it with a signature value of
 * one length, and where in it the messageDigest and the value are: what
 * differs between two signatures of the key with values of that length
 * (no signingTime, no time-stamp). */
struct cms_shape {
	size_t siglen, len, digest_at, sig_at;
	unsigned char *der;
};
#define MAX_SHAPES 8 /* an ECDSA P-256 value's DER is 8 to 72 bytes, mostly 70 to 72 */

struct cp_cms_signer {
	X509 *cert;
	STACK_OF(X509) *chain;
	EVP_PKEY *key;
	char *tsa_url;
	bool tsa_down; /* the last signature failed for want of a time-stamp */
	size_t reserve;
	size_t last_sig; /* the signature value's length in the last signature */
	char kind[32];
	CMS_ContentInfo *cms; /* the template every signature is made from */
	CMS_SignerInfo *si;   /* its signer */
	EVP_PKEY_CTX *pctx;   /* the key's signing context */
	/* the signed attributes' DER and where the messageDigest is in it */
	unsigned char *attrs;
	size_t attrs_len, attrs_digest_at;
	struct cms_shape shape[MAX_SHAPES];
	size_t nshapes;
};

/* A certificate file is the operator's, opened as every outside file is
 * (readfile.h: a FIFO or a device refused, never waited on or read without
 * end): what names it in the message, "signing certificate". A memory BIO
 * of its own copy, or NULL after a message. */
#define MAX_PEM (1 << 20)

static BIO *pem_file(const char *path, const char *what)
{
	char *text;
	size_t len;
	BIO *b;

	if (cp_read_text_file(path, what, MAX_PEM, &text, &len) < 0)
		return NULL;
	b = BIO_new(BIO_s_mem());
	if (b && BIO_write(b, text, (int)len) != (int)len) {
		BIO_free(b);
		b = NULL;
	}
	if (!b)
		cp_error("%s: cannot read the %s: %s", path, what, cp_ssl_why());
	free(text);
	return b;
}

static X509 *read_cert(const char *path)
{
	BIO *b = pem_file(path, "signing certificate");
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

	if (b && !x)
		cp_error("%s: cannot read a PEM certificate: %s", path, cp_ssl_why());
	BIO_free(b);
	return x;
}

/* Every certificate of a PEM file; NULL after a message if there is none. */
static STACK_OF(X509) *read_certs(const char *path)
{
	BIO *b = pem_file(path, "signing chain");
	STACK_OF(X509) *sk;
	X509 *x;

	if (!b)
		return NULL;
	sk = sk_X509_new_null();
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)))
		sk_X509_push(sk, x);
	ERR_clear_error();
	BIO_free(b);
	if (sk_X509_num(sk) == 0) {
		cp_error("%s: no PEM certificate in it", path);
		sk_X509_free(sk);
		return NULL;
	}
	return sk;
}

#define RENEW_DAYS 30

/* A certificate past its end signs nothing: every copy it signed would
 * fail a reader's check from the start. One that ends within RENEW_DAYS
 * is used, with a warning each run. Its start is not checked: the test
 * clock (CERTPRESS_NOW) may be before a certificate made today. */
static int cert_current(X509 *x, const char *path)
{
	const ASN1_TIME *end = X509_get0_notAfter(x);
	time_t now = cp_clock_now();
	struct tm tm;
	char when[16];

	if (!end || !ASN1_TIME_to_tm(end, &tm))
		return cp_error("%s: the certificate's end date cannot be read", path);
	strftime(when, sizeof(when), "%Y-%m-%d", &tm);
	if (X509_cmp_time(end, &now) <= 0)
		return cp_error("%s: the signing certificate expired on %s: renew it (a copy "
				"signed with it fails every check)", path, when);
	if (ASN1_TIME_cmp_time_t(end, now + RENEW_DAYS * 86400L) < 0)
		cp_warn("%s: the signing certificate expires on %s: renew it before then",
			path, when);
	return 0;
}

/* A PEM key from a file only its owner may read (secret.h). */
static EVP_PKEY *read_key(const char *path)
{
	static char pem[32768];
	EVP_PKEY *k = NULL;
	size_t len;
	BIO *b;

	if (cp_secret_read(path, "signing key", pem, sizeof(pem), &len) < 0)
		return NULL;
	b = BIO_new_mem_buf(pem, (int)len);
	if (b)
		k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	if (!k)
		cp_error("%s: cannot read a PEM private key: %s", path, cp_ssl_why());
	BIO_free(b);
	OPENSSL_cleanse(pem, sizeof(pem));
	return k;
}

/* ECDSA on P-256 or RSA of 2048 bits or more; its name in s->kind. */
static int key_kind(struct cp_cms_signer *s, const char *path)
{
	char curve[64];
	size_t n;

	switch (EVP_PKEY_get_base_id(s->key)) {
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_utf8_string_param(s->key, "group", curve, sizeof(curve), &n) ||
		    strcmp(curve, "prime256v1"))
			return cp_error("%s: an ECDSA key must be on P-256 (prime256v1)", path);
		snprintf(s->kind, sizeof(s->kind), "ECDSA P-256");
		return 0;
	case EVP_PKEY_RSA:
		if (EVP_PKEY_get_bits(s->key) < 2048)
			return cp_error("%s: an RSA key of %d bits (2048 or more)", path,
					EVP_PKEY_get_bits(s->key));
		snprintf(s->kind, sizeof(s->kind), "RSA-%d", EVP_PKEY_get_bits(s->key));
		return 0;
	}
	return cp_error("%s: not an ECDSA P-256 or RSA key", path);
}

void cp_cms_signer_free(struct cp_cms_signer *s)
{
	if (!s)
		return;
	CMS_ContentInfo_free(s->cms);
	EVP_PKEY_CTX_free(s->pctx);
	OPENSSL_free(s->attrs);
	for (size_t i = 0; i < s->nshapes; i++)
		free(s->shape[i].der);
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
	EVP_PKEY_free(s->key);
	free(s->tsa_url);
	free(s);
}

static int make_template(struct cp_cms_signer *s);

struct cp_cms_signer *cp_cms_signer_open(const struct cp_cms_conf *c, bool *tsa_down)
{
	struct cp_cms_signer *s = cp_xcalloc(1, sizeof(*s));
	static const unsigned char probe[1];
	struct cp_cms_range r = { probe, 0 };
	unsigned char *der;
	size_t len;

	*tsa_down = false;
	if (!c->certificate || !c->key) {
		cp_error("signing needs [sign] certificate and key (certpress keygen --signing "
			 "makes a demonstration pair)");
		goto fail;
	}
	if (!(s->cert = read_cert(c->certificate)) || cert_current(s->cert, c->certificate) < 0)
		goto fail;
	if (c->chain && !(s->chain = read_certs(c->chain)))
		goto fail;
	s->key = !strncmp(c->key, "pkcs11:", 7) ? cp_pkcs11_key(c->key, c->pin_file,
								 c->pkcs11_module)
						 : read_key(c->key);
	if (!s->key || key_kind(s, c->key) < 0)
		goto fail;
	if (X509_check_private_key(s->cert, s->key) != 1) {
		cp_error("%s: the key is not the certificate's (%s)", c->key, c->certificate);
		goto fail;
	}
	if (make_template(s) < 0) {
		cp_error("%s: cannot make a CMS signer of the key: %s", c->key, cp_ssl_why());
		goto fail;
	}
	s->tsa_url = c->tsa_url ? cp_xstrdup(c->tsa_url) : NULL;
	/* One signature made now says what one takes: the certificates and the
	 * attributes, with the longest signature value the key makes in place
	 * of this one's (an ECDSA value's DER is 70 to 72 bytes), so the same
	 * for every signature of the key (the files are reproducible), and a
	 * time-stamp token as this authority makes them, with room for one a
	 * little longer (a stamped file is not reproducible: the token holds
	 * the authority's time). */
	s->reserve = 1 << 20;
	if (cp_cms_sign(s, &r, 1, &der, &len) < 0) {
		*tsa_down = s->tsa_down;
		goto fail;
	}
	free(der);
	s->reserve = len - s->last_sig + (size_t)EVP_PKEY_get_size(s->key) + 8 +
		     (s->tsa_url ? 256 : 0);
	return s;
fail:
	cp_cms_signer_free(s);
	return NULL;
}

bool cp_cms_tsa_down(const struct cp_cms_signer *s)
{
	return s->tsa_down;
}

size_t cp_cms_reserve(const struct cp_cms_signer *s)
{
	return s->reserve;
}

const char *cp_cms_kind(const struct cp_cms_signer *s)
{
	return s->kind;
}

/* The DER of the signed attributes as a SET OF, which is what the signature
 * covers (RFC 5652 5.4): PKCS7_ATTR_SIGN sorts them as DER does, as the
 * SignerInfo's own encoding does. */
static int signed_attrs_der(CMS_SignerInfo *si, unsigned char **der)
{
	STACK_OF(X509_ATTRIBUTE) *sk = sk_X509_ATTRIBUTE_new_null();
	int n;

	for (int i = 0; i < CMS_signed_get_attr_count(si); i++)
		sk_X509_ATTRIBUTE_push(sk, CMS_signed_get_attr(si, i));
	*der = NULL;
	n = ASN1_item_i2d((ASN1_VALUE *)sk, der, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
	sk_X509_ATTRIBUTE_free(sk);
	return n;
}

/* The SignedData every signature of the signer starts from, made once: its
 * certificates, its signer with signingCertificateV2 and contentType, and
 * a messageDigest whose value each signature sets in place (the attributes
 * keep their order); and the key's signing context, set up once. Making
 * them for each document (CMS_sign, CMS_add1_signer, which checks the key
 * against the certificate again, EVP_DigestSignInit's fetches) was two
 * thirds of what a signature cost, a tenth of render's time. */
static int make_template(struct cp_cms_signer *s)
{
	const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP | CMS_CADES | CMS_PARTIAL;
	static const unsigned char zero[32];

	s->cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
	s->si = s->cms ? CMS_add1_signer(s->cms, s->cert, s->key, EVP_sha256(), flags) : NULL;
	if (!s->si)
		return -1;
	/* the chain but its root: a verifier holds its trust anchors, and a
	 * root's DER, written twice as long in hex, would cost each copy 1 KB */
	for (int i = 0; s->chain && i < sk_X509_num(s->chain); i++) {
		X509 *x = sk_X509_value(s->chain, i);

		if (X509_check_issued(x, x) != X509_V_OK && !CMS_add1_cert(s->cms, x))
			return -1;
	}
	if (CMS_signed_add1_attr_by_NID(s->si, NID_pkcs9_contentType, V_ASN1_OBJECT,
					OBJ_nid2obj(NID_pkcs7_data), -1) != 1 ||
	    CMS_signed_add1_attr_by_NID(s->si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, zero,
					sizeof(zero)) != 1)
		return -1;
	s->pctx = EVP_PKEY_CTX_new(s->key, NULL);
	if (!s->pctx || EVP_PKEY_sign_init(s->pctx) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(s->pctx, EVP_sha256()) != 1)
		return -1;
	return 0;
}

/* The template's messageDigest, set to digest. */
static int set_digest(struct cp_cms_signer *s, const unsigned char digest[32])
{
	int i = CMS_signed_get_attr_by_NID(s->si, NID_pkcs9_messageDigest, -1);
	ASN1_TYPE *t = i >= 0 ? X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(s->si, i), 0) : NULL;

	return t && t->type == V_ASN1_OCTET_STRING &&
			       ASN1_STRING_set(t->value.octet_string, digest, 32) == 1
		       ? 0
		       : -1;
}

/* Where the 32 bytes of digest are in der, once; SIZE_MAX if not once. */
static size_t digest_in(const unsigned char *der, size_t len, const unsigned char digest[32])
{
	size_t at = SIZE_MAX;

	for (size_t i = 0; i + 32 <= len; i++)
		if (der[i] == digest[0] && !memcmp(der + i, digest, 32)) {
			if (at != SIZE_MAX)
				return SIZE_MAX;
			at = i;
		}
	return at;
}

/* The signed attributes' DER with this messageDigest: encoded once, as
 * the template holds them, then only the digest changes in it (the
 * attributes keep their order and every length). NULL on error. */
static const unsigned char *attrs_der(struct cp_cms_signer *s, const unsigned char digest[32],
				      size_t *len)
{
	unsigned char *der = NULL;
	int n;

	if (!s->attrs) {
		if (set_digest(s, digest) < 0 || (n = signed_attrs_der(s->si, &der)) <= 0)
			return NULL;
		s->attrs_digest_at = digest_in(der, (size_t)n, digest);
		if (s->attrs_digest_at == SIZE_MAX) {
			OPENSSL_free(der);
			return NULL;
		}
		s->attrs = der;
		s->attrs_len = (size_t)n;
	}
	memcpy(s->attrs + s->attrs_digest_at, digest, 32);
	*len = s->attrs_len;
	return s->attrs;
}

/* The signature over the signed attributes' DER: their SHA-256 signed with
 * the context made once (RSA PKCS#1 v1.5 wraps it in a DigestInfo), into
 * sig (*siglen: its size, then the value's length). */
static int sign_attrs(struct cp_cms_signer *s, const unsigned char digest[32],
		      unsigned char *sig, size_t *siglen)
{
	unsigned char hash[32];
	size_t n;
	const unsigned char *attrs = attrs_der(s, digest, &n);

	if (attrs && EVP_Digest(attrs, n, hash, NULL, EVP_sha256(), NULL) == 1 &&
	    EVP_PKEY_sign(s->pctx, sig, siglen, hash, sizeof(hash)) == 1) {
		s->last_sig = *siglen;
		return 0;
	}
	return cp_error("cannot sign: %s", cp_ssl_why());
}

/* The DER of a signature whose value has this length, when one was made
 * before: a copy of it with this digest and value. NULL if none was. */
static unsigned char *reshape(const struct cp_cms_signer *s, const unsigned char digest[32],
			      const unsigned char *sig, size_t siglen, size_t *len)
{
	for (size_t i = 0; i < s->nshapes; i++) {
		const struct cms_shape *sh = &s->shape[i];
		unsigned char *der;

		if (sh->siglen != siglen)
			continue;
		der = cp_xmalloc(sh->len);
		memcpy(der, sh->der, sh->len);
		memcpy(der + sh->digest_at, digest, 32);
		memcpy(der + sh->sig_at, sig, siglen);
		*len = sh->len;
		return der;
	}
	return NULL;
}

/* Remember der, just encoded from the template, as the shape of the
 * signatures whose value has its length (unless the places of the digest
 * and the value in it are not certain, or there are enough shapes). */
static void keep_shape(struct cp_cms_signer *s, const unsigned char digest[32],
		       const unsigned char *sig, size_t siglen, const unsigned char *der,
		       size_t len)
{
	struct cms_shape *sh = &s->shape[s->nshapes];
	size_t sig_at = SIZE_MAX;

	if (s->nshapes == MAX_SHAPES || siglen < 8)
		return;
	for (size_t i = 0; i + siglen <= len; i++)
		if (!memcmp(der + i, sig, siglen)) {
			if (sig_at != SIZE_MAX)
				return;
			sig_at = i;
		}
	*sh = (struct cms_shape){ siglen, len, digest_in(der, len, digest), sig_at, NULL };
	if (sh->digest_at == SIZE_MAX || sh->sig_at == SIZE_MAX)
		return;
	sh->der = cp_xmalloc(len);
	memcpy(sh->der, der, len);
	s->nshapes++;
}

/* The time-stamp token over the signature value, as the unsigned
 * attribute signatureTimeStampToken: 0, or -1 (s->tsa_down if it was the
 * authority's doing). */
static int stamp(struct cp_cms_signer *s)
{
	ASN1_OCTET_STRING *value = CMS_SignerInfo_get0_signature(s->si);
	unsigned char *token;
	size_t tlen;
	int n;

	if (cp_tsa_stamp(s->tsa_url, ASN1_STRING_get0_data(value),
			 (size_t)ASN1_STRING_length(value), &token, &tlen) < 0) {
		s->tsa_down = true;
		return -1;
	}
	n = CMS_unsigned_add1_attr_by_NID(s->si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
					  token, (int)tlen);
	free(token);
	return n == 1 ? 0 : cp_error("cannot add the time-stamp: %s", cp_ssl_why());
}

/* Back to the template: the last signature's time-stamp taken off. */
static void unstamp(struct cp_cms_signer *s)
{
	int i;

	while ((i = CMS_unsigned_get_attr_by_NID(s->si, NID_id_smime_aa_timeStampToken, -1)) >= 0)
		X509_ATTRIBUTE_free(CMS_unsigned_delete_attr(s->si, i));
}

int cp_cms_sign(struct cp_cms_signer *s, const struct cp_cms_range *r, size_t nr,
		unsigned char **der, size_t *len)
{
	unsigned char digest[32];
	unsigned int dlen = 0;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;

	for (size_t i = 0; ok && i < nr; i++)
		ok = EVP_DigestUpdate(md, r[i].p, r[i].n) == 1;
	ok = ok && EVP_DigestFinal_ex(md, digest, &dlen) == 1 && dlen == sizeof(digest);
	EVP_MD_CTX_free(md);
	if (!ok) {
		*der = NULL;
		*len = 0;
		return cp_error("cannot make the CMS signature: %s", cp_ssl_why());
	}
	return cp_cms_sign_digest(s, digest, der, len);
}

/* Each signature but the first of a value's length is the DER kept of
 * that first one with the digest and the value put in (reshape): encoding
 * the SignedData and the attributes anew was a third of a signature's
 * cost, the ECDSA itself half. A time-stamped one is encoded whole: its
 * token differs each time. */
int cp_cms_sign_digest(struct cp_cms_signer *s, const unsigned char digest[32],
		       unsigned char **der, size_t *len)
{
	unsigned char sig[1024];
	size_t siglen = sizeof(sig);
	int rc = -1, n;

	*der = NULL;
	*len = 0;
	s->tsa_down = false;
	if (sign_attrs(s, digest, sig, &siglen) < 0)
		return -1;
	if (!s->tsa_url && (*der = reshape(s, digest, sig, siglen, len)))
		return 0;
	if (set_digest(s, digest) < 0 ||
	    ASN1_STRING_set(CMS_SignerInfo_get0_signature(s->si), sig, (int)siglen) != 1)
		goto out;
	if (s->tsa_url && stamp(s) < 0) {
		unstamp(s);
		return -1;
	}
	n = i2d_CMS_ContentInfo(s->cms, NULL);
	if (n <= 0 || (size_t)n > s->reserve)
		goto out;
	*der = cp_xmalloc((size_t)n);
	{
		unsigned char *p = *der;

		i2d_CMS_ContentInfo(s->cms, &p);
	}
	*len = (size_t)n;
	if (!s->tsa_url)
		keep_shape(s, digest, sig, siglen, *der, *len);
	rc = 0;
out:
	if (rc < 0)
		cp_error("cannot make the CMS signature: %s", cp_ssl_why());
	unstamp(s);
	return rc;
}

/* Is x the configured certificate, or one the configured chain issued? */
static bool is_ours(X509 *x, X509 *conf, STACK_OF(X509) *chain)
{
	X509_STORE *store;
	X509_STORE_CTX *ctx;
	bool ok = false;

	if (!X509_cmp(x, conf))
		return true;
	if (!chain)
		return false;
	store = X509_STORE_new();
	ctx = X509_STORE_CTX_new();
	for (int i = 0; i < sk_X509_num(chain); i++)
		X509_STORE_add_cert(store, sk_X509_value(chain, i));
	/* the configured chain is the anchor, whether or not it reaches a root;
	 * and the question is who signed, not whether the certificate is still
	 * current: a copy signed years ago by a certificate since expired is
	 * still ours (a time-stamp proves when) */
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
	X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
	if (ctx && X509_STORE_CTX_init(ctx, store, x, chain) == 1)
		ok = X509_verify_cert(ctx) == 1;
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
	return ok;
}

int cp_cms_check(const unsigned char *der, size_t len, const struct cp_cms_range *r, size_t nr,
		 const char *certificate, const char *chain, struct cp_cms_result *out)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms;
	STACK_OF(CMS_SignerInfo) *sis;
	STACK_OF(X509) *signers = NULL, *conf_chain = NULL;
	X509 *conf = read_cert(certificate), *signer;
	unsigned char *data = NULL;
	size_t total = 0;
	BIO *content;

	memset(out, 0, sizeof(*out));
	if (!conf)
		return -1;
	if (chain && !(conf_chain = read_certs(chain))) {
		X509_free(conf);
		return -1;
	}
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	sis = cms && OBJ_obj2nid(CMS_get0_type(cms)) == NID_pkcs7_signed ? CMS_get0_SignerInfos(cms)
									   : NULL;
	if (!sis || sk_CMS_SignerInfo_num(sis) != 1) {
		snprintf(out->why, sizeof(out->why), "not a CMS signature with one signer");
		goto out;
	}
	out->cms = true;
	out->timestamped = CMS_unsigned_get_attr_by_NID(sk_CMS_SignerInfo_value(sis, 0),
							NID_id_smime_aa_timeStampToken, -1) >= 0;
	for (size_t i = 0; i < nr; i++)
		total += r[i].n;
	data = cp_xmalloc(total ? total : 1);
	total = 0;
	for (size_t i = 0; i < nr; i++) {
		memcpy(data + total, r[i].p, r[i].n);
		total += r[i].n;
	}
	content = BIO_new_mem_buf(data, (int)total);
	/* the digest and the signature alone: who signed is asked below, of
	 * the configured certificate, not of the system's trust store */
	out->intact = CMS_verify(cms, NULL, NULL, content, NULL,
				 CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
	if (!out->intact)
		snprintf(out->why, sizeof(out->why), "%s", cp_ssl_why());
	BIO_free(content);
	signers = CMS_get0_signers(cms);
	signer = signers && sk_X509_num(signers) == 1 ? sk_X509_value(signers, 0) : NULL;
	if (signer) {
		X509_NAME_oneline(X509_get_subject_name(signer), out->signer, sizeof(out->signer));
		out->ours = is_ours(signer, conf, conf_chain);
	}
out:
	ERR_clear_error();
	sk_X509_free(signers);
	free(data);
	CMS_ContentInfo_free(cms);
	X509_free(conf);
	sk_X509_pop_free(conf_chain, X509_free);
	return 0;
}
