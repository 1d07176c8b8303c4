/* The order copies' own print files (see orderprints.h): which copies one
 * claims, and the row that lets a killed one be finished under its id. */
#include "registry/internal.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

/* The orders of a print file's kind. */
static const char *order_kind(const char *kind)
{
	return !strcmp(kind, "letters") ? "letter" : "reprint";
}

/* An unfinished one of kind: 1 and id, 0 none. */
static int unfinished(struct cp_registry *r, const char *kind, char *id)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT id FROM order_prints WHERE kind = ?1"
					     " AND done IS NULL ORDER BY started, id LIMIT 1");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		cp_reg_copy(id, CP_ORDER_PRINT_ID_MAX, st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot read the order print files");
	return rc == SQLITE_ROW;
}

static int fresh(struct cp_registry *r, const char *kind, const char *by, const char *stamp,
		 const char *today, char *id)
{
	char like[CP_ORDER_PRINT_ID_MAX];
	long made;

	snprintf(like, sizeof(like), "%s-%.8s-%%", kind, today);
	if (cp_reg_scalar(r, "SELECT count(*) FROM order_prints WHERE id LIKE ?1", like, NULL,
			  &made) < 0)
		return -1;
	snprintf(id, CP_ORDER_PRINT_ID_MAX, "%s-%.8s-%ld", kind, today, made + 1);
	return cp_reg_run_text(r, "INSERT INTO order_prints (id, kind, started_by, started)"
			       " VALUES (?1, ?2, ?3, ?4)", "cannot record an order print file", 4,
			       id, kind, by, stamp);
}

int cp_order_print_claim(struct cp_registry *r, const char *kind, const char *by,
			 const char *stamp, const char *today, char id[CP_ORDER_PRINT_ID_MAX],
			 long *n, int *resumed)
{
	const char *ok = order_kind(kind);
	int got = unfinished(r, kind, id);

	*n = 0;
	if (got < 0 || (!got && fresh(r, kind, by, stamp, today, id) < 0))
		return -1;
	*resumed = got;
	/* the copies ordered (a replacement, or a later letter, is a reprints
	 * row too: its order's kind says which print file it goes in), and
	 * the spoiled ones coming back; a re-run keeps those it took */
	if (cp_reg_run_text(r, "UPDATE reprints SET print_batch_id = ?1 WHERE print_batch_id IS NULL"
			    " AND replacement IN (SELECT reference FROM orders WHERE kind = ?2)",
			    "claiming ordered copies", 2, id, ok) < 0 ||
	    cp_reg_run_text(r, "UPDATE orders SET print_batch_id = ?1 WHERE print_batch_id IS NULL"
			    " AND kind = ?2", "claiming ordered copies", 2, id, ok) < 0 ||
	    cp_reg_run_text(r, "UPDATE print_documents SET again_in = ?1 WHERE outcome = 'spoiled'"
			    " AND again_in IS NULL AND print_batch_id <> ?1 AND reference IN"
			    " (SELECT reference FROM orders WHERE kind = ?2)",
			    "claiming spoiled copies", 2, id, ok) < 0)
		return -1;
	return cp_reg_scalar(r, "SELECT (SELECT count(*) FROM orders WHERE print_batch_id = ?1"
			     " AND state = 'to-be-generated') + (SELECT count(*) FROM print_documents"
			     " WHERE again_in = ?1)", id, NULL, n);
}

int cp_order_print_done(struct cp_registry *r, const char *id, const char *stamp)
{
	return cp_reg_run_text(r, "UPDATE order_prints SET done = ?2 WHERE id = ?1",
			       "cannot record an order print file done", 2, id, stamp);
}
