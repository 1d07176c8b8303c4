/* Centre exports: recorded by pack, confirmed by receipt, expired by sweep,
 * and the centres' zip passwords. */
#include "registry/internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

int cp_export_record(struct cp_registry *r, const char *batch, const char *centre,
		     const char *file, const char *created, const char *expires,
		     const char *status, const char *sha256, long long bytes)
{
	sqlite3_stmt *st = cp_reg_prepare(
		r, "INSERT INTO exports (batch_id, centre, file, created, expires, status,"
		   " sha256, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		   " ON CONFLICT (batch_id, centre) DO UPDATE SET file = ?3, created = ?4,"
		   " expires = ?5, status = ?6, sha256 = ?7, bytes = ?8, swept = NULL");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, centre, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, file, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, created, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, expires, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, status, -1, SQLITE_STATIC);
	if (sha256) {
		sqlite3_bind_text(st, 7, sha256, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 8, bytes);
	}
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc < 0)
		cp_reg_error(r, "recording the export");
	sqlite3_finalize(st);
	return rc;
}

char *cp_export_password(struct cp_registry *r, const char *centre)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT password FROM export_passwords"
					     " WHERE centre = ?1");
	char *pw = NULL;

	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, centre, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		pw = cp_reg_dup(st, 0);
	sqlite3_finalize(st);
	return pw;
}

int cp_export_password_set(struct cp_registry *r, const char *centre, const char *password,
			   const char *stamp)
{
	return cp_reg_run_text(r, "INSERT INTO export_passwords (centre, password, set_at)"
			       " VALUES (?1, ?2, ?3) ON CONFLICT (centre) DO UPDATE"
			       " SET password = ?2, set_at = ?3", "cannot set the password", 3,
			       centre, password, stamp);
}

static int each(struct cp_registry *r, const char *sql, const char *batch,
		int (*fn)(void *ctx, const struct cp_export_row *e), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r, sql);
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	if (batch)
		sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_export_row e = {
			.batch = cp_reg_col(st, 0), .centre = cp_reg_col(st, 1),
			.file = cp_reg_col(st, 2), .created = cp_reg_col(st, 3),
			.expires = cp_reg_col(st, 4), .status = cp_reg_col(st, 5),
			.receipt_at = cp_reg_col(st, 6), .receipt_by = cp_reg_col(st, 7),
		};

		out = fn(ctx, &e);
	}
	sqlite3_finalize(st);
	if (!out && rc != SQLITE_DONE)
		return cp_reg_error(r, "reading the exports");
	return out;
}

/* receipt_at, receipt_by: the latest confirmation (receipts.c) */
#define EXPORT_FIELDS                                                                 \
	"SELECT batch_id, centre, file, created, expires, status,"                      \
	" coalesce((SELECT recorded FROM receipts c WHERE c.batch_id = exports.batch_id"  \
	" AND c.centre = exports.centre ORDER BY c.id DESC LIMIT 1), ''),"               \
	" coalesce((SELECT confirmed_by FROM receipts c WHERE c.batch_id = exports.batch_id" \
	" AND c.centre = exports.centre ORDER BY c.id DESC LIMIT 1), '') FROM exports"

int cp_exports_of_batch(struct cp_registry *r, const char *batch,
			int (*fn)(void *ctx, const struct cp_export_row *e), void *ctx)
{
	return each(r, EXPORT_FIELDS " WHERE batch_id = ?1", batch, fn, ctx);
}

int cp_exports_each(struct cp_registry *r, int (*fn)(void *ctx, const struct cp_export_row *e),
		    void *ctx)
{
	return each(r, EXPORT_FIELDS " ORDER BY created, batch_id, centre", NULL, fn, ctx);
}

/* ?N: now */
#define SWEEPABLE(N) \
	"((status = 'finished' AND expires <= ?" #N ") OR (status = 'expired' AND swept IS NULL))"

int cp_exports_expiring(struct cp_registry *r, const char *now, struct cp_expiring **v,
			size_t *n)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT batch_id, centre, file FROM exports"
					     " WHERE " SWEEPABLE(1) " ORDER BY batch_id, centre");
	int rc;

	*v = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = cp_xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[*n].batch = cp_xstrdup(cp_reg_col(st, 0));
		(*v)[*n].centre = cp_xstrdup(cp_reg_col(st, 1));
		(*v)[(*n)++].file = cp_xstrdup(cp_reg_col(st, 2));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_reg_error(r, "reading the exports");
	return 0;
}

void cp_exports_expiring_free(struct cp_expiring *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].batch);
		free(v[i].centre);
		free(v[i].file);
	}
	free(v);
}

int cp_export_claim_expired(struct cp_registry *r, const struct cp_expiring *x,
			    const char *now)
{
	return cp_reg_run_text_alone(r, "UPDATE exports SET status = 'expired', swept = NULL"
				     " WHERE batch_id = ?1 AND centre = ?2 AND " SWEEPABLE(3),
				     "claiming an export to sweep", 3, x->batch, x->centre, now);
}

int cp_export_swept(struct cp_registry *r, const struct cp_expiring *x, const char *now)
{
	return cp_reg_run_text(r, "UPDATE exports SET swept = ?3 WHERE batch_id = ?1"
			       " AND centre = ?2 AND status = 'expired' AND swept IS NULL",
			       "recording an export swept", 3, x->batch, x->centre, now);
}
