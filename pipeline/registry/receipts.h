/* Centres' receipts (table receipts): each confirmation a centre gives, for
 * one course run of a batch's export or for all of them, kept as given
 * (who, when recorded, the date received, a note), never overwritten; and
 * the course runs whose receipt is outstanding. Include "registry.h". */
#ifndef CP_REGISTRY_RECEIPTS_H
#define CP_REGISTRY_RECEIPTS_H

struct cp_registry;

/* What cp_receipt_add found. */
enum {
	CP_RECEIPT_ADDED = 1,
	CP_RECEIPT_NO_EXPORT = 0, /* the centre has no export of the batch that went out */
	CP_RECEIPT_NO_RUN = 2,    /* the export holds no document of that course run */
	CP_RECEIPT_SAME = 3,      /* this very confirmation (course run, date, note, by)
				   * is recorded already: a second try, nothing added */
};
/* Record a confirmation of the centre's export of the batch: for the
 * course run (NULL: every course run of it), received on the date
 * (YYYY-MM-DD), with note (may be NULL), by, recorded at stamp. One of the
 * values above, or -1. */
int cp_receipt_add(struct cp_registry *r, const char *batch, const char *centre,
		   const char *course_run, const char *received, const char *note, const char *by,
		   const char *stamp);

/* A course run of an export that went out (finished or since expired),
 * with its latest confirmation: received, by and recorded "" where there is
 * none. Strings live until the callback returns. */
struct cp_receipt_run {
	const char *batch, *centre, *course_run, *sent, *file, *received, *by, *recorded;
};
/* Every one, by the export's creation, batch, centre and course run. 0,
 * -1, or what fn returned (not 0). */
int cp_receipt_runs_each(struct cp_registry *r,
			 int (*fn)(void *ctx, const struct cp_receipt_run *c), void *ctx);

/* A confirmation as recorded. course_run and note are "" for none. */
struct cp_receipt_row {
	const char *centre, *course_run, *received, *note, *by, *recorded;
};
/* Every confirmation of the batch, oldest first. 0, -1 or fn's. */
int cp_receipts_of_batch(struct cp_registry *r, const char *batch,
			 int (*fn)(void *ctx, const struct cp_receipt_row *c), void *ctx);

#endif
