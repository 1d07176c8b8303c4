/* One document drawn from a learner's record (an assigned.xml <learner>):
 * the record's template values, and a copy laid out and saved to memory.
 * The render stage and certpress reprint share these: a replacement is laid
 * out as its original was. */
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

/* Where a learner of an assigned.xml stands as the file is read: the centre
 * of the file's header and the course run the learner is in. A batchfile
 * handler feeds it from its on_header and on_run_start callbacks. */
struct cp_record_place {
	char *centre_name, *centre_number, *run_id;
};
/* A header element: the <centre> one is taken. */
void cp_record_place_header(struct cp_record_place *p, xmlNodePtr node);
/* A <run> starting. */
void cp_record_place_run(struct cp_record_place *p, xmlNodePtr run);
void cp_record_place_release(struct cp_record_place *p);

/* Fill r from a learner node at its place (both kept alive: the strings
 * stay theirs). */
void cp_record_values(struct cp_record *r, xmlNodePtr learner, const struct cp_conf *conf,
		      const struct cp_record_place *place);
/* The values of one of its documents: reference, type, issue and expiry
 * dates, and the verification URL. */
void cp_record_document(struct cp_record *r, const struct cp_conf *conf, const char *ref,
			const char *type, const char *issued, const char *expires);
/* After cp_record_document: the document is a replacement of original
 * (kept alive by the caller): {document.replaces} is set and
 * {document.first_issue} is not. */
void cp_record_replaces(struct cp_record *r, const char *original);
void cp_record_release(struct cp_record *r);

/* The template a document type uses, from the <award> attributes; NULL for
 * a type that is not one of doctype.h's, or one the award has none of. */
const char *cp_doc_template(xmlNodePtr award, const char *type);

/* DIR/digital/REF.pdf or DIR/print/REF.pdf: where a copy is kept in a
 * folder of copies (a batch's, the spool's reprints). Caller frees. */
char *cp_doc_copy_path(const char *dir, int digital, const char *ref);

/* What a process makes digital copies with, loaded once (a render worker,
 * after fork; reprint): under [render] protection = sign or none the sRGB
 * profile of PDF/A ([render] icc-profile), and under sign the signer, its
 * certificate and key ([sign]). The print copy is never signed (printers
 * impose and rewrite files) nor encrypted. */
struct cp_doc_output {
	const struct cp_conf *conf;
	char *icc;
	size_t icc_len;
	struct cp_cms_signer *signer;
};
/* Load them and hand the profile to pdf. 0, or a sysexits code after a
 * message (78: a configuration error, such as a key others may read; 69:
 * the time-stamp authority gave no token). */
int cp_doc_output_open(struct cp_doc_output *o, const struct cp_conf *conf, struct cp_pdf *pdf);
/* Whether the last copy failed because the time-stamp authority gave no
 * token: a service down (69), which a retry may cure. */
bool cp_doc_output_unavailable(const struct cp_doc_output *o);
void cp_doc_output_close(struct cp_doc_output *o);

/* Lay out one copy (digital or print) with pdf (cp_pdf_new) and save it to
 * memory (caller frees *buf): the digital copy as o's protection says, and
 * signed last, so *buf is the file as it is kept and its digest the one to
 * record, put in sha (65 bytes: hex) unless it is NULL (made as the file
 * was). Returns 0 or -1 with a message. */
int cp_doc_pdf(struct cp_pdf *pdf, const struct cp_layout *l, struct cp_values *v,
	       const struct cp_doc_output *o, int digital, unsigned char **buf, size_t *len,
	       int *pages, char *sha);

#endif
