/* Approvals and holds as they were decided, appended, never changed. */
#include "registry/internal.h"

#include "util/banned.h"

int cp_approval_record(struct cp_registry *r, const char *batch, const char *action,
		       const char *by, const char *stamp, const char *reason)
{
	return cp_reg_run_text(r, "INSERT INTO approvals (batch_id, action, decided_by, decided_at,"
			       " reason) VALUES (?1, ?2, ?3, ?4, ?5)", "recording an approval", 5,
			       batch, action, by, stamp, reason);
}

int cp_approvals_each(struct cp_registry *r, const char *batch,
		      int (*fn)(void *ctx, const struct cp_approval_row *a), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT action, decided_by, decided_at, coalesce(reason, '') FROM approvals"
		" WHERE batch_id = ?1 ORDER BY id");
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_approval_row a = { cp_reg_col(st, 0), cp_reg_col(st, 1), cp_reg_col(st, 2),
					     cp_reg_col(st, 3) };

		out = fn(ctx, &a);
	}
	sqlite3_finalize(st);
	if (!out && rc != SQLITE_DONE)
		return cp_reg_error(r, "reading the batch's approvals");
	return out;
}
