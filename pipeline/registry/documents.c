/* Documents after assign: cards, searches, the statuses render and notify
 * read, the set one pack run packs and its publication, revocation. */
#include "registry/internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The SELECT list and FROM clause a card is read with; callers add WHERE. */
static const char card_select[] =
	"SELECT d.reference, d.type, d.status, a.first_name, a.middle_names, a.last_name,"
	" a.enrolment, a.candidate, a.qualification, a.qualification_title, a.grade,"
	" a.awarded, d.issued, a.centre, a.centre_name, d.expires, d.status_reason,"
	" d.status_changed, a.dob,"
	" (SELECT p.original FROM reprints p WHERE p.replacement = d.reference),"
	" (SELECT p.paper_serial FROM print_documents p WHERE p.reference = d.reference"
	"  AND p.outcome = 'printed' ORDER BY p.confirmed DESC LIMIT 1),"
	" a.id, d.serial, d.issue, d.published IS NOT NULL"
	" FROM documents d JOIN awards a ON a.id = d.award_id";

static void card_from_row(struct cp_card *c, sqlite3_stmt *st)
{
	struct cp_date today = cp_date_today(), expires;
	const char *derived = NULL;

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < CP_CARD_NFIELDS; i++)
		c->f[i] = cp_reg_dup(st, i);
	c->award_id = sqlite3_column_int64(st, CP_CARD_NFIELDS);
	c->serial = (long)sqlite3_column_int64(st, CP_CARD_NFIELDS + 1);
	c->issue = (long)sqlite3_column_int64(st, CP_CARD_NFIELDS + 2);
	if (c->f[CP_CARD_TYPE] && !strcmp(c->f[CP_CARD_TYPE], "proof-letter")) {
		/* it lists every award: not only the one it is kept under */
		static const int award_only[] = { CP_CARD_QUALIFICATION, CP_CARD_TITLE,
						  CP_CARD_GRADE, CP_CARD_AWARDED };

		for (size_t i = 0; i < sizeof(award_only) / sizeof(*award_only); i++) {
			free(c->f[award_only[i]]);
			c->f[award_only[i]] = NULL;
		}
		c->f[CP_CARD_TITLE] = cp_xstrdup("Proof of qualification: every award on record");
	}
	if (!c->f[CP_CARD_STATUS] || strcmp(c->f[CP_CARD_STATUS], "valid"))
		return; /* superseded and revoked are stored, issued or not */
	if (!sqlite3_column_int(st, CP_CARD_NFIELDS + 3))
		derived = "not-issued"; /* never issued: not expired either */
	else if (c->f[CP_CARD_EXPIRES] && cp_date_parse(c->f[CP_CARD_EXPIRES], &expires) &&
		 cp_date_cmp(expires, today) < 0)
		derived = "expired";
	if (derived) {
		free(c->f[CP_CARD_STATUS]);
		c->f[CP_CARD_STATUS] = cp_xstrdup(derived);
	}
}

int cp_card_find(struct cp_registry *r, const char *reference, struct cp_card *c)
{
	char *sql = cp_xasprintf("%s WHERE d.reference = ?1", card_select);
	sqlite3_stmt *st = cp_reg_prepare(r, sql);
	int rc;

	free(sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, reference, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		card_from_row(c, st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	return rc == SQLITE_ROW;
}

void cp_card_release(struct cp_card *c)
{
	for (int i = 0; i < CP_CARD_NFIELDS; i++)
		free(c->f[i]);
	memset(c, 0, sizeof(*c));
}

/* The search's statement: a condition for each field given, bound in the
 * order of the query's fields. */
static sqlite3_stmt *search_statement(struct cp_registry *r, const struct cp_card_query *q)
{
	const struct { const char *value, *where; } cond[] = {
		{ q->reference, "d.reference = ?" },
		{ q->candidate, "a.candidate = ?" },
		{ q->enrolment, "a.enrolment = ?" },
		{ q->first_name, "a.first_name = ? COLLATE NOCASE" },
		{ q->last_name, "a.last_name = ? COLLATE NOCASE" },
		{ q->dob, "a.dob = ?" },
	};
	char *sql = cp_xasprintf("%s WHERE 1", card_select), *more;
	sqlite3_stmt *st;
	int k = 1;

	for (size_t i = 0; i < sizeof(cond) / sizeof(*cond); i++)
		if (cond[i].value) {
			more = cp_xasprintf("%s AND %s", sql, cond[i].where);
			free(sql);
			sql = more;
		}
	more = cp_xasprintf("%s ORDER BY a.last_name, a.first_name, a.id, d.type, d.issue", sql);
	free(sql);
	st = cp_reg_prepare(r, more);
	free(more);
	for (size_t i = 0; st && i < sizeof(cond) / sizeof(*cond); i++)
		if (cond[i].value)
			sqlite3_bind_text(st, k++, cond[i].value, -1, SQLITE_STATIC);
	return st;
}

int cp_card_search(struct cp_registry *r, const struct cp_card_query *q,
		   int (*fn)(void *ctx, struct cp_card *c), void *ctx)
{
	sqlite3_stmt *st = search_statement(r, q);
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_card card;

		card_from_row(&card, st);
		if (fn(ctx, &card) < 0) {
			out = -1;
			break;
		}
	}
	if (!out && rc != SQLITE_DONE)
		out = cp_reg_error(r, "cannot search the documents");
	sqlite3_finalize(st);
	return out;
}

int cp_documents_count(struct cp_registry *r, const char *batch, long *n)
{
	return cp_reg_scalar(r, "SELECT count(*) FROM documents WHERE batch_id = ?1", batch, NULL,
			     n);
}

int cp_documents_not_valid(struct cp_registry *r, const char *batch,
			   int (*fn)(void *ctx, const char *ref, const char *status), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT reference, status FROM documents"
					     " WHERE batch_id = ?1 AND status <> 'valid'");
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW)
		out = fn(ctx, cp_reg_col(st, 0), cp_reg_col(st, 1));
	sqlite3_finalize(st);
	if (!out && rc != SQLITE_DONE)
		return cp_reg_error(r, "reading the batch's document statuses");
	return out;
}

int cp_documents_for_learner(struct cp_registry *r, const char *batch, const char *enrolment,
			     int (*fn)(void *ctx, const char *ref, const char *type,
				       const char *qualification_title),
			     void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT d.reference, d.type, a.qualification_title FROM documents d"
		" JOIN awards a ON a.id = d.award_id WHERE a.batch_id = ?1 AND a.enrolment = ?2"
		" AND d.status = 'valid' AND d.published IS NOT NULL"
		" ORDER BY a.id, doctype_rank(d.type), d.issue");
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, enrolment, -1, SQLITE_STATIC);
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW)
		out = fn(ctx, cp_reg_col(st, 0), cp_reg_col(st, 1), cp_reg_col(st, 2));
	sqlite3_finalize(st);
	if (!out && rc != SQLITE_DONE)
		return cp_reg_error(r, "reading a learner's documents");
	return out;
}

int cp_document_source(struct cp_registry *r, const char *reference,
		       struct cp_document_source *s)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT a.id, a.batch_id, d.type, d.issued,"
					     " coalesce(d.expires, '') FROM documents d"
					     " JOIN awards a ON a.id = d.award_id WHERE d.reference = ?1");
	int rc;

	memset(s, 0, sizeof(*s));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, reference, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		s->award_id = sqlite3_column_int64(st, 0);
		cp_reg_copy(s->batch, sizeof(s->batch), st, 1);
		cp_reg_copy(s->type, sizeof(s->type), st, 2);
		cp_reg_copy(s->issued, sizeof(s->issued), st, 3);
		cp_reg_copy(s->expires, sizeof(s->expires), st, 4);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot look up a document");
	return rc == SQLITE_ROW;
}

int cp_document_revoke(struct cp_registry *r, const char *reference, const char *reason,
		       const char *category, const char *stamp)
{
	return cp_reg_run_text(r, "UPDATE documents SET status = 'revoked', status_reason = ?1,"
			       " status_changed = ?2, revoke_category = ?4 WHERE reference = ?3",
			       "cannot revoke a document", 4, reason, stamp, reference, category);
}

/* The pack set (see documents.h). */

#define FIELDS \
	"d.reference, d.type, a.enrolment, a.candidate, a.first_name, a.middle_names," \
	" a.last_name, a.qualification, a.qualification_title, a.level, a.grade, a.awarded," \
	" d.issued, d.expires, a.course_run, a.centre, a.centre_name, a.email"

#define PRINT_ORDER \
	" ORDER BY a.centre, a.course_run, a.last_name, a.first_name, a.enrolment," \
	" doctype_rank(d.type)"

static const char own_sql[] =
	"SELECT " FIELDS ", NULL, NULL, NULL, NULL, NULL FROM temp.pack_set s"
	" JOIN documents d ON d.reference = s.reference JOIN awards a ON a.id = d.award_id"
	" WHERE d.batch_id = ?1" PRINT_ORDER;

/* The replacements, the letters ordered that are not replacements of an
 * earlier letter, and the documents spoiled by the printing house that
 * this batch prints again, grouped by consignment (the order's address, or
 * the centre's, and the delivery method), each group in print order. */
static const char reprint_sql[] =
	"SELECT * FROM (SELECT " FIELDS ", r.original AS replaces, a.batch_id AS award_batch,"
	" o.delivery AS delivery, o.address AS address, NULL AS copies_batch"
	" FROM reprints r JOIN temp.pack_set s ON s.reference = r.replacement"
	" JOIN documents d ON d.reference = r.replacement JOIN awards a ON a.id = d.award_id"
	" LEFT JOIN orders o ON o.reference = r.replacement"
	" WHERE r.print_batch_id = ?1"
	" UNION ALL SELECT " FIELDS ", NULL, a.batch_id, o.delivery, o.address, NULL FROM orders o"
	" JOIN temp.pack_set s ON s.reference = o.reference"
	" JOIN documents d ON d.reference = o.reference JOIN awards a ON a.id = d.award_id"
	" WHERE o.kind = 'letter' AND o.print_batch_id = ?1"
	" AND o.reference NOT IN (SELECT replacement FROM reprints)"
	" UNION ALL SELECT " FIELDS ", (SELECT original FROM reprints WHERE replacement ="
	" d.reference), CASE WHEN o.id IS NULL THEN NULL ELSE a.batch_id END, o.delivery,"
	" o.address, CASE WHEN o.id IS NULL THEN d.batch_id END FROM print_documents p"
	" JOIN temp.pack_set s ON s.reference = p.reference"
	" JOIN documents d ON d.reference = p.reference JOIN awards a ON a.id = d.award_id"
	" LEFT JOIN orders o ON o.reference = d.reference WHERE p.again_in = ?1)"
	" ORDER BY CASE WHEN address IS NULL THEN 'c' || centre ELSE 'a' || address END,"
	" coalesce(delivery, ''), centre, course_run, last_name, first_name, enrolment,"
	" doctype_rank(type)";

/* The batch's own documents, the replacements and letters it took, and
 * the spoiled documents it prints again, valid now. */
static const char choose_sql[] =
	"INSERT INTO temp.pack_set SELECT reference FROM documents"
	" WHERE batch_id = ?1 AND status = 'valid'"
	" UNION SELECT d.reference FROM reprints r JOIN documents d ON d.reference = r.replacement"
	" WHERE r.print_batch_id = ?1 AND d.status = 'valid'"
	" UNION SELECT d.reference FROM orders o JOIN documents d ON d.reference = o.reference"
	" WHERE o.kind = 'letter' AND o.print_batch_id = ?1 AND d.status = 'valid'"
	" UNION SELECT d.reference FROM print_documents p JOIN documents d"
	" ON d.reference = p.reference WHERE p.again_in = ?1 AND d.status = 'valid'";

/* What the batch would have packed but for a revoke or a reprint. */
static const char left_out_sql[] =
	"SELECT d.reference, d.type, d.status, NULL FROM documents d"
	" WHERE d.batch_id = ?1 AND d.reference NOT IN (SELECT reference FROM temp.pack_set)"
	" UNION ALL SELECT d.reference, d.type, d.status, r.original FROM reprints r"
	" JOIN documents d ON d.reference = r.replacement WHERE r.print_batch_id = ?1"
	" AND d.reference NOT IN (SELECT reference FROM temp.pack_set)"
	" UNION ALL SELECT d.reference, d.type, d.status, NULL FROM orders o"
	" JOIN documents d ON d.reference = o.reference WHERE o.kind = 'letter'"
	" AND o.print_batch_id = ?1 AND o.reference NOT IN (SELECT replacement FROM reprints)"
	" AND d.reference NOT IN (SELECT reference FROM temp.pack_set)"
	" UNION ALL SELECT d.reference, d.type, d.status, NULL FROM print_documents p"
	" JOIN documents d ON d.reference = p.reference WHERE p.again_in = ?1"
	" AND d.reference NOT IN (SELECT reference FROM temp.pack_set) ORDER BY 1";

int cp_documents_choose_for_pack(struct cp_registry *r, const char *batch, long *own)
{
	sqlite3_stmt *st;
	int rc;

	if (cp_reg_exec(r, "DROP TABLE IF EXISTS temp.pack_set;"
			   "CREATE TEMP TABLE pack_set (reference TEXT PRIMARY KEY)") < 0 ||
	    !(st = cp_reg_prepare(r, choose_sql)))
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_reg_error(r, "choosing the documents to pack");
	return cp_reg_scalar(r, "SELECT count(*) FROM temp.pack_set s JOIN documents d"
			     " ON d.reference = s.reference WHERE d.batch_id = ?1", batch, NULL, own);
}

static int chosen(struct cp_registry *r, const char *sql, const char *batch, cp_batch_doc_fn fn,
		  void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r, sql);
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *c[23];
		struct cp_batch_doc d;

		for (int i = 0; i < 23; i++)
			c[i] = cp_reg_col(st, i);
		d = (struct cp_batch_doc){
			c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10],
			c[11], c[12], c[13], c[14], c[15], c[16], c[17], c[18], c[19],
			c[20], c[21], c[22],
		};
		if (fn(ctx, &d) < 0) {
			out = -1;
			break;
		}
	}
	if (!out && rc != SQLITE_DONE)
		out = cp_reg_error(r, "reading the batch's documents");
	sqlite3_finalize(st);
	return out;
}

int cp_documents_chosen_each(struct cp_registry *r, const char *batch, bool with_reprints,
			     cp_batch_doc_fn fn, void *ctx)
{
	if (chosen(r, own_sql, batch, fn, ctx) < 0)
		return -1;
	return with_reprints ? chosen(r, reprint_sql, batch, fn, ctx) : 0;
}

int cp_documents_chosen_reprints_each(struct cp_registry *r, const char *batch,
				      cp_batch_doc_fn fn, void *ctx)
{
	return chosen(r, reprint_sql, batch, fn, ctx);
}

long cp_documents_left_out(struct cp_registry *r, const char *batch,
			   int (*fn)(void *ctx, const char *ref, const char *type,
				     const char *status, const char *replaces),
			   void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r, left_out_sql);
	long n = 0;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn(ctx, cp_reg_col(st, 0), cp_reg_col(st, 1), cp_reg_col(st, 2),
		       cp_reg_col(st, 3)) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
		n++;
	}
	if (rc != SQLITE_DONE)
		n = cp_reg_error(r, "reading the documents left out");
	sqlite3_finalize(st);
	return n;
}

int cp_documents_publish_chosen(struct cp_registry *r, const char *batch)
{
	char stamp[32];
	sqlite3_stmt *st;
	long n;
	int rc;

	if (cp_registry_begin(r) < 0)
		return -1;
	st = cp_reg_prepare(r, "UPDATE documents SET published = ?1 WHERE published IS NULL"
			       " AND reference IN (SELECT reference FROM temp.pack_set)");
	if (!st) {
		cp_registry_rollback(r);
		return -1;
	}
	sqlite3_bind_text(st, 1, cp_time_stamp(stamp, sizeof(stamp)), -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		cp_reg_error(r, "recording the documents published");
		cp_registry_rollback(r);
		return -1;
	}
	/* the print file holding an order's document is written: to be printed */
	if (cp_orders_taken_for_print(r, batch, stamp, &n) < 0) {
		cp_registry_rollback(r);
		return -1;
	}
	return cp_registry_commit(r);
}
