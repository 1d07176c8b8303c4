/* The routes of certpress-verifyd, as libmicrohttpd's access handler:
 *   GET /                     the form ("Check a document"); /?ref=R 303 to R's page
 *   GET PREFIX REF            the document's page (PREFIX: verify-url's path);
 *                             Accept: application/json gives the JSON
 *   GET PREFIX REF.json       the JSON
 *   GET /healthz              200 with a fresh snapshot, else 503
 *   GET /publish.pub          the public key snapshots are checked with
 * Only GET and HEAD (405 otherwise); every request costs a token of its
 * address's bucket (429 with Retry-After when none is left); no path is
 * ever mapped to a file. A look-alike reference (lower case, O for 0, I or
 * L for 1, hyphens missing) is redirected (301) to its canonical address;
 * one whose check characters are wrong gets the Not found page without a
 * lookup. Each request is one line of the access log (references only). */
#ifndef VD_HTTP_H
#define VD_HTTP_H

#include <microhttpd.h>
#include <stdbool.h>

#include "ref.h"

struct vd_http_conf {
	const struct cp_ref_key *key; /* the reference key: check characters */
	const char *pem;              /* /publish.pub */
	long max_age;                 /* seconds */
	bool access_log;
};

void vd_http_init(const struct vd_http_conf *conf);
enum MHD_Result vd_http_handle(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls);

#endif
