/* The pages and the JSON of the verification service, from a snapshot's
 * records: the form, a document's card with its status banner, Not found.
 * The templates are the constants in page.c; every value goes through
 * vd_buf_html (buf.h). The page's one script (the in-browser file check)
 * and its style sheet are allowed by their hashes in the
 * Content-Security-Policy (vd_page_csp), nothing else. */
#ifndef VD_PAGE_H
#define VD_PAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "snapshot.h"

#define VD_REF_LEN 16

/* What a page needs besides its document. */
struct vd_site {
	const struct cp_snap *snap;
	time_t now;
	uint32_t today;     /* now's date, YYYYMMDD (UTC): expiry is derived from it */
	bool stale;         /* the snapshot is older than [verify] max-age */
	const char *prefix; /* the path part of verify-url: "/v/" */
};

enum vd_state { VD_VALID, VD_EXPIRED, VD_REPLACED, VD_CANCELLED, VD_NOT_FOUND };

/* A document's status now (expiry derived from site->today). */
enum vd_state vd_state_of(const struct vd_site *site, const struct cp_snap_doc *d);
/* Its reference, NNNNNNNN-II-CCCC (out of VD_REF_LEN + 1). */
void vd_ref_of(const struct cp_snap_doc *d, char *out);

/* Compute the policy once, before any page is served. */
void vd_page_init(void);
/* The Content-Security-Policy header's value. */
const char *vd_page_csp(void);

void vd_page_form(struct vd_buf *b, const struct vd_site *site, bool not_a_reference);
void vd_page_document(struct vd_buf *b, const struct vd_site *site, const struct cp_snap_doc *d);
/* ref: the canonical reference asked for, or NULL for a path that is none.
 * An unknown reference and one whose check characters are wrong get the
 * same page: the same bytes but for the reference's 16 characters. */
void vd_page_not_found(struct vd_buf *b, const struct vd_site *site, const char *ref);
/* No snapshot has been loaded: 503. */
void vd_page_unavailable(struct vd_buf *b);
/* The same facts for machines; d NULL: not found. */
void vd_json_document(struct vd_buf *b, const struct vd_site *site, const char *ref,
		      const struct cp_snap_doc *d);

#endif
