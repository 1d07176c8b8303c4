/* A document's record read back from the registry (records.h). */
#include "registry/internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

static int read_units(struct cp_registry *r, struct cp_doc_record *d)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT code, title, grade, level, credits"
					     " FROM award_units WHERE award_id = ?1 ORDER BY position");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, d->award_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_rec_unit *u;

		d->units = cp_xrealloc(d->units, (d->nunits + 1) * sizeof(*d->units));
		u = &d->units[d->nunits++];
		u->code = cp_reg_dup(st, 0);
		u->title = cp_reg_dup(st, 1);
		u->grade = cp_reg_dup(st, 2);
		u->level = sqlite3_column_int64(st, 3);
		u->credits = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot read an award's units");
}

int cp_doc_record_read(struct cp_registry *r, const char *reference, struct cp_doc_record *d)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT d.reference, d.type, d.template, d.issued, d.expires,"
		" (SELECT p.original FROM reprints p WHERE p.replacement = d.reference),"
		" a.enrolment, a.candidate, a.first_name, a.middle_names, a.last_name,"
		" a.qualification, a.qualification_title, a.level, a.grade, a.awarded, a.centre,"
		" a.centre_name, a.course_run, a.id"
		" FROM documents d JOIN awards a ON a.id = d.award_id WHERE d.reference = ?1");
	int rc;

	memset(d, 0, sizeof(*d));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, reference, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		for (int i = 0; i < CP_REC_NFIELDS; i++)
			d->f[i] = cp_reg_dup(st, i);
		d->award_id = sqlite3_column_int64(st, CP_REC_NFIELDS);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot read a document's record");
	if (rc == SQLITE_DONE)
		return 0;
	if (read_units(r, d) < 0) {
		cp_doc_record_release(d);
		return -1;
	}
	return 1;
}

void cp_doc_record_release(struct cp_doc_record *d)
{
	for (int i = 0; i < CP_REC_NFIELDS; i++)
		free(d->f[i]);
	for (size_t i = 0; i < d->nunits; i++) {
		free(d->units[i].code);
		free(d->units[i].title);
		free(d->units[i].grade);
	}
	free(d->units);
	memset(d, 0, sizeof(*d));
}

int cp_learner_awards_each(struct cp_registry *r, const char *enrolment,
			   int (*fn)(void *ctx, const struct cp_learner_award *a), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT a.id, a.first_name, a.middle_names, a.last_name, a.candidate,"
		" a.qualification, a.qualification_title, a.level, a.grade, a.awarded, a.centre,"
		" a.centre_name, (SELECT group_concat(reference, ', ') FROM (SELECT d.reference"
		"  FROM documents d WHERE d.award_id = a.id AND d.status = 'valid'"
		"  AND d.type != 'proof-letter' ORDER BY doctype_rank(d.type), d.issue))"
		" FROM awards a WHERE a.enrolment = ?1 AND EXISTS (SELECT 1 FROM documents d"
		"  WHERE d.award_id = a.id AND d.status = 'valid' AND d.type != 'proof-letter')"
		" ORDER BY a.awarded, a.id");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, enrolment, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct cp_learner_award a = {
			sqlite3_column_int64(st, 0), cp_reg_col(st, 1), cp_reg_col(st, 2),
			cp_reg_col(st, 3), cp_reg_col(st, 4), cp_reg_col(st, 5), cp_reg_col(st, 6),
			cp_reg_col(st, 7), cp_reg_col(st, 8), cp_reg_col(st, 9), cp_reg_col(st, 10),
			cp_reg_col(st, 11), cp_reg_col(st, 12),
		};

		if (fn(ctx, &a) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot read a learner's awards");
}

int cp_letter_award_add(struct cp_registry *r, const char *letter, long position,
			long long award)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "INSERT INTO letter_awards (reference, position,"
					     " award_id) VALUES (?1, ?2, ?3)");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, letter, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, position);
	sqlite3_bind_int64(st, 3, award);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot record a letter's award");
}

int cp_award_latest(struct cp_registry *r, long long award, const char *type, char *ref,
		    size_t nref)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT reference FROM documents WHERE award_id = ?1"
					     " AND type = ?2 ORDER BY issue DESC LIMIT 1");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, award);
	sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		cp_reg_copy(ref, nref, st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot read an award's documents");
	return rc == SQLITE_ROW;
}
