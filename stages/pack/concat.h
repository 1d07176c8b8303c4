/* Concatenating the print copies into one PDF without holding them: each
 * copy's objects are copied through with their object numbers moved, its
 * catalog, page tree root and info dropped and its pages hung on the new
 * page tree; only offsets stay in memory. It reads what libharu writes (one
 * classic xref table, a single-level page tree) and refuses anything else. */
#ifndef CP_PACK_CONCAT_H
#define CP_PACK_CONCAT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util/atomic.h"
#include "util/digest.h"

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
	char created[15];    /* its CreationDate's YYYYMMDDHHmmSS, "" if none */
};

struct cp_concat {
	struct cp_atomic out;
	long long pos;      /* bytes written */
	long long *offset;  /* of each object written, by new number */
	size_t nobj, cap;
	long nsources;      /* documents appended: their subset tags */
	long *kids;         /* the new numbers of the pages */
	size_t nkids, kcap;
	struct cp_sha256 sha; /* of every byte written: the file identifier */
	char newest[15];      /* the newest date of the documents appended */
};

/* What the print file says of itself, as PDF/X-1a:2003 asks: its title,
 * its date (the newest of the documents it holds, so that packing the same
 * copies again gives the same bytes; created if none has one), and the
 * print condition of its output intent ([print]
 * output-condition, a name of the ICC's registry such as FOGRA39). */
struct cp_concat_info {
	const char *title, *output_condition;
	time_t created;
};

/* Start path (written atomically: it appears on cp_concat_finish). */
int cp_concat_open(struct cp_concat *c, const char *path);
/* Read and check the PDF at path (s->npages: its pages). 0 or -1; release
 * s either way. */
int cp_concat_read(struct cp_concat_source *s, const char *path);
/* Append every page of a source read; dated: its date counts for the
 * print file's (a document's, not a report made again by every pack). */
int cp_concat_append(struct cp_concat *c, struct cp_concat_source *s, bool dated);
void cp_concat_source_release(struct cp_concat_source *s);
/* Write the page tree, catalog (with the output intent), info (title,
 * dates, GTS_PDFXVersion, Trapped), xref and trailer (with /ID); commit. */
int cp_concat_finish(struct cp_concat *c, const struct cp_concat_info *info);
void cp_concat_abort(struct cp_concat *c);

#endif
