/* Documents after assign: cards, searches, the statuses render and notify
 * read, the set one pack run packs and its publication, revocation. */
#include "registry/internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/fold.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The SELECT list a card is read with, of documents d and awards a. */
#define CARD_COLUMNS                                                                       \
	"SELECT d.reference, d.type, d.status, a.first_name, a.middle_names, a.last_name,"  \
	" a.enrolment, a.candidate, a.qualification, a.qualification_title, a.grade,"      \
	" a.awarded, d.issued, a.centre, a.centre_name, d.expires, d.status_reason,"       \
	" d.status_changed, (SELECT c.changed_by FROM changes c WHERE c.reference ="       \
	" d.reference ORDER BY c.id DESC LIMIT 1), a.dob,"                                 \
	" (SELECT p.original FROM reprints p WHERE p.replacement = d.reference),"          \
	" (SELECT p.paper_serial FROM print_documents p WHERE p.reference = d.reference" \
	"  AND p.outcome = 'printed' ORDER BY p.confirmed DESC LIMIT 1),"                 \
	" a.id, d.serial, d.issue, d.published IS NOT NULL"
/* ... and its FROM clause; callers add WHERE. */
static const char card_select[] =
	CARD_COLUMNS " FROM documents d JOIN awards a ON a.id = d.award_id";

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

/* Above every key that starts with a prefix: U+10FFFF, the last code
 * point, in UTF-8 (keys compare as bytes, which is code point order). */
#define KEY_TOP "\xf4\x8f\xbf\xbf"

/* A document's status as cards show it (card_from_row), in SQL, for
 * --status; ?T is today. */
#define STATUS_SQL                                                                   \
	"(CASE WHEN d.status <> 'valid' THEN d.status WHEN d.published IS NULL"        \
	" THEN 'not-issued' WHEN d.expires IS NOT NULL AND d.expires < ? THEN 'expired'" \
	" ELSE 'valid' END)"

/* The order every search returns: the names' keys, the award, the type and
 * the issue. search_keys_by_last holds (last_key, first_key, award_id) in
 * this order, documents' UNIQUE (award_id, type, issue) the rest. */
#define SEARCH_ORDER "k.last_key, k.first_key, k.award_id, d.type, d.issue"

/* How many matching documents are few enough to be found by an index and
 * sorted; from this many on, walking the keys in name order and stopping
 * at the page's end is cheaper: with M matches among N documents it reads
 * about (offset + limit) * N / M of them. */
#define SEARCH_FEW 5000

/* The table a field's index is on, which leads the join: documents,
 * awards, search keys. */
#define BY_DOCUMENTS(index) 'd', index
#define BY_AWARDS(index) 'a', index
#define BY_KEYS(index) 'k', index
/* In SEARCH_ORDER, and where no field's index leads. */
#define BY_NAME BY_KEYS("search_keys_by_last")

/* One field of a search: the tables as its index leads them, its
 * condition as that index serves it, and as a filter only (unary +: no
 * index), each with its values. */
enum { AS_INDEX, AS_FILTER };
struct cond {
	char lead;
	const char *index;
	const char *sql[2];
	const char *v[2][3];
	int n[2];
};

/* A search's fields, their values and the page. keys[] holds the folded
 * names and their tops, alive as long as the statements. */
struct search {
	struct cond c[16];
	size_t n;
	char *keys[4];
	char today[11];
	long limit, offset;
	bool indexed; /* the schema has every index the fields name */
};

static struct cond *add_cond(struct search *s, char lead, const char *by, const char *index,
			     const char *filter, const char *v1, const char *v2)
{
	struct cond *c = &s->c[s->n++];
	int n = v2 ? 2 : 1;

	*c = (struct cond){ lead, by, { index, filter }, { { v1, v2 }, { v1, v2 } }, { n, n } };
	return c;
}

/* --status: the card's status exactly, and as an index finds it, a
 * condition the status implies on the stored columns before it. */
static void add_status(struct search *s, const char *status)
{
	static const char exact[] = STATUS_SQL " = ?";
	struct cond *c;

	if (!strcmp(status, "valid")) {
		add_cond(s, BY_DOCUMENTS("documents_by_status"),
			 "d.status = 'valid' AND " STATUS_SQL " = ?",
			 exact, s->today, status);
	} else if (!strcmp(status, "not-issued")) {
		add_cond(s, BY_DOCUMENTS("documents_unpublished"),
			 "d.status = 'valid' AND d.published IS NULL AND " STATUS_SQL " = ?", exact,
			 s->today, status);
	} else if (!strcmp(status, "expired")) {
		c = add_cond(s, BY_DOCUMENTS("documents_by_status"),
			     "d.status = 'valid' AND d.expires < ? AND " STATUS_SQL " = ?", exact,
			     s->today, status);
		c->v[AS_INDEX][1] = s->today;
		c->v[AS_INDEX][2] = status;
		c->n[AS_INDEX] = 3;
	} else {
		c = add_cond(s, BY_DOCUMENTS("documents_by_status"),
			     "d.status = ? AND " STATUS_SQL " = ?",
			     exact, s->today, status);
		c->v[AS_INDEX][0] = status;
		c->v[AS_INDEX][1] = s->today;
		c->v[AS_INDEX][2] = status;
		c->n[AS_INDEX] = 3;
	}
}

/* A condition for each field given, names by the prefix of their search
 * keys (registry/schema.c, cp_fold), in the order of how few documents a
 * field usually matches: the first one given is what an index finds them
 * by, the others filter what it found. A fixed order, not SQLite's
 * choice: registries are not ANALYZEd, and without statistics every
 * index looks as selective as any other (a qualification's index chosen
 * over a centre's read every award of the qualification). */
static void search_conds(struct search *s, const struct cp_card_query *q)
{
	struct cond *c;

	cp_date_format(cp_date_today(), s->today);
	if (q->reference)
		add_cond(s, BY_DOCUMENTS("sqlite_autoindex_documents_1"), "d.reference = ?",
			 "+d.reference = ?", q->reference, NULL);
	if (q->enrolment)
		add_cond(s, BY_AWARDS("awards_by_enrolment"), "a.enrolment = ?",
			 "+a.enrolment = ?", q->enrolment, NULL);
	if (q->candidate)
		add_cond(s, BY_AWARDS("awards_by_candidate"), "a.candidate = ?",
			 "+a.candidate = ?", q->candidate, NULL);
	if (q->dob)
		add_cond(s, BY_AWARDS("awards_by_dob"), "a.dob = ?", "+a.dob = ?", q->dob, NULL);
	if (q->last_name) {
		s->keys[0] = cp_fold(q->last_name);
		s->keys[1] = cp_xasprintf("%s" KEY_TOP, s->keys[0]);
		add_cond(s, BY_KEYS("search_keys_by_last"), "k.last_key >= ? AND k.last_key < ?",
			 "+k.last_key >= ? AND +k.last_key < ?", s->keys[0], s->keys[1]);
	}
	if (q->centre)
		add_cond(s, BY_AWARDS("awards_by_centre"), "a.centre = ?",
			 "+a.centre = ?", q->centre, NULL);
	if (q->first_name) {
		s->keys[2] = cp_fold(q->first_name);
		s->keys[3] = cp_xasprintf("%s" KEY_TOP, s->keys[2]);
		add_cond(s, BY_KEYS("search_keys_by_first"), "k.first_key >= ? AND k.first_key < ?",
			 "+k.first_key >= ? AND +k.first_key < ?", s->keys[2], s->keys[3]);
	}
	if (q->batch) {
		/* a replacement has no batch of its own until a print run
		 * carries it: documents_by_batch finds both kinds, by
		 * coalesce(batch_id, '') ('' is no batch's id) */
		c = add_cond(s, BY_DOCUMENTS("documents_by_batch"),
			     "coalesce(d.batch_id, '') IN (?, '')"
			     " AND coalesce(d.batch_id, a.batch_id) = ?",
			     "coalesce(d.batch_id, a.batch_id) = ?", q->batch, q->batch);
		c->n[AS_FILTER] = 1;
	}
	if (q->qualification)
		add_cond(s, BY_AWARDS("awards_by_qualification"), "a.qualification = ?",
			 "+a.qualification = ?", q->qualification, NULL);
	if (q->awarded_from && q->awarded_to)
		add_cond(s, BY_AWARDS("awards_by_awarded"), "a.awarded >= ? AND a.awarded <= ?",
			 "+a.awarded >= ? AND +a.awarded <= ?", q->awarded_from, q->awarded_to);
	else if (q->awarded_from)
		add_cond(s, BY_AWARDS("awards_by_awarded"), "a.awarded >= ?",
			 "+a.awarded >= ?", q->awarded_from, NULL);
	else if (q->awarded_to)
		add_cond(s, BY_AWARDS("awards_by_awarded"), "a.awarded <= ?",
			 "+a.awarded <= ?", q->awarded_to, NULL);
	if (q->status)
		add_status(s, q->status);
	s->limit = q->limit > 0 ? q->limit : -1;
	s->offset = q->offset > 0 ? q->offset : 0;
}

/* The tables led by one's index (INDEXED BY, where the schema has it),
 * the others joined to it in this order (CROSS JOIN: SQLite keeps it), so
 * the field chosen is what an index reads, whatever statistics the
 * registry has or lacks. */
static char *lead_from(const struct search *s, char lead, const char *index)
{
	char *by = s->indexed ? cp_xasprintf(" INDEXED BY %s", index) : cp_xstrdup("");
	char *from;

	if (lead == 'd')
		from = cp_xasprintf(" FROM documents d%s CROSS JOIN awards a ON a.id = d.award_id"
				    " CROSS JOIN search_keys k ON k.award_id = a.id", by);
	else if (lead == 'a')
		from = cp_xasprintf(" FROM awards a%s CROSS JOIN search_keys k ON k.award_id = a.id"
				    " CROSS JOIN documents d ON d.award_id = a.id", by);
	else
		from = cp_xasprintf(" FROM search_keys k%s CROSS JOIN awards a ON a.id = k.award_id"
				    " CROSS JOIN documents d ON d.award_id = a.id", by);
	free(by);
	return from;
}

/* head, the tables as the condition numbered index leads them (else as
 * lead and by do), " WHERE 1", " AND " each condition (that one as its
 * index serves it, the others as filters), tail: prepared, the
 * conditions' values bound, then the numbers in more[] (nmore of them). */
static sqlite3_stmt *search_prepare(struct cp_registry *r, const struct search *s,
				    size_t index, char lead, const char *by, const char *head,
				    const char *tail, const long *more, int nmore)
{
	char *from = index < s->n ? lead_from(s, s->c[index].lead, s->c[index].index)
				  : lead_from(s, lead, by);
	char *sql = cp_xasprintf("%s%s WHERE 1", head, from);
	char *next;
	sqlite3_stmt *st;
	int k = 1;

	free(from);

	for (size_t i = 0; i < s->n; i++) {
		int as = i == index ? AS_INDEX : AS_FILTER;

		next = cp_xasprintf("%s AND %s", sql, s->c[i].sql[as]);
		free(sql);
		sql = next;
	}
	next = cp_xasprintf("%s%s", sql, tail);
	free(sql);
	st = cp_reg_prepare(r, next);
	free(next);
	for (size_t i = 0; st && i < s->n; i++) {
		int as = i == index ? AS_INDEX : AS_FILTER;

		for (int j = 0; j < s->c[i].n[as]; j++)
			sqlite3_bind_text(st, k++, s->c[i].v[as][j], -1, SQLITE_STATIC);
	}
	for (int i = 0; st && i < nmore; i++)
		sqlite3_bind_int64(st, k++, more[i]);
	return st;
}

/* How many documents match, counted up to SEARCH_FEW, found by the first
 * field's index with no order to keep. -1 on error. */
static long search_count_few(struct cp_registry *r, const struct search *s)
{
	static const long few[] = { SEARCH_FEW };
	sqlite3_stmt *st = search_prepare(r, s, 0, BY_NAME, "SELECT count(*) FROM (SELECT 1",
					  " LIMIT ?)", few, 1);
	long n = -1;

	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	else
		cp_reg_error(r, "cannot search the documents");
	sqlite3_finalize(st);
	return n;
}

/* The statement a page of matches is read with, in SEARCH_ORDER. A page
 * of many matches walks search_keys_by_last in that order (a last name
 * given is its range) and stops at the page's end. Else the few matches
 * are found by the first field's index and sorted, only their order's
 * columns and rowid: the page's cards are read after. */
static sqlite3_stmt *search_statement(struct cp_registry *r, const struct search *s, bool many)
{
	const long page[] = { s->limit, s->offset };
	size_t last = SIZE_MAX;

	if (many) {
		for (size_t i = 0; i < s->n; i++)
			if (!strncmp(s->c[i].sql[AS_INDEX], "k.last_key", 10))
				last = i;
		return search_prepare(r, s, last, BY_NAME, CARD_COLUMNS,
				      " ORDER BY " SEARCH_ORDER " LIMIT ? OFFSET ?", page, 2);
	}
	return search_prepare(r, s, 0, BY_NAME, CARD_COLUMNS " FROM (SELECT d.rowid AS rid,"
			      " k.last_key AS lk, k.first_key AS fk, k.award_id AS aid,"
			      " d.type AS ty, d.issue AS iss",
			      " ORDER BY " SEARCH_ORDER " LIMIT ? OFFSET ?) p"
			      " CROSS JOIN documents d ON d.rowid = p.rid"
			      " CROSS JOIN awards a ON a.id = d.award_id"
			      " ORDER BY p.lk, p.fk, p.aid, p.ty, p.iss", page, 2);
}

int cp_card_search(struct cp_registry *r, const struct cp_card_query *q,
		   int (*fn)(void *ctx, struct cp_card *c), void *ctx)
{
	struct search s = { .n = 0 };
	sqlite3_stmt *st = NULL;
	int rc = SQLITE_DONE, out = 0, version;
	long few;

	if (cp_reg_user_version(r, &version) < 0)
		return -1;
	/* a registry opened read-only is not migrated: one older than this
	 * schema may lack the indexes named, and is searched as SQLite
	 * chooses */
	s.indexed = version >= CP_REGISTRY_VERSION;
	search_conds(&s, q);
	/* every match (no --limit) is printed: sorting them all costs no
	 * more than printing them */
	few = s.limit < 0 ? 0 : search_count_few(r, &s);
	if (few >= 0)
		st = search_statement(r, &s, s.limit >= 0 && few >= SEARCH_FEW);
	if (!st) {
		out = -1;
		goto done;
	}
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
done:
	for (int i = 0; i < 4; i++)
		free(s.keys[i]);
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
	/* awards first (CROSS JOIN keeps that order): the planner, with no
	 * statistics, would read documents_by_status, every valid document of
	 * the registry for each learner, and notify would be quadratic (10,000
	 * learners: three minutes, not seconds) */
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT d.reference, d.type, a.qualification_title FROM awards a"
		" CROSS JOIN documents d ON d.award_id = a.id WHERE a.batch_id = ?1"
		" AND a.enrolment = ?2 AND d.status = 'valid' AND d.published IS NOT NULL"
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

int cp_documents_chosen_count(struct cp_registry *r, long *n)
{
	return cp_reg_scalar(r, "SELECT count(*) FROM temp.pack_set", NULL, NULL, n);
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

int cp_documents_publish_chosen_in(struct cp_registry *r, const char *batch, const char *stamp)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "UPDATE documents SET published = ?1"
					     " WHERE published IS NULL"
					     " AND reference IN (SELECT reference FROM temp.pack_set)");
	long n;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, stamp, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_reg_error(r, "recording the documents published");
	/* the print file holding an order's document is written: to be printed */
	return cp_orders_taken_for_print(r, batch, stamp, &n);
}

int cp_documents_publish_chosen(struct cp_registry *r, const char *batch)
{
	char stamp[32];

	if (cp_registry_begin(r) < 0)
		return -1;
	if (cp_documents_publish_chosen_in(r, batch, cp_time_stamp(stamp, sizeof(stamp))) < 0) {
		cp_registry_rollback(r);
		return -1;
	}
	return cp_registry_commit(r);
}

/* An export's choice (documents.h). STATUS_SQL's ? is ?1 (today); the rest
 * are numbered after it. */
static const char selected_sql[] =
	"SELECT " FIELDS ", r.original, a.batch_id, " STATUS_SQL ", r.replacement IS NOT NULL"
	" FROM documents d JOIN awards a ON a.id = d.award_id"
	" LEFT JOIN reprints r ON r.replacement = d.reference"
	" WHERE a.centre = ?2 AND CASE ?3"
	" WHEN 'batch' THEN a.batch_id = ?4"
	" WHEN 'course-run' THEN a.course_run = ?4"
	" WHEN 'awarded' THEN a.awarded BETWEEN substr(?4, 1, 10) AND substr(?4, 12, 10)"
	" WHEN 'references' THEN instr(' ' || ?4 || ' ', ' ' || d.reference || ' ') > 0"
	" ELSE 0 END" PRINT_ORDER ", d.issue";

int cp_documents_selected_each(struct cp_registry *r, const char *centre,
			       const char *selection, const char *chosen, const char *today,
			       int (*fn)(void *ctx, const struct cp_selected_doc *s), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r, selected_sql);
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, centre, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, selection, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, chosen, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *c[22];
		struct cp_selected_doc x;

		for (int i = 0; i < 22; i++)
			c[i] = cp_reg_col(st, i);
		x.d = (struct cp_batch_doc){
			c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10],
			c[11], c[12], c[13], c[14], c[15], c[16], c[17], c[18], NULL, NULL, NULL, NULL,
		};
		x.batch = c[19];
		x.status = c[20];
		x.replacement = sqlite3_column_int(st, 21) != 0;
		if (fn(ctx, &x) < 0) {
			out = -1;
			break;
		}
	}
	if (!out && rc != SQLITE_DONE)
		out = cp_reg_error(r, "reading the documents chosen");
	sqlite3_finalize(st);
	return out;
}
