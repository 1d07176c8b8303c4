/* The document types, in one table: what each is called in the registry
 * and the batch files, the <award> attribute naming its template, its
 * folder in a centre's zip, its title as people read it, its place in
 * print order (its index here), the paper it is printed on and its column
 * in the certification report. Every stage and the operator command ask
 * this table; SQL sorts by it through doctype_rank() (registry.c). */
#ifndef CP_DOCTYPE_H
#define CP_DOCTYPE_H

#include <stdbool.h>

#include "engine/bind.h"

/* The paper stocks of the print file's job ticket. */
enum cp_stock { CP_STOCK_CERTIFICATE, CP_STOCK_PLAIN, CP_NSTOCKS };
struct cp_stock_info {
	const char *name;  /* "certificate", "plain" */
	const char *paper; /* "security", "plain" */
};
extern const struct cp_stock_info cp_stocks[CP_NSTOCKS];

struct cp_doctype {
	const char *name;          /* "certificate": documents.type, <document type> */
	const char *template_attr; /* the <award> attribute naming its template */
	bool every_award;          /* issued for every award; else only for an award
				    * naming its template */
	const char *folder;        /* in a centre's zip: "certificates" */
	const char *title;         /* PDF titles, emails: "Certificate" */
	enum cp_stock stock;
	enum cp_binding report_column; /* the certification report's row binding */
};

#define CP_NDOCTYPES 4
/* In print order: a learner's certificate, then transcript, then letter;
 * then the proof of qualification letter (certpress order letter), one for
 * every award of a learner, made only when ordered: its template attribute
 * is none the catalogue has, so the stages never issue one. */
extern const struct cp_doctype cp_doctypes[CP_NDOCTYPES];

/* The type called name, or NULL (a name from outside: a batch file). */
const struct cp_doctype *cp_doctype_find(const char *name);
/* The same for a name the registry holds, whose schema allows only the
 * types here: an unknown one is a bug (exit 70). */
const struct cp_doctype *cp_doctype_of(const char *name);
/* Its place in print order; CP_NDOCTYPES for an unknown name (or NULL). */
int cp_doctype_rank(const char *name);

#endif
