/* Detached CMS signatures (CAdES, RFC 5652 with ESS signing-certificate-v2)
 * over byte ranges, made and checked with OpenSSL's CMS API: what a PAdES
 * signature of a PDF carries in its /Contents, and what certpress verify
 * --file checks. It knows nothing of PDF: a signer is handed ranges of
 * bytes. It lives here, under the engine and the command, because both use
 * it (the engine signs, the command checks) and it is not about layout.
 *
 * The signed attributes are contentType, messageDigest (SHA-256) and
 * signingCertificateV2, and no signingTime: PAdES baseline (ETSI EN 319
 * 142-1) forbids it (the time is the signature dictionary's /M), and
 * OpenSSL's CMS_final always adds one, so the signature over the attributes
 * is made here. With a time-stamp authority, its RFC 3161 token over the
 * signature value is added as the unsigned signatureTimeStampToken
 * attribute (PAdES B-T). The SignedData carries the signer's certificate
 * and the configured chain but for a self-signed root. */
#ifndef CP_CMSSIGN_H
#define CP_CMSSIGN_H

#include <stdbool.h>
#include <stddef.h>

struct cp_cms_range {
	const unsigned char *p;
	size_t n;
};

/* Where the signer's certificate, chain and key are. key is a PEM file,
 * refused unless only its owner may read it (secret.h), or a PKCS#11 URI
 * ("pkcs11:token=...;object=...") opened through the pkcs11 engine
 * (pkcs11.h) with the PIN in pin_file. chain, pin_file, pkcs11_module and
 * tsa_url may be NULL. */
struct cp_cms_conf {
	const char *certificate, *chain, *key, *pin_file, *pkcs11_module, *tsa_url;
};

struct cp_cms_signer;

/* Load the certificate, chain and key once (a process signs many
 * documents); the key must be ECDSA P-256 or RSA of 2048 bits or more and
 * match the certificate. One signature is made to measure what a signature
 * takes (with a time-stamp, when a TSA is named). NULL after a message
 * naming the file and the reason, *tsa_down set if the time-stamp
 * authority did not give its token (a service down, not a setting). */
struct cp_cms_signer *cp_cms_signer_open(const struct cp_cms_conf *c, bool *tsa_down);
/* Whether the last cp_cms_sign failed for want of a time-stamp. */
bool cp_cms_tsa_down(const struct cp_cms_signer *s);
/* At most how many bytes a signature's DER takes (cp_cms_sign). */
size_t cp_cms_reserve(const struct cp_cms_signer *s);
/* "ECDSA P-256", "RSA-3072": what the key is. */
const char *cp_cms_kind(const struct cp_cms_signer *s);
/* Sign the concatenation of the ranges: *der (caller frees) is a detached
 * CMS SignedData. 0, or -1 with a message. */
int cp_cms_sign(struct cp_cms_signer *s, const struct cp_cms_range *r, size_t nr,
		unsigned char **der, size_t *len);
/* The same, handed the ranges' SHA-256 (made as they were written). */
int cp_cms_sign_digest(struct cp_cms_signer *s, const unsigned char digest[32],
		       unsigned char **der, size_t *len);
void cp_cms_signer_free(struct cp_cms_signer *s);

/* What checking a signature found. */
struct cp_cms_result {
	bool cms;        /* der is a CMS SignedData with one signer */
	bool intact;     /* the ranges' digest and the signature over it hold */
	bool ours;       /* signed by the configured certificate, or one the
			  * configured chain issued */
	bool timestamped; /* it carries a time-stamp token */
	char signer[256]; /* the signer certificate's subject, one line */
	char why[256];    /* what failed, when something did */
};
/* Check der over the ranges against the certificate (PEM file) and chain
 * (PEM file or NULL). 0 (the answer in *out, also when it says no), or -1
 * with a message if the configured certificate cannot be read. */
int cp_cms_check(const unsigned char *der, size_t len, const struct cp_cms_range *r, size_t nr,
		 const char *certificate, const char *chain, struct cp_cms_result *out);

#endif
