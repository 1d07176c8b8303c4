/* SQLite registry: connection set-up, schema migrations and the queries
 * that more than one program needs. */
#include "registry.h"

#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "util/atomic.h"
#include "util/date.h"
#include "util/fault.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Migration N brings the schema from version N to N + 1. Never edit one
 * that has shipped: add the next. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE batches ("
	"  id TEXT PRIMARY KEY,"
	"  results_name TEXT NOT NULL,"
	"  results_sha256 TEXT NOT NULL,"
	"  submission TEXT,"
	"  centre TEXT,"
	"  created TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','failed')),"
	"  reason TEXT"
	") STRICT;"
	"CREATE TABLE results_files ("
	"  sha256 TEXT NOT NULL,"
	"  batch_id TEXT NOT NULL REFERENCES batches(id),"
	"  name TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  received TEXT NOT NULL,"
	"  PRIMARY KEY (sha256, batch_id)"
	") STRICT;"
	"CREATE TABLE stage_runs ("
	"  batch_id TEXT NOT NULL REFERENCES batches(id),"
	"  stage TEXT NOT NULL CHECK (stage IN ('validate','assign','render','pack','notify')),"
	"  attempt INTEGER NOT NULL,"
	"  started TEXT NOT NULL,"
	"  finished TEXT,"
	"  exit_code INTEGER,"
	"  outcome TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ('running','ok','failed')),"
	"  counts TEXT,"
	"  PRIMARY KEY (batch_id, stage, attempt)"
	") STRICT;"
	"CREATE TABLE awards ("
	"  id INTEGER PRIMARY KEY,"
	"  enrolment TEXT NOT NULL,"
	"  qualification TEXT NOT NULL,"
	"  awarded TEXT NOT NULL,"
	"  qualification_title TEXT NOT NULL,"
	"  level INTEGER NOT NULL,"
	"  candidate TEXT NOT NULL,"
	"  first_name TEXT NOT NULL,"
	"  middle_names TEXT,"
	"  last_name TEXT NOT NULL,"
	"  dob TEXT NOT NULL,"
	"  email TEXT,"
	"  grade TEXT NOT NULL,"
	"  centre TEXT NOT NULL,"
	"  centre_name TEXT NOT NULL,"
	"  course_run TEXT NOT NULL,"
	"  batch_id TEXT NOT NULL REFERENCES batches(id),"
	"  UNIQUE (enrolment, qualification, awarded)"
	") STRICT;"
	"CREATE INDEX awards_by_name ON awards (last_name COLLATE NOCASE, dob);"
	"CREATE INDEX awards_by_candidate ON awards (candidate);"
	"CREATE INDEX awards_by_batch ON awards (batch_id);"
	"CREATE INDEX awards_by_first_name ON awards (first_name COLLATE NOCASE);"
	/* serial + issue: NNNNNNNN-II; a replacement keeps the serial. */
	"CREATE TABLE documents ("
	"  reference TEXT PRIMARY KEY,"
	"  serial INTEGER NOT NULL,"
	"  issue INTEGER NOT NULL CHECK (issue BETWEEN 1 AND 99),"
	"  award_id INTEGER NOT NULL REFERENCES awards(id),"
	"  type TEXT NOT NULL CHECK (type IN ('certificate','transcript','letter')),"
	"  issued TEXT NOT NULL,"
	"  expires TEXT,"
	"  status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid','superseded','revoked')),"
	"  status_reason TEXT,"
	"  status_changed TEXT,"
	/* NULL for a replacement until a print run carries it. */
	"  batch_id TEXT REFERENCES batches(id),"
	"  UNIQUE (serial, issue),"
	"  UNIQUE (award_id, type, issue)"
	") STRICT;"
	"CREATE INDEX documents_by_award ON documents (award_id);"
	/* Every serial ever drawn, so none is reused whatever happens to documents. */
	"CREATE TABLE serials ("
	"  serial INTEGER PRIMARY KEY CHECK (serial BETWEEN 0 AND 99999999)"
	") STRICT;"
	"CREATE TABLE reprints ("
	"  id INTEGER PRIMARY KEY,"
	"  original TEXT NOT NULL REFERENCES documents(reference),"
	"  replacement TEXT NOT NULL UNIQUE REFERENCES documents(reference),"
	"  reason TEXT NOT NULL,"
	"  ordered TEXT NOT NULL,"
	"  print_batch_id TEXT REFERENCES batches(id)"
	") STRICT;"
	"CREATE TABLE notifications ("
	"  batch_id TEXT NOT NULL REFERENCES batches(id),"
	"  enrolment TEXT NOT NULL,"
	"  recipient TEXT,"
	"  message_id TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN"
	"    ('intent','sent','deferred','failed','not-notifiable')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  reply TEXT,"
	"  updated TEXT NOT NULL,"
	"  PRIMARY KEY (batch_id, enrolment)"
	") STRICT;"
	"CREATE TABLE exports ("
	"  batch_id TEXT NOT NULL REFERENCES batches(id),"
	"  centre TEXT NOT NULL,"
	"  file TEXT NOT NULL,"
	"  created TEXT NOT NULL,"
	"  expires TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('pending','finished','expired','failed')),"
	"  receipt_by TEXT,"
	"  receipt_at TEXT,"
	"  PRIMARY KEY (batch_id, centre)"
	") STRICT;",
	/* 1 -> 2: zip passwords, set by an operator (certpress export-password);
	 * libzip needs them in clear, so the registry file is the secret */
	"CREATE TABLE export_passwords ("
	"  centre TEXT PRIMARY KEY,"
	"  password TEXT NOT NULL,"
	"  set_at TEXT NOT NULL"
	") STRICT;"
	"ALTER TABLE exports ADD COLUMN sha256 TEXT;"
	"ALTER TABLE exports ADD COLUMN bytes INTEGER;"
	"ALTER TABLE exports ADD COLUMN swept TEXT;",
	/* 2 -> 3: notify pages through a batch's learners by enrolment */
	"CREATE INDEX awards_by_batch_enrolment ON awards (batch_id, enrolment);",
	/* 3 -> 4: when a pack first published a document (its batch's zip and
	 * print file, or the print file carrying a replacement); a document is
	 * issued from then on. Those packed before count from their pack's end. */
	"ALTER TABLE documents ADD COLUMN published TEXT;"
	"UPDATE documents SET published = (SELECT min(s.finished) FROM stage_runs s"
	"  WHERE s.batch_id = documents.batch_id AND s.stage = 'pack' AND s.outcome = 'ok')"
	" WHERE batch_id IS NOT NULL;"
	"UPDATE documents SET published = (SELECT min(s.finished) FROM reprints p"
	"  JOIN stage_runs s ON s.batch_id = p.print_batch_id AND s.stage = 'pack'"
	"  AND s.outcome = 'ok' WHERE p.replacement = documents.reference)"
	" WHERE batch_id IS NULL;",
};
_Static_assert(sizeof(migrations) / sizeof(*migrations) == CP_REGISTRY_VERSION,
	       "one migration per schema version");

static int db_error(struct cp_registry *r, const char *what)
{
	return cp_error("%s: %s: %s", r->path, what, sqlite3_errmsg(r->db));
}

int cp_registry_exec(struct cp_registry *r, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(r->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		cp_error("%s: %s", r->path, err ? err : "error");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

sqlite3_stmt *cp_registry_prepare(struct cp_registry *r, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_error(r, "cannot prepare a query");
		return NULL;
	}
	return st;
}

int cp_registry_scalar(struct cp_registry *r, const char *sql, const char *a1, const char *a2,
		       long *out)
{
	sqlite3_stmt *st = cp_registry_prepare(r, sql);
	int rc;

	*out = 0;
	if (!st)
		return -1;
	if (a1)
		sqlite3_bind_text(st, 1, a1, -1, SQLITE_STATIC);
	if (a2)
		sqlite3_bind_text(st, 2, a2, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(r, "cannot read");
	return 0;
}

int cp_registry_begin(struct cp_registry *r)
{
	return cp_registry_exec(r, "BEGIN IMMEDIATE");
}

int cp_registry_commit(struct cp_registry *r)
{
	if (cp_fault_check(CP_FAULT_COMMIT) < 0) {
		cp_registry_rollback(r);
		return cp_error("%s: commit failed (injected fault)", r->path);
	}
	return cp_registry_exec(r, "COMMIT");
}

void cp_registry_rollback(struct cp_registry *r)
{
	if (!sqlite3_get_autocommit(r->db))
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
}

static int user_version(struct cp_registry *r, int *version)
{
	sqlite3_stmt *st = cp_registry_prepare(r, "PRAGMA user_version");

	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_error(r, "cannot read the schema version");
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int migrate(struct cp_registry *r)
{
	int version;
	char *sql;

	if (user_version(r, &version) < 0)
		return -1;
	if (version == CP_REGISTRY_VERSION)
		return 0;
	if (cp_registry_begin(r) < 0)
		return -1;
	/* Read again: another process may have migrated while we waited. */
	if (user_version(r, &version) < 0)
		goto fail;
	if (version > CP_REGISTRY_VERSION) {
		cp_error("%s: schema version %d is newer than this program's (%d)", r->path,
			 version, CP_REGISTRY_VERSION);
		goto fail;
	}
	for (int v = version; v < CP_REGISTRY_VERSION; v++)
		if (cp_registry_exec(r, migrations[v]) < 0)
			goto fail;
	sql = cp_xasprintf("PRAGMA user_version = %d", CP_REGISTRY_VERSION);
	if (cp_registry_exec(r, sql) < 0) {
		free(sql);
		goto fail;
	}
	free(sql);
	return cp_registry_commit(r);
fail:
	cp_registry_rollback(r);
	return -1;
}

/* Switching a new database to WAL needs it alone; when two processes
 * create it at once SQLite answers BUSY at once, without waiting (waiting
 * could deadlock), so the switch is tried again for up to 30 seconds. */
static int wal_mode(struct cp_registry *r)
{
	for (int i = 0; i < 1500; i++) {
		int rc = sqlite3_exec(r->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);

		if (rc == SQLITE_OK)
			return 0;
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		usleep(20000);
	}
	return db_error(r, "cannot switch to WAL");
}

int cp_registry_open(struct cp_registry *r, const char *path)
{
	char *copy = cp_xstrdup(path);
	int rc;

	memset(r, 0, sizeof(*r));
	r->path = cp_xstrdup(path);
	rc = cp_mkdirs(dirname(copy));
	free(copy);
	if (rc < 0)
		goto fail;
	if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		cp_error("%s: cannot open the registry: %s", path,
			 r->db ? sqlite3_errmsg(r->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(r->db, 30000);
	if (wal_mode(r) < 0 ||
	    cp_registry_exec(r, "PRAGMA synchronous = NORMAL") < 0 ||
	    cp_registry_exec(r, "PRAGMA foreign_keys = ON") < 0 || migrate(r) < 0)
		goto fail;
	return 0;
fail:
	cp_registry_close(r);
	return -1;
}

/* Whether this process may write the registry (and its -wal, -shm), or
 * create it and the folders missing above it. */
static bool writable(const char *path)
{
	char *copy = cp_xstrdup(path), *dir = dirname(copy);
	bool w;

	if (access(path, F_OK) == 0) {
		w = access(path, W_OK) == 0 && access(dir, W_OK) == 0;
	} else {
		while (access(dir, F_OK) != 0 && strcmp(dir, "/") && strcmp(dir, "."))
			dir = dirname(dir);
		w = access(dir, W_OK) == 0;
	}
	free(copy);
	return w;
}

/* A "file:" URI for path with its query (SQLite decodes %HH). */
static char *file_uri(const char *path, const char *query)
{
	size_t n = strlen(path);
	char *uri = cp_xmalloc(3 * n + strlen(query) + 8), *o = uri;

	o += snprintf(o, 6, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ' || *p >= 0x7f)
			o += snprintf(o, 4, "%%%02X", *p);
		else
			*o++ = (char)*p;
	snprintf(o, strlen(query) + 2, "?%s", query);
	return uri;
}

static int open_ro(struct cp_registry *r, const char *query)
{
	char *uri = file_uri(r->path, query);
	int rc, version = -1;

	rc = sqlite3_open_v2(uri, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(r->db, 30000);
		rc = sqlite3_exec(r->db, "PRAGMA user_version", NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		sqlite3_close(r->db);
		r->db = NULL;
		return -1;
	}
	if (user_version(r, &version) < 0)
		return -1;
	if (version != CP_REGISTRY_VERSION)
		return cp_error("%s: schema version %d, this program's is %d: open it once where it "
				"can be written to bring it up to date", r->path, version,
				CP_REGISTRY_VERSION);
	return 0;
}

int cp_registry_open_read(struct cp_registry *r, const char *path)
{
	if (writable(path))
		return cp_registry_open(r, path);
	memset(r, 0, sizeof(*r));
	r->path = cp_xstrdup(path);
	r->readonly = true;
	/* a WAL database needs its -shm: where it cannot be made, as immutable
	 * (nothing can write it through this path anyway) */
	if (open_ro(r, "mode=ro") == 0 || (!r->db && open_ro(r, "immutable=1") == 0))
		return 0;
	if (!r->db)
		cp_error("%s: cannot open the registry read-only", path);
	cp_registry_close(r);
	return -1;
}

void cp_registry_close(struct cp_registry *r)
{
	sqlite3_finalize(r->award_lookup);
	if (r->db)
		sqlite3_close(r->db);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

static void copy_text(char *dst, size_t n, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(dst, n, "%s", t ? (const char *)t : "");
}

int cp_registry_results_seen(struct cp_registry *r, const char *sha256,
			     char batch[CP_BATCH_ID_MAX])
{
	sqlite3_stmt *st = cp_registry_prepare(r,
		"SELECT b.id FROM results_files f JOIN batches b ON b.id = f.batch_id"
		" WHERE f.sha256 = ?1 AND b.status <> 'failed' ORDER BY b.id LIMIT 1");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		copy_text(batch, CP_BATCH_ID_MAX, st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(r, "cannot look up a results file");
	return rc == SQLITE_ROW;
}

static int batch_exists(struct cp_registry *r, const char *id)
{
	sqlite3_stmt *st = cp_registry_prepare(r, "SELECT 1 FROM batches WHERE id = ?1");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(r, "cannot look up a batch");
	return rc == SQLITE_ROW;
}

int cp_registry_batch_create(struct cp_registry *r, const char *sha256, const char *name,
			     long long size, char id[CP_BATCH_ID_MAX])
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
	st = cp_registry_prepare(r, "INSERT INTO batches (id, results_name, results_sha256, created)"
				    " VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, stamp, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(r, "cannot record a batch");
		goto out;
	}
	sqlite3_finalize(st);
	st = cp_registry_prepare(r, "INSERT INTO results_files (sha256, batch_id, name, size,"
				    " received) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, size);
	sqlite3_bind_text(st, 5, stamp, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		db_error(r, "cannot record a results file");
	else
		rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* Run a statement whose parameters are all text (NULL allowed). */
static int run_text(struct cp_registry *r, const char *sql, const char *what, int n, ...)
{
	sqlite3_stmt *st = cp_registry_prepare(r, sql);
	va_list ap;
	int rc;

	if (!st)
		return -1;
	va_start(ap, n);
	for (int i = 1; i <= n; i++) {
		const char *v = va_arg(ap, const char *);

		if (v)
			sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	}
	va_end(ap);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(r, what);
	return 0;
}

int cp_registry_batch_set_status(struct cp_registry *r, const char *id, const char *status,
				 const char *reason)
{
	return run_text(r, "UPDATE batches SET status = ?2, reason = ?3 WHERE id = ?1",
			"cannot update a batch", 3, id, status, reason);
}

int cp_registry_batch_set_header(struct cp_registry *r, const char *id,
				 const char *submission, const char *centre)
{
	return run_text(r, "UPDATE batches SET submission = ?2, centre = ?3 WHERE id = ?1",
			"cannot update a batch", 3, id, submission, centre);
}

int cp_registry_stage_start(struct cp_registry *r, const char *batch, const char *stage,
			    int *attempt)
{
	sqlite3_stmt *st;
	char stamp[32];
	int rc;

	cp_time_stamp(stamp, sizeof(stamp));
	st = cp_registry_prepare(r,
		"INSERT INTO stage_runs (batch_id, stage, attempt, started)"
		" SELECT ?1, ?2, coalesce(max(attempt), 0) + 1, ?3 FROM stage_runs"
		" WHERE batch_id = ?1 AND stage = ?2 RETURNING attempt");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, stage, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, stamp, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*attempt = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_error(r, "cannot record a stage's start");
	return 0;
}

/* End one attempt, or (attempt 0) every attempt a crash left running. */
static int stage_end(struct cp_registry *r, const char *batch, const char *stage, int attempt,
		     int exit_code, const char *counts)
{
	sqlite3_stmt *st;
	char stamp[32];
	int rc;

	cp_time_stamp(stamp, sizeof(stamp));
	st = cp_registry_prepare(r,
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
		return db_error(r, "cannot record a stage's end");
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

	if (cp_registry_scalar(r, "SELECT count(*) FROM stage_runs WHERE batch_id = ?1"
				  " AND stage = ?2 AND outcome = 'running'", batch, stage, &n) < 0)
		return -1;
	return n > 0;
}

int cp_registry_stage_close_dead(struct cp_registry *r, const char *batch, const char *stage,
				 int exit_code, const char *counts)
{
	return stage_end(r, batch, stage, 0, exit_code, counts);
}

int cp_registry_award_elsewhere(struct cp_registry *r, const char *enrolment,
				const char *qualification, const char *awarded,
				const char *batch, char other[CP_BATCH_ID_MAX])
{
	sqlite3_stmt *st;
	int rc;

	if (!r->award_lookup && !(r->award_lookup = cp_registry_prepare(r,
		"SELECT batch_id FROM awards WHERE enrolment = ?1 AND qualification = ?2"
		" AND awarded = ?3 AND batch_id <> ?4")))
		return -1;
	st = r->award_lookup;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, enrolment, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, qualification, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, awarded, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, batch, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		copy_text(other, CP_BATCH_ID_MAX, st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(r, "cannot look up an award");
	return rc == SQLITE_ROW;
}

/* Both statements take the award (?1) and the batch (?2). */
static int run_award(struct cp_registry *r, const char *sql, long long award, const char *batch,
		     int *row)
{
	sqlite3_stmt *st = cp_registry_prepare(r, sql);
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
		return db_error(r, "cannot read or change an award");
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
		"DELETE FROM documents WHERE award_id IN"
		" (SELECT id FROM awards WHERE id = ?1 AND batch_id = ?2)",
		"DELETE FROM awards WHERE id = ?1 AND batch_id = ?2",
	};

	for (size_t i = 0; i < sizeof(steps) / sizeof(*steps); i++)
		if (run_award(r, steps[i], award, batch, NULL) < 0)
			return -1;
	return 0;
}
