/* Batches, the results files they took, and their stages' attempts. */
#include "registry/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/date.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

int cp_registry_results_seen(struct cp_registry *r, const char *sha256,
			     char batch[CP_BATCH_ID_MAX])
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT b.id FROM results_files f JOIN batches b ON b.id = f.batch_id"
		" WHERE f.sha256 = ?1 AND b.status <> 'failed' ORDER BY b.id LIMIT 1");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		cp_reg_copy(batch, CP_BATCH_ID_MAX, st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot look up a results file");
	return rc == SQLITE_ROW;
}

static int batch_exists(struct cp_registry *r, const char *id)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT 1 FROM batches WHERE id = ?1");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot look up a batch");
	return rc == SQLITE_ROW;
}

int cp_registry_batch_create(struct cp_registry *r, const char *sha256, const char *name,
			     long long size, const char *by, char id[CP_BATCH_ID_MAX])
{
	char stamp[32];
	time_t now = time(NULL);
	sqlite3_stmt *st;
	int seq, rc = -1;

	for (seq = 1; seq < 1000; seq++) {
		int e;

		cp_batch_id_format(id, now, seq);
		e = batch_exists(r, id);
		if (e < 0)
			return -1;
		if (!e)
			break;
	}
	if (seq == 1000)
		return cp_error("more than 999 batches in one second");
	cp_time_stamp(stamp, sizeof(stamp));
	st = cp_reg_prepare(r, "INSERT INTO batches (id, results_name, results_sha256, created)"
			       " VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, stamp, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		cp_reg_error(r, "cannot record a batch");
		goto out;
	}
	sqlite3_finalize(st);
	st = cp_reg_prepare(r, "INSERT INTO results_files (sha256, batch_id, name, size,"
			       " received) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, size);
	sqlite3_bind_text(st, 5, stamp, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		cp_reg_error(r, "cannot record a results file");
	else
		rc = cp_reg_run_text(r, "INSERT INTO batch_users (batch_id, started_by)"
				     " VALUES (?1, ?2)", "cannot record who started a batch", 2,
				     id, by);
out:
	sqlite3_finalize(st);
	return rc;
}

int cp_registry_batch_set_status(struct cp_registry *r, const char *id, const char *status,
				 const char *reason)
{
	return cp_reg_run_text(r, "UPDATE batches SET status = ?2, reason = ?3 WHERE id = ?1",
			       "cannot update a batch", 3, id, status, reason);
}

int cp_registry_batch_set_header(struct cp_registry *r, const char *id,
				 const char *submission, const char *centre,
				 const char *centre_email)
{
	return cp_reg_run_text(r, "UPDATE batches SET submission = ?2, centre = ?3,"
			       " centre_email = ?4 WHERE id = ?1",
			       "cannot update a batch", 4, id, submission, centre, centre_email);
}

/* The first column of the batch's row of sql (?1 the id), copied; NULL if
 * none. */
static char *batch_text(struct cp_registry *r, const char *sql, const char *id)
{
	sqlite3_stmt *st = cp_reg_prepare(r, sql);
	char *v = NULL;

	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = cp_reg_dup(st, 0);
	sqlite3_finalize(st);
	return v;
}

char *cp_registry_batch_results_name(struct cp_registry *r, const char *id)
{
	return batch_text(r, "SELECT results_name FROM batches WHERE id = ?1", id);
}

int cp_registry_batch_results_sha256(struct cp_registry *r, const char *id, char sha[65])
{
	char *v = batch_text(r, "SELECT results_sha256 FROM batches WHERE id = ?1", id);

	*sha = '\0';
	if (v)
		snprintf(sha, 65, "%s", v);
	free(v);
	return *sha != '\0';
}

int cp_registry_batch_failed(struct cp_registry *r, const char *id)
{
	long failed = 0;

	if (cp_reg_scalar(r, "SELECT count(*) FROM batches WHERE id = ?1 AND status = 'failed'",
			  id, NULL, &failed) < 0)
		return -1;
	return failed > 0;
}

int cp_registry_batch_done(struct cp_registry *r, const char *id)
{
	long done = 0;

	if (cp_reg_scalar(r, "SELECT count(*) FROM batches WHERE id = ?1 AND status = 'done'",
			  id, NULL, &done) < 0)
		return -1;
	return done > 0;
}

int cp_registry_batch_ids(struct cp_registry *r, int (*fn)(void *ctx, const char *id), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT id FROM batches ORDER BY id");
	int rc = 0;

	while (st && rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		if (cp_reg_col(st, 0))
			rc = fn(ctx, cp_reg_col(st, 0));
	sqlite3_finalize(st);
	return st ? rc : -1;
}

int cp_registry_batches_list(struct cp_registry *r, struct cp_batch_row **rows, size_t *n)
{
	sqlite3_stmt *st = cp_reg_prepare(
		r, "SELECT b.id, b.status, b.created, b.results_name,"
		   " (SELECT max(finished) FROM stage_runs r WHERE r.batch_id = b.id),"
		   " (SELECT count(*) FROM reprints p WHERE p.print_batch_id = b.id),"
		   " (SELECT started_by FROM batch_users u WHERE u.batch_id = b.id)"
		   " FROM batches b ORDER BY b.id");
	int rc;

	*rows = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_batch_row *b;

		*rows = cp_xrealloc(*rows, (*n + 1) * sizeof(**rows));
		b = &(*rows)[(*n)++];
		b->id = cp_reg_dup(st, 0);
		b->status = cp_reg_dup(st, 1);
		b->created = cp_reg_dup(st, 2);
		b->results_name = cp_reg_dup(st, 3);
		b->finished = cp_reg_dup(st, 4);
		b->reprints = sqlite3_column_int(st, 5);
		b->started_by = cp_reg_dup(st, 6);
	}
	if (rc != SQLITE_DONE)
		cp_reg_error(r, "cannot read the batches");
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

void cp_batch_rows_free(struct cp_batch_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].id);
		free(rows[i].status);
		free(rows[i].created);
		free(rows[i].results_name);
		free(rows[i].finished);
		free(rows[i].started_by);
	}
	free(rows);
}

int cp_registry_batch_find(struct cp_registry *r, const char *id, struct cp_batch_info *b)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT status, created, results_name, reason,"
					     " (SELECT started_by FROM batch_users u"
					     " WHERE u.batch_id = b.id) FROM batches b WHERE id = ?1");
	int rc;

	memset(b, 0, sizeof(*b));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		b->status = cp_reg_dup(st, 0);
		b->created = cp_reg_dup(st, 1);
		b->results_name = cp_reg_dup(st, 2);
		b->reason = cp_reg_dup(st, 3);
		b->started_by = cp_reg_dup(st, 4);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot look up a batch");
	return rc == SQLITE_ROW;
}

void cp_batch_info_release(struct cp_batch_info *b)
{
	free(b->status);
	free(b->created);
	free(b->results_name);
	free(b->reason);
	free(b->started_by);
	memset(b, 0, sizeof(*b));
}

/* A count for a batch's summary: 0 when the registry cannot say (it said
 * why). */
static long count(struct cp_registry *r, const char *sql, const char *id)
{
	long v;

	cp_reg_scalar(r, sql, id, NULL, &v);
	return v;
}

#define VALIDATE_COUNT(key) \
	"SELECT coalesce(json_extract(counts, '$." key "'), 0) FROM stage_runs" \
	" WHERE batch_id = ?1 AND stage = 'validate' AND outcome = 'ok'" \
	" ORDER BY attempt DESC LIMIT 1"
/* learners' emails only: a centre's key starts with its prefix */
#define MAIL_COUNT(status) \
	"SELECT count(*) FROM notifications WHERE batch_id = ?1 AND status = '" status "'" \
	" AND enrolment NOT LIKE '" CP_NOTIFY_CENTRE_PREFIX "%'"

void cp_registry_batch_counts(struct cp_registry *r, const char *id, struct cp_batch_counts *c)
{
	c->accepted = count(r, VALIDATE_COUNT("accepted"), id);
	c->rejected = count(r, VALIDATE_COUNT("rejected"), id);
	c->held = count(r, VALIDATE_COUNT("held"), id);
	c->documents = count(r, "SELECT count(*) FROM documents WHERE batch_id = ?1", id);
	c->sent = count(r, MAIL_COUNT("sent"), id);
	c->deferred = count(r, MAIL_COUNT("deferred"), id) + count(r, MAIL_COUNT("intent"), id);
	c->failed = count(r, MAIL_COUNT("failed"), id);
	c->not_notifiable = count(r, MAIL_COUNT("not-notifiable"), id);
}

int cp_registry_stage_start(struct cp_registry *r, const char *batch, const char *stage,
			    const char *by, int *attempt)
{
	sqlite3_stmt *st;
	char stamp[32], n[16];
	int rc;

	cp_time_stamp(stamp, sizeof(stamp));
	/* the attempt and its user together, in the caller's transaction or not */
	if (cp_reg_exec(r, "SAVEPOINT stage_start") < 0)
		return -1;
	st = cp_reg_prepare(r,
		"INSERT INTO stage_runs (batch_id, stage, attempt, started)"
		" SELECT ?1, ?2, coalesce(max(attempt), 0) + 1, ?3 FROM stage_runs"
		" WHERE batch_id = ?1 AND stage = ?2 RETURNING attempt");
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, stage, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, stamp, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*attempt = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		cp_reg_error(r, "cannot record a stage's start");
		goto fail;
	}
	snprintf(n, sizeof(n), "%d", *attempt);
	if (cp_reg_run_text(r, "INSERT OR REPLACE INTO stage_run_users (batch_id, stage, attempt,"
			    " run_by) VALUES (?1, ?2, ?3, ?4)", "cannot record who ran a stage", 4,
			    batch, stage, n, by) < 0)
		goto fail;
	return cp_reg_exec(r, "RELEASE stage_start");
fail:
	cp_reg_exec(r, "ROLLBACK TO stage_start");
	cp_reg_exec(r, "RELEASE stage_start");
	return -1;
}

/* End one attempt, or (attempt 0) every attempt a crash left running. */
static int stage_end(struct cp_registry *r, const char *batch, const char *stage, int attempt,
		     int exit_code, const char *counts)
{
	sqlite3_stmt *st;
	char stamp[32];
	int rc;

	cp_time_stamp(stamp, sizeof(stamp));
	st = cp_reg_prepare(r,
		"UPDATE stage_runs SET finished = ?4, exit_code = ?5,"
		" outcome = CASE WHEN ?5 = 0 THEN 'ok' ELSE 'failed' END,"
		" counts = coalesce(?6, counts)"
		" WHERE batch_id = ?1 AND stage = ?2"
		" AND (attempt = ?3 OR (?3 = 0 AND outcome = 'running'))");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, stage, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, attempt);
	sqlite3_bind_text(st, 4, stamp, -1, SQLITE_STATIC);
	if (exit_code >= 0) /* NULL: the process died without saying how */
		sqlite3_bind_int(st, 5, exit_code);
	if (counts)
		sqlite3_bind_text(st, 6, counts, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot record a stage's end");
	return 0;
}

int cp_registry_stage_finish(struct cp_registry *r, const char *batch, const char *stage,
			     int attempt, int exit_code, const char *counts)
{
	return stage_end(r, batch, stage, attempt, exit_code, counts);
}

int cp_registry_stage_close_running(struct cp_registry *r, const char *batch,
				    const char *stage, int exit_code)
{
	return stage_end(r, batch, stage, 0, exit_code, NULL);
}

int cp_registry_stage_running(struct cp_registry *r, const char *batch, const char *stage)
{
	long n;

	if (cp_reg_scalar(r, "SELECT count(*) FROM stage_runs WHERE batch_id = ?1"
			     " AND stage = ?2 AND outcome = 'running'", batch, stage, &n) < 0)
		return -1;
	return n > 0;
}

int cp_registry_stage_close_dead(struct cp_registry *r, const char *batch, const char *stage,
				 int exit_code, const char *counts)
{
	return stage_end(r, batch, stage, 0, exit_code, counts);
}

long cp_registry_stage_running_count(struct cp_registry *r, const char *batch)
{
	return count(r, "SELECT count(*) FROM stage_runs WHERE batch_id = ?1"
			" AND outcome = 'running'", batch);
}

int cp_registry_stage_last(struct cp_registry *r, const char *batch, const char *stage,
			   struct cp_stage_attempt *a)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT outcome, exit_code, json_extract(counts, '$.signal') FROM stage_runs"
		" WHERE batch_id = ?1 AND stage = ?2 ORDER BY attempt DESC LIMIT 1");
	int rc;

	memset(a, 0, sizeof(*a));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, stage, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		cp_reg_copy(a->outcome, sizeof(a->outcome), st, 0);
		a->has_exit = sqlite3_column_type(st, 1) != SQLITE_NULL;
		a->exit_code = sqlite3_column_int(st, 1);
		cp_reg_copy(a->signal, sizeof(a->signal), st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW;
}

int cp_registry_stage_runs_each(struct cp_registry *r, const char *batch,
				int (*fn)(void *ctx, const struct cp_stage_run_row *s), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT stage, attempt, started, coalesce(finished, ''), coalesce(exit_code, ''),"
		" outcome, coalesce(counts, ''), coalesce((SELECT run_by FROM stage_run_users u"
		" WHERE u.batch_id = s.batch_id AND u.stage = s.stage AND u.attempt = s.attempt), '')"
		" FROM stage_runs s WHERE batch_id = ?1 ORDER BY started,"
		" CASE stage WHEN 'validate' THEN 0 WHEN 'assign' THEN 1"
		" WHEN 'render' THEN 2 WHEN 'pack' THEN 3 ELSE 4 END, attempt");
	int rc = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		struct cp_stage_run_row s = {
			.stage = cp_reg_col(st, 0), .attempt = sqlite3_column_int(st, 1),
			.started = cp_reg_col(st, 2), .finished = cp_reg_col(st, 3),
			.exit_code = cp_reg_col(st, 4), .outcome = cp_reg_col(st, 5),
			.counts = cp_reg_col(st, 6), .by = cp_reg_col(st, 7),
		};

		rc = fn(ctx, &s);
	}
	sqlite3_finalize(st);
	return rc;
}
