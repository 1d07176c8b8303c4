/* The registry's batches, the results files they took and their stages'
 * attempts (tables batches, results_files, stage_runs). Include
 * "registry.h". */
#ifndef CP_REGISTRY_BATCHES_H
#define CP_REGISTRY_BATCHES_H

#include <stdbool.h>

#include "spool.h"

struct cp_registry;

/* The batch (not failed) that already took a results file with this
 * SHA-256. Returns 1 and fills batch if there is one, 0 if none. */
int cp_registry_results_seen(struct cp_registry *r, const char *sha256,
			     char batch[CP_BATCH_ID_MAX]);
/* Record a new batch for a results file and the file itself, and who
 * started it (by); the id is chosen here, unique in the registry. Call
 * inside a transaction. */
int cp_registry_batch_create(struct cp_registry *r, const char *sha256, const char *name,
			     long long size, const char *by, char id[CP_BATCH_ID_MAX]);
/* status is "open", "done" or "failed"; reason may be NULL. */
int cp_registry_batch_set_status(struct cp_registry *r, const char *id, const char *status,
				 const char *reason);
/* The results file's submission id, centre and the centre's email (NULL
 * if it gives none: kept as the centre's address where the centres
 * register has none, registry/centremails.h). */
int cp_registry_batch_set_header(struct cp_registry *r, const char *id,
				 const char *submission, const char *centre,
				 const char *centre_email);
/* The name the batch's results file came with (caller frees), or NULL. */
char *cp_registry_batch_results_name(struct cp_registry *r, const char *id);
/* The SHA-256 (hex) of the batch's results file: 1 with sha filled, 0 if
 * the registry has none. */
int cp_registry_batch_results_sha256(struct cp_registry *r, const char *id, char sha[65]);
/* 1 if the batch is recorded failed, 0 if not (or unknown), -1 on error. */
int cp_registry_batch_failed(struct cp_registry *r, const char *id);
/* 1 if the batch is recorded done, 0 if not (or unknown), -1 on error. */
int cp_registry_batch_done(struct cp_registry *r, const char *id);

/* A batch as the registry holds it, copied; finished is its last stage's
 * end (NULL if none), started_by who started it (NULL: a batch from before
 * that was recorded). */
struct cp_batch_row {
	char *id, *status, *created, *results_name, *finished, *started_by;
	long reprints; /* the reprints its print file carried */
};
/* Every batch id in order. The callback may read the registry; a -1 from
 * it stops the walk and is returned. */
int cp_registry_batch_ids(struct cp_registry *r, int (*fn)(void *ctx, const char *id), void *ctx);
/* Every batch in order, with finished and reprints, read whole into *rows
 * (*n of them; cp_batch_rows_free) before the caller sees one, so it may
 * write the registry as it goes through them. 0 or -1. */
int cp_registry_batches_list(struct cp_registry *r, struct cp_batch_row **rows, size_t *n);
void cp_batch_rows_free(struct cp_batch_row *rows, size_t n);
/* One batch (no finished, no reprints), copied: 1 found, 0 not, -1. */
struct cp_batch_info {
	char *status, *created, *results_name, *reason, *started_by;
};
int cp_registry_batch_find(struct cp_registry *r, const char *id, struct cp_batch_info *b);
void cp_batch_info_release(struct cp_batch_info *b);

/* A batch's counts: learners accepted, rejected and held (its last good
 * validate), documents issued, learners' emails sent, deferred (a recorded
 * intent counts as deferred) and failed. 0 where the registry cannot say
 * (it said why). */
struct cp_batch_counts {
	long accepted, rejected, held, documents, sent, deferred, failed, not_notifiable;
};
void cp_registry_batch_counts(struct cp_registry *r, const char *id, struct cp_batch_counts *c);

/* A stage's start (a new attempt, run by the user by) and its end with
 * exit code and counts (a JSON object, may be NULL). */
int cp_registry_stage_start(struct cp_registry *r, const char *batch, const char *stage,
			    const char *by, int *attempt);
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
/* How many of the batch's attempts (any stage) are recorded "running";
 * 0 if the registry cannot say. */
long cp_registry_stage_running_count(struct cp_registry *r, const char *batch);

/* A stage's last attempt on a batch: 1 and *a filled, 0 if it has none. */
struct cp_stage_attempt {
	char outcome[16];  /* "running", "ok", "failed" */
	bool has_exit;     /* false: it died without saying how */
	int exit_code;
	char signal[16];   /* "SIGKILL" where run saw it killed, else "" */
};
int cp_registry_stage_last(struct cp_registry *r, const char *batch, const char *stage,
			   struct cp_stage_attempt *a);
/* Every attempt on a batch, by start (stages in order, attempts in order
 * within one start). Strings are "" where the registry has nothing. */
struct cp_stage_run_row {
	const char *stage, *started, *finished, *exit_code, *outcome, *counts, *by;
	int attempt;
};
int cp_registry_stage_runs_each(struct cp_registry *r, const char *batch,
				int (*fn)(void *ctx, const struct cp_stage_run_row *s), void *ctx);

#endif
