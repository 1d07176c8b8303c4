/* Centre exports: recorded by pack, confirmed by receipt, expired by sweep,
 * and the centres' zip passwords. */
#include "registry/internal.h"

#include <sodium.h>
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
		   " expires = ?5, status = ?6, sha256 = ?7, bytes = ?8, swept = NULL, swept_by = NULL");
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

int cp_export_password_sealed(struct cp_registry *r, const char *centre, unsigned char *buf,
			      size_t n, size_t *len)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT sealed FROM zip_passwords WHERE centre = ?1");
	int rc, found = 0;

	*len = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, centre, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t got = (size_t)sqlite3_column_bytes(st, 0);

		found = 1;
		if (got > n || sqlite3_column_type(st, 0) != SQLITE_BLOB) {
			cp_error("%s: centre %s: its sealed zip password is not one (%zu bytes)",
				 r->path, centre, got);
			found = -1;
		} else {
			memcpy(buf, sqlite3_column_blob(st, 0), got);
			*len = got;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "reading the zip password");
	return found;
}

/* Write a sealed password and wipe the centre's clear one, if an older
 * certpress left one: secure_delete (set at open) zeroes the deleted
 * bytes in the file. */
static int put_sealed(struct cp_registry *r, const char *centre, const unsigned char *sealed,
		      size_t len, const char *stamp, const char *by)
{
	sqlite3_stmt *st = cp_reg_prepare(
		r, "INSERT INTO zip_passwords (centre, sealed, set_at, set_by) VALUES (?1, ?2, ?3, ?4)"
		   " ON CONFLICT (centre) DO UPDATE SET sealed = ?2, set_at = ?3, set_by = ?4");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, centre, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, sealed, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, stamp, -1, SQLITE_STATIC);
	cp_reg_bind_opt(st, 4, by);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot set the zip password");
	return cp_reg_run_text(r, "DELETE FROM export_passwords WHERE centre = ?1",
			       "cannot wipe the clear zip password", 1, centre);
}

int cp_export_password_set(struct cp_registry *r, const char *centre, const unsigned char *sealed,
			   size_t len, const char *stamp, const char *by)
{
	if (cp_registry_begin(r) < 0)
		return -1;
	if (put_sealed(r, centre, sealed, len, stamp, by) < 0 || cp_registry_commit(r) < 0) {
		cp_registry_rollback(r);
		return -1;
	}
	return 0;
}

int cp_export_passwords_each(struct cp_registry *r,
			     int (*fn)(void *ctx, const struct cp_zip_password_row *p), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(
		r, "SELECT centre, set_at, coalesce(set_by, ''), 1 FROM zip_passwords"
		   " UNION ALL SELECT centre, set_at, '', 0 FROM export_passwords ORDER BY 1");
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_zip_password_row p = {
			.centre = cp_reg_col(st, 0), .set_at = cp_reg_col(st, 1),
			.set_by = cp_reg_col(st, 2), .sealed = sqlite3_column_int(st, 3) != 0,
		};

		out = fn(ctx, &p);
	}
	sqlite3_finalize(st);
	if (!out && rc != SQLITE_DONE)
		return cp_reg_error(r, "reading the zip passwords");
	return out;
}

int cp_export_passwords_clear(struct cp_registry *r, long *n)
{
	return cp_reg_scalar(r, "SELECT count(*) FROM export_passwords", NULL, NULL, n);
}

struct clear_row {
	char *centre, *password, *set_at;
};

static void clear_rows_free(struct clear_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].centre);
		sodium_memzero(v[i].password, strlen(v[i].password));
		free(v[i].password);
		free(v[i].set_at);
	}
	free(v);
}

/* Read them all before writing (a write while a read is open fails). */
static int clear_rows(struct cp_registry *r, struct clear_row **v, size_t *n)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT centre, password, set_at FROM export_passwords"
					     " ORDER BY centre");
	int rc;

	*v = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = cp_xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[*n].centre = cp_xstrdup(cp_reg_col(st, 0));
		(*v)[*n].password = cp_xstrdup(cp_reg_col(st, 1));
		(*v)[(*n)++].set_at = cp_xstrdup(cp_reg_col(st, 2));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_reg_error(r, "reading the clear zip passwords");
	return 0;
}

int cp_export_passwords_seal_clear(struct cp_registry *r,
				   int (*seal)(void *ctx, const char *centre, const char *clear,
					       unsigned char *out, size_t n, size_t *len),
				   void *ctx, long *sealed)
{
	unsigned char buf[CP_ZIP_SEALED_MAX];
	struct clear_row *v = NULL;
	size_t n = 0, len;
	int rc = -1;

	*sealed = 0;
	if (cp_registry_begin(r) < 0)
		return -1;
	if (clear_rows(r, &v, &n) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (seal(ctx, v[i].centre, v[i].password, buf, sizeof(buf), &len) < 0 ||
		    put_sealed(r, v[i].centre, buf, len, v[i].set_at, NULL) < 0)
			goto out;
	if (cp_registry_commit(r) < 0)
		goto out;
	*sealed = (long)n;
	rc = 0;
	/* the clear values' last copies are the WAL's older frames: write the
	 * pages back and empty it (a reader may hold it: then its next
	 * checkpoint does) */
	sqlite3_wal_checkpoint_v2(r->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
out:
	if (rc < 0)
		cp_registry_rollback(r);
	clear_rows_free(v, n);
	sodium_memzero(buf, sizeof(buf));
	return rc;
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
			    const char *now, const char *by)
{
	return cp_reg_run_text_alone(r, "UPDATE exports SET status = 'expired', swept = NULL,"
				     " swept_by = ?4"
				     " WHERE batch_id = ?1 AND centre = ?2 AND " SWEEPABLE(3),
				     "claiming an export to sweep", 4, x->batch, x->centre, now, by);
}

int cp_export_swept(struct cp_registry *r, const struct cp_expiring *x, const char *now)
{
	return cp_reg_run_text(r, "UPDATE exports SET swept = ?3 WHERE batch_id = ?1"
			       " AND centre = ?2 AND status = 'expired' AND swept IS NULL",
			       "recording an export swept", 3, x->batch, x->centre, now);
}
