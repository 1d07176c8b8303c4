/* The registry: what outlives a batch, in SQLite (WAL, busy timeout, STRICT
 * tables). The schema is versioned with PRAGMA user_version and every
 * migration is applied in one transaction. Every function prints its own
 * message and returns -1 on error. */
#ifndef CP_REGISTRY_H
#define CP_REGISTRY_H

#include <sqlite3.h>
#include <stdbool.h>

#include "spool.h"

#define CP_REGISTRY_VERSION 4

struct cp_registry {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *award_lookup; /* prepared once, used per learner */
	bool readonly;              /* opened by cp_registry_open_read on a read-only spool */
};

/* Open (creating the file and its folder) and bring the schema up to date. */
int cp_registry_open(struct cp_registry *r, const char *path);
/* Open for a command that only reads (status, verify, show, search): as
 * cp_registry_open where the registry can be written; where it cannot (a
 * read-only mount, a folder the user may not write) read-only, creating
 * nothing, without the WAL switch or migrations (the schema must be this
 * program's), and as immutable if SQLite cannot read its WAL index there.
 * r->readonly then. */
int cp_registry_open_read(struct cp_registry *r, const char *path);
void cp_registry_close(struct cp_registry *r);

/* The first column of the first row of sql with text parameters ?1 and
 * ?2 (NULL: not bound) into *out, 0 when there is no row. 0 or -1. */
int cp_registry_scalar(struct cp_registry *r, const char *sql, const char *a1, const char *a2,
		       long *out);

/* BEGIN IMMEDIATE, so a writer waits for the other writers up front. */
int cp_registry_begin(struct cp_registry *r);
int cp_registry_commit(struct cp_registry *r);
void cp_registry_rollback(struct cp_registry *r);
int cp_registry_exec(struct cp_registry *r, const char *sql);
/* Prepare sql or report why not; NULL on error. */
sqlite3_stmt *cp_registry_prepare(struct cp_registry *r, const char *sql);

/* The batch (not failed) that already took a results file with this
 * SHA-256. Returns 1 and fills batch if there is one, 0 if none. */
int cp_registry_results_seen(struct cp_registry *r, const char *sha256,
			     char batch[CP_BATCH_ID_MAX]);
/* Record a new batch for a results file and the file itself; the id is
 * chosen here, unique in the registry. Call inside a transaction. */
int cp_registry_batch_create(struct cp_registry *r, const char *sha256, const char *name,
			     long long size, char id[CP_BATCH_ID_MAX]);
/* status is "open", "done" or "failed"; reason may be NULL. */
int cp_registry_batch_set_status(struct cp_registry *r, const char *id, const char *status,
				 const char *reason);
int cp_registry_batch_set_header(struct cp_registry *r, const char *id,
				 const char *submission, const char *centre);

/* A stage's start (a new attempt) and its end with exit code and counts
 * (a JSON object, may be NULL). */
int cp_registry_stage_start(struct cp_registry *r, const char *batch, const char *stage,
			    int *attempt);
int cp_registry_stage_finish(struct cp_registry *r, const char *batch, const char *stage,
			     int attempt, int exit_code, const char *counts);

/* Mark attempts still "running" (their process died) as ended with code;
 * a code below 0 (CP_REGISTRY_CRASHED) records none: the process died
 * without saying how (status shows "crashed at STAGE"). */
#define CP_REGISTRY_CRASHED (-1)
int cp_registry_stage_close_running(struct cp_registry *r, const char *batch,
				    const char *stage, int exit_code);
/* 1 if an attempt of the stage on the batch is recorded "running", 0 if
 * not, -1 on error. */
int cp_registry_stage_running(struct cp_registry *r, const char *batch, const char *stage);
/* The same with counts (JSON, NULL: unchanged), e.g. {"signal":"SIGKILL"}
 * when run saw the stage killed. */
int cp_registry_stage_close_dead(struct cp_registry *r, const char *batch, const char *stage,
				 int exit_code, const char *counts);

/* 1 if an award for (enrolment, qualification, awarded) exists in a batch
 * other than this one (its id in other), 0 if not. */
int cp_registry_award_elsewhere(struct cp_registry *r, const char *enrolment,
				const char *qualification, const char *awarded,
				const char *batch, char other[CP_BATCH_ID_MAX]);

/* 1 if the award is still the batch's, 0 if it is not (render withdrew
 * it), -1 on error. */
int cp_registry_award_of_batch(struct cp_registry *r, long long award, const char *batch);
/* Withdraw an award render refused before any of its documents was made:
 * its documents, any reprint order of them, and the award itself, if it is
 * the batch's (none of it was ever issued; the serials stay drawn, never
 * used again). So the same award in a corrected file is not a duplicate.
 * Inside the caller's transaction. */
int cp_registry_award_withdraw(struct cp_registry *r, long long award, const char *batch);

#endif
