/* One document drawn from a learner's record (an assigned.xml <learner>):
 * the record's template values, and a copy laid out and saved to memory.
 * The render stage and certpress reprint share these. */
#ifndef CP_DOCRENDER_H
#define CP_DOCRENDER_H

#include <libxml/tree.h>
#include <stddef.h>

#include "engine/bind.h"
#include "conf.h"
#include "engine/layout.h"
#include "engine/pdf.h"

struct cp_record {
	struct cp_values v;
	struct cp_unit_values *units;
	char *full;
	char credits[16], count[16], url[512];
};

/* Fill r from a learner node; the strings stay the node's (keep it alive). */
void cp_record_values(struct cp_record *r, xmlNodePtr learner, const struct cp_conf *conf,
		      const char *centre_name, const char *centre_number, const char *run_id);
/* The values of one of its documents: reference, type, issue and expiry
 * dates, and the verification URL. */
void cp_record_document(struct cp_record *r, const struct cp_conf *conf, const char *ref,
			const char *type, const char *issued, const char *expires);
void cp_record_release(struct cp_record *r);

/* The template a document type uses, from the <award> attributes; NULL for
 * a type that is not one of doctype.h's, or one the award has none of. */
const char *cp_doc_template(xmlNodePtr award, const char *type);

/* Lay out one copy (digital or print) with pdf (cp_pdf_new) and save it to
 * memory (caller frees *buf). Returns 0 or -1 with a message. */
int cp_doc_pdf(struct cp_pdf *pdf, const struct cp_layout *l, struct cp_values *v,
	       const struct cp_conf *conf, int digital, unsigned char **buf, size_t *len, int *pages);

#endif
