/* The registry's connection: opening (WAL, busy timeout, foreign keys,
 * migrations; read-only where the file cannot be written), transactions,
 * and the helpers every table family uses. */
#include "registry/internal.h"

#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doctype.h"
#include "util/atomic.h"
#include "util/exitcode.h"
#include "util/fault.h"
#include "util/fold.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define CP_STR_(x) #x
#define CP_STR(x) CP_STR_(x)

/* Set once an operation gave up waiting for another process's write
 * transaction (the busy timeout): the process then exits 75, as for a
 * locked batch, and a retry goes on once the holder is done. */
static bool gave_up_waiting;

#define BUSY_SECONDS 30

static const char *busy_note(struct cp_registry *r)
{
	if ((sqlite3_errcode(r->db) & 0xff) != SQLITE_BUSY)
		return "";
	gave_up_waiting = true;
	return " (another process held its write lock for " CP_STR(BUSY_SECONDS) " s: try again later)";
}

bool cp_registry_gave_up_waiting(void)
{
	return gave_up_waiting;
}

int cp_registry_exit(int rc)
{
	return rc != 0 && rc != CP_EX_USAGE && gave_up_waiting ? CP_EX_TEMPFAIL : rc;
}

int cp_reg_error(struct cp_registry *r, const char *what)
{
	return cp_error("%s: %s: %s%s", r->path, what, sqlite3_errmsg(r->db), busy_note(r));
}

int cp_reg_exec(struct cp_registry *r, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(r->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		cp_error("%s: %s%s", r->path, err ? err : "error", busy_note(r));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

sqlite3_stmt *cp_reg_prepare(struct cp_registry *r, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		cp_reg_error(r, "cannot prepare a query");
		return NULL;
	}
	return st;
}

sqlite3_stmt *cp_reg_cached(struct cp_registry *r, enum cp_reg_cached id, const char *sql)
{
	if (!r->cached[id] && !(r->cached[id] = cp_reg_prepare(r, sql)))
		return NULL;
	sqlite3_reset(r->cached[id]);
	sqlite3_clear_bindings(r->cached[id]);
	return r->cached[id];
}

int cp_reg_scalar(struct cp_registry *r, const char *sql, const char *a1, const char *a2,
		  long *out)
{
	sqlite3_stmt *st = cp_reg_prepare(r, sql);
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
		return cp_reg_error(r, "cannot read");
	return 0;
}

static int run_text(struct cp_registry *r, const char *sql, const char *what, int n, va_list ap)
{
	sqlite3_stmt *st = cp_reg_prepare(r, sql);
	int rc;

	if (!st)
		return -1;
	for (int i = 1; i <= n; i++) {
		const char *v = va_arg(ap, const char *);

		if (v)
			sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_reg_error(r, what);
	return 0;
}

int cp_reg_run_text(struct cp_registry *r, const char *sql, const char *what, int n, ...)
{
	va_list ap;
	int rc;

	va_start(ap, n);
	rc = run_text(r, sql, what, n, ap);
	va_end(ap);
	return rc;
}

int cp_reg_run_text_alone(struct cp_registry *r, const char *sql, const char *what, int n, ...)
{
	va_list ap;
	long changed;
	int rc;

	if (cp_registry_begin(r) < 0)
		return -1;
	va_start(ap, n);
	rc = run_text(r, sql, what, n, ap);
	va_end(ap);
	changed = cp_reg_changes(r);
	if (rc < 0 || cp_registry_commit(r) < 0) {
		cp_registry_rollback(r);
		return -1;
	}
	return changed > 0;
}

long cp_reg_changes(struct cp_registry *r)
{
	return (long)sqlite3_changes(r->db);
}

void cp_reg_bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

const char *cp_reg_col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

char *cp_reg_dup(sqlite3_stmt *st, int i)
{
	const char *t = cp_reg_col(st, i);

	return t ? cp_xstrdup(t) : NULL;
}

void cp_reg_copy(char *dst, size_t n, sqlite3_stmt *st, int i)
{
	const char *t = cp_reg_col(st, i);

	snprintf(dst, n, "%s", t ? t : "");
}

int cp_registry_begin(struct cp_registry *r)
{
	return cp_reg_exec(r, "BEGIN IMMEDIATE");
}

int cp_registry_commit(struct cp_registry *r)
{
	if (cp_fault_check(CP_FAULT_COMMIT) < 0) {
		cp_registry_rollback(r);
		return cp_error("%s: commit failed (injected fault)", r->path);
	}
	return cp_reg_exec(r, "COMMIT");
}

void cp_registry_rollback(struct cp_registry *r)
{
	if (!sqlite3_get_autocommit(r->db))
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
}

/* doctype_rank(type): a document type's place in print order, from the one
 * table of document types (doctype.c), so SQL sorts by it without a copy. */
static void doctype_rank(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_int(ctx, cp_doctype_rank((const char *)sqlite3_value_text(argv[0])));
}

/* cp_fold(text): a name's search key (util/fold.h), so the registry makes
 * keys (a migration's backfill, each award added) as search makes them. */
static void fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char *key = cp_fold((const char *)sqlite3_value_text(argv[0]));

	(void)argc;
	if (key)
		sqlite3_result_text(ctx, key, -1, free);
	else
		sqlite3_result_null(ctx);
}

static int functions(struct cp_registry *r)
{
	if (sqlite3_create_function_v2(r->db, "doctype_rank", 1,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				       doctype_rank, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(r->db, "cp_fold", 1,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				       fold, NULL, NULL, NULL) != SQLITE_OK)
		return cp_reg_error(r, "cannot add a function");
	return 0;
}

/* Switching a new database to WAL needs it alone; when two processes
 * create it at once SQLite answers BUSY at once, without waiting (waiting
 * could deadlock), so the switch is tried again for up to 30 seconds. */
static bool writable(const char *path);

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
	if (!writable(r->path))
		return cp_error("%s: cannot write the registry: it or its folder is read-only (%s)",
				r->path, strerror(errno));
	return cp_reg_error(r, "cannot switch to WAL");
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
	sqlite3_busy_timeout(r->db, BUSY_SECONDS * 1000);
	if (wal_mode(r) < 0 ||
	    /* every commit synced (WAL's NORMAL leaves the last ones to a
	     * checkpoint): the stages write files that rely on a commit made
	     * just before (assigned.xml on the references, notify's handover
	     * journal emptied once the outcomes are in), and a power cut must
	     * never keep the file and lose the commit. A batch makes a few
	     * dozen commits: the syncs cost nothing measurable */
	    cp_reg_exec(r, "PRAGMA synchronous = FULL") < 0 ||
	    cp_reg_exec(r, "PRAGMA foreign_keys = ON") < 0 ||
	    /* what a row held before it was deleted or rewritten (a clear zip
	     * password, a learner's old address) is zeroed, not left in the file */
	    cp_reg_exec(r, "PRAGMA secure_delete = ON") < 0 || functions(r) < 0 ||
	    cp_reg_migrate(r) < 0)
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
		sqlite3_busy_timeout(r->db, BUSY_SECONDS * 1000);
		rc = sqlite3_exec(r->db, "PRAGMA user_version", NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		sqlite3_close(r->db);
		r->db = NULL;
		return -1;
	}
	if (cp_reg_user_version(r, &version) < 0)
		return -1;
	if (version != CP_REGISTRY_VERSION)
		return cp_error("%s: schema version %d, this program's is %d: open it once where it "
				"can be written to bring it up to date", r->path, version,
				CP_REGISTRY_VERSION);
	return functions(r);
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
	for (int i = 0; i < CP_REGISTRY_NCACHED; i++)
		sqlite3_finalize(r->cached[i]);
	if (r->db)
		sqlite3_close(r->db);
	free(r->path);
	memset(r, 0, sizeof(*r));
}
