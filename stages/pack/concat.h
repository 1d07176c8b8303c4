/* Concatenating the print copies into one PDF without holding them: each
 * copy's objects are copied through with their object numbers moved, its
 * catalog, page tree root and info dropped and its pages hung on the new
 * page tree; only offsets stay in memory. It reads what libharu writes (one
 * classic xref table, a single-level page tree) and refuses anything else. */
#ifndef CP_PACK_CONCAT_H
#define CP_PACK_CONCAT_H

#include <stddef.h>

#include "util/atomic.h"

/* One PDF read whole and checked, ready to append. */
struct cp_concat_source {
	const char *path;
	char *d;
	size_t n;
	long size;           /* /Size: object numbers 0 .. size-1 */
	long long *off;      /* offset of each object, -1 if free */
	long long xref;      /* where the cross-reference table starts */
	long root, pages, info;
	long *kids, npages;  /* its pages in order (its object numbers) */
	long *map;           /* old number -> new number, 0 if dropped */
};

struct cp_concat {
	struct cp_atomic out;
	long long pos;      /* bytes written */
	long long *offset;  /* of each object written, by new number */
	size_t nobj, cap;
	long nsources;      /* documents appended: their subset tags */
	long *kids;         /* the new numbers of the pages */
	size_t nkids, kcap;
};

/* Start path (written atomically: it appears on cp_concat_finish). */
int cp_concat_open(struct cp_concat *c, const char *path);
/* Read and check the PDF at path (s->npages: its pages). 0 or -1; release
 * s either way. */
int cp_concat_read(struct cp_concat_source *s, const char *path);
/* Append every page of a source read. */
int cp_concat_append(struct cp_concat *c, struct cp_concat_source *s);
void cp_concat_source_release(struct cp_concat_source *s);
/* Write the page tree, catalog, info (title), xref and trailer; commit. */
int cp_concat_finish(struct cp_concat *c, const char *title);
void cp_concat_abort(struct cp_concat *c);

#endif
