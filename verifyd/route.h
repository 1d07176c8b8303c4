/* The routes of certpress-verifyd, apart from the network: a request as
 * its method, path, Accept header and ?ref= argument, answered from a
 * snapshot with a status, a body and the access log's words. http.c is
 * the libmicrohttpd glue around it; the fuzzing harness and the unit
 * tests call it directly.
 *   GET /                     the form ("Check a document"); /?ref=R 303 to R's page
 *   GET PREFIX REF            the document's page (PREFIX: verify-url's path);
 *                             Accept: application/json gives the JSON
 *   GET PREFIX REF.json       the JSON
 *   GET /healthz              200 with a fresh snapshot, else 503
 *   GET /publish.pub          the public key snapshots are checked with
 * Only GET and HEAD (405 otherwise); no path is ever mapped to a file. A
 * look-alike reference (lower case, O for 0, I or L for 1, hyphens
 * missing) is redirected (301) to its canonical address; one whose check
 * characters are wrong gets the Not found page without a lookup. */
#ifndef VD_ROUTE_H
#define VD_ROUTE_H

#include <stdbool.h>
#include <time.h>

#include "buf.h"
#include "ref.h"
#include "snapshot.h"

struct vd_http_conf {
	const char *pem;              /* /publish.pub */
	long max_age;                 /* seconds */
	bool access_log;
};

struct vd_request {
	const char *method;
	const char *url;     /* the path, percent-decoded, without the query */
	const char *accept;  /* the Accept header, or NULL */
	const char *ref_arg; /* the query's ref argument, or NULL */
};

#define VD_ROUTE_MAX 300
#define VD_LOCATION_MAX (CP_REF_LEN + 300)

struct vd_response {
	unsigned code;
	const char *type;                /* Content-Type: a constant */
	struct vd_buf body;
	char location[VD_LOCATION_MAX];  /* "" for none */
	/* the access log's words: the method if it is GET or HEAD, the route
	 * and the canonical reference; never what else a visitor typed */
	const char *method;
	char route[VD_ROUTE_MAX];
};

/* Percent-decode s in place (a path or a query's argument), as
 * libmicrohttpd would, except that a control character (%00-%1F, %7F)
 * stays encoded: a decoded NUL would end the path early (/v/REF%00.json
 * would be REF's page), so no route ever sees one. Its new length. */
size_t vd_unescape(char *s);

/* Answer q from snap (NULL: none loaded yet) at now; out's body is the
 * caller's to release (vd_buf_release or vd_buf_take). */
void vd_route(const struct vd_http_conf *conf, const struct cp_snap *snap, time_t now,
	      const struct vd_request *q, struct vd_response *out);

#endif
