/* Receipts per course run: confirmations appended, never changed; what is
 * outstanding derived from the documents each export carried. */
#include "registry/internal.h"

#include "util/banned.h"

/* The course runs an export carried: its batch's documents that a pack
 * published, by the awards' course run. */
#define EXPORT_RUNS                                                                   \
	"SELECT DISTINCT d.batch_id, a.centre, a.course_run FROM documents d"           \
	" JOIN awards a ON a.id = d.award_id"                                            \
	" WHERE d.batch_id IS NOT NULL AND d.published IS NOT NULL"

/* The confirmation, unless the same one is recorded already (a command
 * run again after it was killed past its commit): in one transaction. */
static int add_once(struct cp_registry *r, const char *batch, const char *centre,
		    const char *course_run, const char *received, const char *note,
		    const char *by, const char *stamp)
{
	sqlite3_stmt *st;
	int found;

	if (cp_registry_begin(r) < 0)
		return -1;
	st = cp_reg_prepare(r, "SELECT 1 FROM receipts WHERE batch_id = ?1 AND centre = ?2"
			       " AND course_run IS ?3 AND received = ?4 AND note IS ?5"
			       " AND confirmed_by = ?6");
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, centre, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, course_run, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, received, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, by, -1, SQLITE_STATIC);
	found = sqlite3_step(st);
	sqlite3_finalize(st);
	if (found != SQLITE_ROW && found != SQLITE_DONE) {
		cp_reg_error(r, "reading the receipts");
		goto fail;
	}
	if (found == SQLITE_DONE &&
	    cp_reg_run_text(r, "INSERT INTO receipts (batch_id, centre, course_run, received,"
			    " note, confirmed_by, recorded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			    "recording a receipt", 7, batch, centre, course_run, received, note, by,
			    stamp) < 0)
		goto fail;
	if (cp_registry_commit(r) < 0)
		goto fail;
	return found == SQLITE_ROW ? CP_RECEIPT_SAME : CP_RECEIPT_ADDED;
fail:
	cp_registry_rollback(r);
	return -1;
}

int cp_receipt_add(struct cp_registry *r, const char *batch, const char *centre,
		   const char *course_run, const char *received, const char *note, const char *by,
		   const char *stamp)
{
	long n = 0;

	if (cp_reg_scalar(r, "SELECT count(*) FROM exports WHERE batch_id = ?1 AND centre = ?2"
			     " AND status IN ('finished', 'expired')", batch, centre, &n) < 0)
		return -1;
	if (!n)
		return CP_RECEIPT_NO_EXPORT;
	if (course_run) {
		sqlite3_stmt *st = cp_reg_prepare(r, "SELECT count(*) FROM (" EXPORT_RUNS
			" AND d.batch_id = ?1 AND a.centre = ?2 AND a.course_run = ?3)");

		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, centre, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, course_run, -1, SQLITE_STATIC);
		n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
		sqlite3_finalize(st);
		if (n < 0)
			return cp_reg_error(r, "reading an export's course runs");
		if (!n)
			return CP_RECEIPT_NO_RUN;
	}
	return add_once(r, batch, centre, course_run, received, note, by, stamp);
}

int cp_receipt_runs_each(struct cp_registry *r,
			 int (*fn)(void *ctx, const struct cp_receipt_run *c), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT e.batch_id, e.centre, x.course_run, e.created, e.file,"
		" coalesce(c.received, ''), coalesce(c.confirmed_by, ''), coalesce(c.recorded, '')"
		" FROM exports e JOIN (" EXPORT_RUNS ") x"
		" ON x.batch_id = e.batch_id AND x.centre = e.centre"
		" LEFT JOIN receipts c ON c.id = (SELECT max(id) FROM receipts l"
		"  WHERE l.batch_id = e.batch_id AND l.centre = e.centre"
		"  AND (l.course_run = x.course_run OR l.course_run IS NULL))"
		" WHERE e.status IN ('finished', 'expired')"
		" ORDER BY e.created, e.batch_id, e.centre, x.course_run");
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_receipt_run c = {
			cp_reg_col(st, 0), cp_reg_col(st, 1), cp_reg_col(st, 2), cp_reg_col(st, 3),
			cp_reg_col(st, 4), cp_reg_col(st, 5), cp_reg_col(st, 6), cp_reg_col(st, 7),
		};

		out = fn(ctx, &c);
	}
	sqlite3_finalize(st);
	if (!out && rc != SQLITE_DONE)
		return cp_reg_error(r, "reading the receipts");
	return out;
}

int cp_receipts_of_batch(struct cp_registry *r, const char *batch,
			 int (*fn)(void *ctx, const struct cp_receipt_row *c), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT centre, coalesce(course_run, ''), received, coalesce(note, ''),"
		" confirmed_by, recorded FROM receipts WHERE batch_id = ?1 ORDER BY id");
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_receipt_row c = {
			cp_reg_col(st, 0), cp_reg_col(st, 1), cp_reg_col(st, 2),
			cp_reg_col(st, 3), cp_reg_col(st, 4), cp_reg_col(st, 5),
		};

		out = fn(ctx, &c);
	}
	sqlite3_finalize(st);
	if (!out && rc != SQLITE_DONE)
		return cp_reg_error(r, "reading the batch's receipts");
	return out;
}
