/* The batch's documents as the registry holds them, in print order. SQLite
 * sorts them (spilling to disk for a large batch), so memory stays flat.
 * Which documents a pack run packs is fixed once, when it starts: the
 * references valid then, in a temp table of the stage's connection, so the
 * zip, the manifest, the reports, the print file and the ticket agree
 * whatever an operator revokes or reprints while the stage runs. */
#include "pack.h"

#include <string.h>

#include "util/date.h"
#include "util/msg.h"
#include "util/banned.h"

#define FIELDS \
	"d.reference, d.type, a.enrolment, a.candidate, a.first_name, a.middle_names," \
	" a.last_name, a.qualification, a.qualification_title, a.level, a.grade, a.awarded," \
	" d.issued, d.expires, a.course_run, a.centre, a.centre_name, a.email"

#define TYPE_ORDER \
	"CASE d.type WHEN 'certificate' THEN 0 WHEN 'transcript' THEN 1 ELSE 2 END"

static const char own_sql[] =
	"SELECT " FIELDS ", NULL, NULL FROM temp.pack_set s"
	" JOIN documents d ON d.reference = s.reference JOIN awards a ON a.id = d.award_id"
	" WHERE d.batch_id = ?1"
	" ORDER BY a.centre, a.course_run, a.last_name, a.first_name, a.enrolment, " TYPE_ORDER;

static const char reprint_sql[] =
	"SELECT " FIELDS ", r.original, a.batch_id FROM reprints r"
	" JOIN temp.pack_set s ON s.reference = r.replacement"
	" JOIN documents d ON d.reference = r.replacement JOIN awards a ON a.id = d.award_id"
	" WHERE r.print_batch_id = ?1"
	" ORDER BY a.centre, a.course_run, a.last_name, a.first_name, a.enrolment, " TYPE_ORDER;

/* The batch's own documents and the replacements it took, valid now. */
static const char choose_sql[] =
	"INSERT INTO temp.pack_set SELECT reference FROM documents"
	" WHERE batch_id = ?1 AND status = 'valid'"
	" UNION SELECT d.reference FROM reprints r JOIN documents d ON d.reference = r.replacement"
	" WHERE r.print_batch_id = ?1 AND d.status = 'valid'";

/* What the batch would have packed but for a revoke or a reprint. */
static const char left_out_sql[] =
	"SELECT d.reference, d.type, d.status, NULL FROM documents d"
	" WHERE d.batch_id = ?1 AND d.reference NOT IN (SELECT reference FROM temp.pack_set)"
	" UNION ALL SELECT d.reference, d.type, d.status, r.original FROM reprints r"
	" JOIN documents d ON d.reference = r.replacement WHERE r.print_batch_id = ?1"
	" AND d.reference NOT IN (SELECT reference FROM temp.pack_set) ORDER BY 1";

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int each(struct cp_registry *reg, const char *sql, const char *batch, cp_pack_doc_fn fn,
		void *ctx)
{
	sqlite3_stmt *st = cp_registry_prepare(reg, sql);
	int rc, out = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_pack_doc d = {
			col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4), col(st, 5),
			col(st, 6), col(st, 7), col(st, 8), col(st, 9), col(st, 10), col(st, 11),
			col(st, 12), col(st, 13), col(st, 14), col(st, 15), col(st, 16), col(st, 17),
			col(st, 18), col(st, 19),
		};

		if (fn(ctx, &d) < 0) {
			out = -1;
			break;
		}
	}
	if (!out && rc != SQLITE_DONE)
		out = cp_error("%s: reading the batch's documents: %s", reg->path,
			       sqlite3_errmsg(reg->db));
	sqlite3_finalize(st);
	return out;
}

int cp_pack_each_doc(struct cp_registry *reg, const char *batch, bool with_reprints,
		     cp_pack_doc_fn fn, void *ctx)
{
	if (each(reg, own_sql, batch, fn, ctx) < 0)
		return -1;
	return with_reprints ? each(reg, reprint_sql, batch, fn, ctx) : 0;
}

long cp_pack_claim_reprints(struct cp_registry *reg, const char *batch)
{
	sqlite3_stmt *st = cp_registry_prepare(reg, "UPDATE reprints SET print_batch_id = ?1"
						    " WHERE print_batch_id IS NULL");
	long n;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		cp_error("%s: claiming queued reprints: %s", reg->path, sqlite3_errmsg(reg->db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	if (cp_registry_scalar(reg, "SELECT count(*) FROM reprints WHERE print_batch_id = ?1",
			       batch, NULL, &n) < 0)
		return -1;
	return n;
}

int cp_pack_choose(struct cp_registry *reg, const char *batch, long *own)
{
	sqlite3_stmt *st;
	int rc;

	if (cp_registry_exec(reg, "DROP TABLE IF EXISTS temp.pack_set;"
				  "CREATE TEMP TABLE pack_set (reference TEXT PRIMARY KEY)") < 0 ||
	    !(st = cp_registry_prepare(reg, choose_sql)))
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_error("%s: choosing the documents to pack: %s", reg->path,
				sqlite3_errmsg(reg->db));
	return cp_registry_scalar(reg, "SELECT count(*) FROM temp.pack_set s JOIN documents d"
				  " ON d.reference = s.reference WHERE d.batch_id = ?1", batch, NULL,
				  own);
}

long cp_pack_left_out(struct cp_registry *reg, const char *batch, struct cp_xmlout *out)
{
	sqlite3_stmt *st = cp_registry_prepare(reg, left_out_sql);
	long n = 0;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cp_xmlout_start(out, "left-out");
		cp_xmlout_attr(out, "type", col(st, 1));
		cp_xmlout_attr(out, "reference", col(st, 0));
		cp_xmlout_attr(out, "status", col(st, 2));
		if (col(st, 3))
			cp_xmlout_attr(out, "replaces", col(st, 3));
		cp_xmlout_end(out);
		n++;
	}
	if (rc != SQLITE_DONE)
		n = cp_error("%s: reading the documents left out: %s", reg->path,
			     sqlite3_errmsg(reg->db));
	sqlite3_finalize(st);
	return n;
}

int cp_pack_publish(struct cp_registry *reg)
{
	char stamp[32];
	sqlite3_stmt *st;
	int rc;

	if (cp_registry_begin(reg) < 0)
		return -1;
	st = cp_registry_prepare(reg, "UPDATE documents SET published = ?1 WHERE published IS NULL"
				      " AND reference IN (SELECT reference FROM temp.pack_set)");
	if (!st) {
		cp_registry_rollback(reg);
		return -1;
	}
	sqlite3_bind_text(st, 1, cp_time_stamp(stamp, sizeof(stamp)), -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		cp_error("%s: recording the documents published: %s", reg->path,
			 sqlite3_errmsg(reg->db));
		cp_registry_rollback(reg);
		return -1;
	}
	return cp_registry_commit(reg);
}
