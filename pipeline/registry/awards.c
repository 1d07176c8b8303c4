/* Awards, the serials drawn for them and the original documents issued:
 * what validate checks for duplicates, assign records per learner and
 * render withdraws. The per-learner statements are the connection's
 * cached ones (prepared once, reset after each use). */
#include "registry/internal.h"

#include <stdio.h>
#include <string.h>

#include "util/msg.h"
#include "util/banned.h"

int cp_registry_award_elsewhere(struct cp_registry *r, const char *enrolment,
				const char *qualification, const char *awarded,
				const char *batch, char other[CP_BATCH_ID_MAX])
{
	char made_by[CP_BATCH_ID_MAX];
	long long id;
	int found = cp_award_find(r, enrolment, qualification, awarded, &id, made_by);

	if (found <= 0)
		return found;
	if (!strcmp(made_by, batch))
		return 0;
	snprintf(other, CP_BATCH_ID_MAX, "%s", made_by);
	return 1;
}

/* Both statements take the award (?1) and the batch (?2). */
static int run_award(struct cp_registry *r, const char *sql, long long award, const char *batch,
		     int *row)
{
	sqlite3_stmt *st = cp_reg_prepare(r, sql);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, award);
	sqlite3_bind_text(st, 2, batch, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (row)
		*row = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot read or change an award");
	return 0;
}

int cp_registry_award_of_batch(struct cp_registry *r, long long award, const char *batch)
{
	int row;

	if (run_award(r, "SELECT 1 FROM awards WHERE id = ?1 AND batch_id = ?2", award, batch,
		      &row) < 0)
		return -1;
	return row;
}

int cp_registry_award_withdraw(struct cp_registry *r, long long award, const char *batch)
{
	static const char *const steps[] = {
		"DELETE FROM reprints WHERE original IN (SELECT d.reference FROM documents d"
		" JOIN awards a ON a.id = d.award_id WHERE a.id = ?1 AND a.batch_id = ?2)"
		" OR replacement IN (SELECT d.reference FROM documents d"
		" JOIN awards a ON a.id = d.award_id WHERE a.id = ?1 AND a.batch_id = ?2)",
		"DELETE FROM award_units WHERE award_id IN"
		" (SELECT id FROM awards WHERE id = ?1 AND batch_id = ?2)",
		"DELETE FROM documents WHERE award_id IN"
		" (SELECT id FROM awards WHERE id = ?1 AND batch_id = ?2)",
		"DELETE FROM search_keys WHERE award_id IN"
		" (SELECT id FROM awards WHERE id = ?1 AND batch_id = ?2)",
		"DELETE FROM awards WHERE id = ?1 AND batch_id = ?2",
	};

	for (size_t i = 0; i < sizeof(steps) / sizeof(*steps); i++)
		if (run_award(r, steps[i], award, batch, NULL) < 0)
			return -1;
	return 0;
}

/* Step a cached insert to its end and reset it. */
static int step_done(struct cp_registry *r, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return cp_reg_error(r, what);
	return 0;
}

int cp_award_find(struct cp_registry *r, const char *enrolment, const char *qualification,
		  const char *awarded, long long *id, char batch[CP_BATCH_ID_MAX])
{
	sqlite3_stmt *st = cp_reg_cached(r, CP_REG_AWARD_FIND,
		"SELECT id, batch_id FROM awards WHERE enrolment = ?1"
		" AND qualification = ?2 AND awarded = ?3");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, enrolment, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, qualification, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, awarded, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		cp_reg_copy(batch, CP_BATCH_ID_MAX, st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot look up an award");
	return rc == SQLITE_ROW;
}

int cp_award_add(struct cp_registry *r, const struct cp_award *a, long long *id)
{
	sqlite3_stmt *st = cp_reg_cached(r, CP_REG_AWARD_ADD,
		"INSERT INTO awards (enrolment, qualification, awarded,"
		" qualification_title, level, candidate, first_name, middle_names,"
		" last_name, dob, email, grade, centre, centre_name, course_run, batch_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
		" ?15, ?16)");

	if (!st)
		return -1;
	cp_reg_bind_opt(st, 1, a->enrolment);
	cp_reg_bind_opt(st, 2, a->qualification);
	cp_reg_bind_opt(st, 3, a->awarded);
	cp_reg_bind_opt(st, 4, a->title);
	sqlite3_bind_int64(st, 5, a->level);
	cp_reg_bind_opt(st, 6, a->candidate);
	cp_reg_bind_opt(st, 7, a->first_name);
	cp_reg_bind_opt(st, 8, a->middle_names);
	cp_reg_bind_opt(st, 9, a->last_name);
	cp_reg_bind_opt(st, 10, a->dob);
	cp_reg_bind_opt(st, 11, a->email);
	cp_reg_bind_opt(st, 12, a->grade);
	cp_reg_bind_opt(st, 13, a->centre);
	cp_reg_bind_opt(st, 14, a->centre_name);
	cp_reg_bind_opt(st, 15, a->course_run);
	cp_reg_bind_opt(st, 16, a->batch);
	if (step_done(r, st, "cannot record an award") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(r->db);
	st = cp_reg_cached(r, CP_REG_KEYS_ADD,
		"INSERT INTO search_keys (award_id, last_key, first_key)"
		" VALUES (?1, cp_fold(?2), cp_fold(?3))");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, *id);
	cp_reg_bind_opt(st, 2, a->last_name);
	cp_reg_bind_opt(st, 3, a->first_name);
	return step_done(r, st, "cannot record an award's search keys");
}

int cp_award_original(struct cp_registry *r, long long award, const char *type, char *ref,
		      size_t nref, char *issued, size_t nissued)
{
	sqlite3_stmt *st = cp_reg_cached(r, CP_REG_DOC_FIND,
		"SELECT reference, issued, expires FROM documents"
		" WHERE award_id = ?1 AND type = ?2 AND issue = 1");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, award);
	sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		cp_reg_copy(ref, nref, st, 0);
		cp_reg_copy(issued, nissued, st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot look up a document");
	return rc == SQLITE_ROW;
}

int cp_serial_claim(struct cp_registry *r, uint32_t serial)
{
	/* serials holds every serial ever drawn: INSERT OR IGNORE adds nothing
	 * for one already used */
	sqlite3_stmt *st = cp_reg_cached(r, CP_REG_SERIAL_ADD,
					 "INSERT OR IGNORE INTO serials (serial) VALUES (?1)");

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, serial);
	if (step_done(r, st, "cannot record a serial") < 0)
		return -1;
	return sqlite3_changes(r->db) > 0;
}

int cp_award_issue(struct cp_registry *r, const char *ref, uint32_t serial, long long award,
		   const char *type, const char *issued, const char *expires, const char *batch,
		   const char *template)
{
	sqlite3_stmt *st = cp_reg_cached(r, CP_REG_DOC_ADD,
		"INSERT INTO documents (reference, serial, issue, award_id, type, issued,"
		" expires, batch_id, template) VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8)");

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, serial);
	sqlite3_bind_int64(st, 3, award);
	sqlite3_bind_text(st, 4, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, issued, -1, SQLITE_STATIC);
	cp_reg_bind_opt(st, 6, expires);
	cp_reg_bind_opt(st, 7, batch);
	cp_reg_bind_opt(st, 8, template);
	return step_done(r, st, "cannot record a document");
}
