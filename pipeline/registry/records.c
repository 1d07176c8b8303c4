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
