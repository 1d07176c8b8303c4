/* Exports on demand (downloads) and the downloads list of them and the
 * nightly zips (exports). */
#include "registry/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

int cp_download_find(struct cp_registry *r, const char *centre, const char *file,
		     struct cp_download *d)
{
	sqlite3_stmt *st = cp_reg_prepare(
		r, "SELECT centre, file, description, selection, chosen, created_by, created,"
		   " expires, status FROM downloads WHERE centre = ?1 AND file = ?2");
	int rc;

	memset(d, 0, sizeof(*d));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, centre, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, file, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		char **f[] = { &d->centre, &d->file, &d->description, &d->selection, &d->chosen,
			       &d->created_by, &d->created, &d->expires, &d->status };

		for (int i = 0; i < 9; i++)
			*f[i] = cp_reg_dup(st, i);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot look up a download");
	return rc == SQLITE_ROW;
}

void cp_download_release(struct cp_download *d)
{
	char *f[] = { d->centre, d->file, d->description, d->selection, d->chosen,
		      d->created_by, d->created, d->expires, d->status };

	for (int i = 0; i < 9; i++)
		free(f[i]);
	memset(d, 0, sizeof(*d));
}

int cp_download_begin(struct cp_registry *r, const struct cp_download *d)
{
	return cp_reg_run_text_alone(r, "INSERT INTO downloads (centre, file, description, selection,"
				   " chosen, created_by, created, status) VALUES (?1, ?2, ?3, ?4, ?5,"
				   " ?6, ?7, 'pending') ON CONFLICT (centre, file) DO UPDATE SET"
				   " description = ?3, selection = ?4, chosen = ?5, created_by = ?6,"
				   " created = ?7, status = 'pending', expires = NULL, sha256 = NULL,"
				   " bytes = NULL, documents = NULL, left_out = NULL, swept = NULL,"
				   " swept_by = NULL"
				   " WHERE status IN ('expired', 'failed')",
				   "cannot record a download", 7, d->centre, d->file, d->description,
				   d->selection, d->chosen, d->created_by, d->created);
}

int cp_download_finish(struct cp_registry *r, const char *centre, const char *file,
		       const char *expires, const char *sha256, long long bytes, long documents,
		       long left_out)
{
	char b[24], n[24], l[24];

	snprintf(b, sizeof(b), "%lld", bytes);
	snprintf(n, sizeof(n), "%ld", documents);
	snprintf(l, sizeof(l), "%ld", left_out);
	return cp_reg_run_text_alone(r, "UPDATE downloads SET status = 'finished', expires = ?3,"
				   " sha256 = ?4, bytes = CAST(?5 AS INTEGER),"
				   " documents = CAST(?6 AS INTEGER), left_out = CAST(?7 AS INTEGER)"
				   " WHERE centre = ?1 AND file = ?2 AND status = 'pending'",
				   "cannot record a download finished", 7, centre, file, expires,
				   sha256, b, n, l) < 0 ? -1 : 0;
}

int cp_download_fail(struct cp_registry *r, const char *centre, const char *file)
{
	return cp_reg_run_text(r, "UPDATE downloads SET status = 'failed' WHERE centre = ?1"
			       " AND file = ?2 AND status = 'pending'",
			       "cannot record a download failed", 2, centre, file);
}

/* The nightly zips, then the exports on demand, as one list. */
static const char list_sql[] =
	"SELECT * FROM ("
	" SELECT e.centre, e.file, 'nightly zip of batch ' || e.batch_id, 'batch', e.status,"
	" e.created, CASE WHEN e.status = 'pending' THEN '' ELSE e.expires END,"
	" coalesce((SELECT started_by FROM batch_users u WHERE u.batch_id = e.batch_id), ''),"
	" e.batch_id, coalesce(e.bytes, -1), coalesce(e.swept_by, '') FROM exports e"
	" UNION ALL"
	" SELECT d.centre, d.file, coalesce(d.description, ''),"
	" CASE d.selection WHEN 'batch' THEN 'batch' ELSE 'selection' END, d.status,"
	" d.created, coalesce(d.expires, ''), d.created_by,"
	" CASE d.selection WHEN 'batch' THEN d.chosen ELSE '' END, coalesce(d.bytes, -1),"
	" coalesce(d.swept_by, '') FROM downloads d)"
	" WHERE ?1 IS NULL OR centre = ?1 ORDER BY 6, 2";

int cp_downloads_each(struct cp_registry *r, const char *centre,
		      int (*fn)(void *ctx, const struct cp_download_row *d), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r, list_sql);
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	cp_reg_bind_opt(st, 1, centre);
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_download_row d = {
			.centre = cp_reg_col(st, 0), .name = cp_reg_col(st, 1),
			.description = cp_reg_col(st, 2), .type = cp_reg_col(st, 3),
			.status = cp_reg_col(st, 4), .created = cp_reg_col(st, 5),
			.expires = cp_reg_col(st, 6), .created_by = cp_reg_col(st, 7),
			.batch = cp_reg_col(st, 8), .bytes = sqlite3_column_int64(st, 9),
			.swept_by = cp_reg_col(st, 10),
		};

		out = fn(ctx, &d);
	}
	sqlite3_finalize(st);
	if (!out && rc != SQLITE_DONE)
		return cp_reg_error(r, "reading the downloads");
	return out;
}

/* ?N: now */
#define SWEEPABLE(N) \
	"((status = 'finished' AND expires <= ?" #N ") OR (status = 'expired' AND swept IS NULL))"

int cp_downloads_expiring(struct cp_registry *r, const char *now, struct cp_expiring **v,
			  size_t *n)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT centre, file FROM downloads WHERE "
					     SWEEPABLE(1) " ORDER BY centre, file");
	int rc;

	*v = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = cp_xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[*n].batch = NULL;
		(*v)[*n].centre = cp_xstrdup(cp_reg_col(st, 0));
		(*v)[(*n)++].file = cp_xstrdup(cp_reg_col(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_reg_error(r, "reading the downloads");
	return 0;
}

int cp_download_claim_expired(struct cp_registry *r, const struct cp_expiring *x,
			      const char *now, const char *by)
{
	return cp_reg_run_text_alone(r, "UPDATE downloads SET status = 'expired', swept = NULL,"
				     " swept_by = ?4 WHERE centre = ?1 AND file = ?2 AND " SWEEPABLE(3),
				     "claiming a download to sweep", 4, x->centre, x->file, now, by);
}

int cp_download_swept(struct cp_registry *r, const struct cp_expiring *x, const char *now)
{
	return cp_reg_run_text(r, "UPDATE downloads SET swept = ?3 WHERE centre = ?1"
			       " AND file = ?2 AND status = 'expired' AND swept IS NULL",
			       "recording a download swept", 3, x->centre, x->file, now);
}
