/* Concatenating the print copies into one PDF without holding them: each
 * copy's objects are copied through with their object numbers moved, its
 * catalog, page tree root and info dropped and its pages hung on the new
 * page tree; only offsets stay in memory. It reads what libharu writes (one
 * classic xref table, a single-level page tree) and refuses anything else. */
#ifndef CP_PACK_CONCAT_H
#define CP_PACK_CONCAT_H

#include <stddef.h>

#include "../../pipeline/atomic.h"

struct cp_concat {
	struct cp_atomic out;
	long long pos;      /* bytes written */
	long long *offset;  /* of each object written, by new number */
	size_t nobj, cap;
	long *kids;         /* the new numbers of the pages */
	size_t nkids, kcap;
};

/* Start path (written atomically: it appears on cp_concat_finish). */
int cp_concat_open(struct cp_concat *c, const char *path);
/* Append every page of the PDF at src; *pages gets their number. */
int cp_concat_add(struct cp_concat *c, const char *src, long *pages);
/* Write the page tree, catalog, info (title), xref and trailer; commit. */
int cp_concat_finish(struct cp_concat *c, const char *title);
void cp_concat_abort(struct cp_concat *c);

#endif
