/* A stage at work on one batch, the part every BATCH stage shares: the
 * spool, the batch named by id or folder, its lock, the registry, and the
 * stage's attempt recorded from start to end. */
#ifndef CP_STAGE_H
#define CP_STAGE_H

#include <stdbool.h>

#include "conf.h"
#include "registry.h"
#include "spool.h"

struct cp_stage {
	const char *name; /* "assign", "render", ... */
	struct cp_spool spool;
	struct cp_registry reg;
	char batch[CP_BATCH_ID_MAX];
	char *dir;        /* the batch folder */
	int lock, attempt;
};

/* Open the spool and the registry, find the batch, take its lock (or the
 * one its parent handed over, see cp_batch_lock), close the attempts a dead
 * process left running. Returns 0 or the exit code (66 no such batch, 75
 * locked, 73 or 74). */
int cp_stage_open(struct cp_stage *s, const char *name, const struct cp_conf *conf,
		  const char *batch_arg);
/* True if the batch folder holds the file. */
bool cp_stage_has(const struct cp_stage *s, const char *file);
/* The stages in order and the file each one writes last (its presence means
 * the stage is done for the batch). */
#define CP_NSTAGES 5
extern const char *const cp_stage_names[CP_NSTAGES];
extern const char *const cp_stage_outputs[CP_NSTAGES];
/* The first stage whose output is missing from the batch folder dir, or
 * CP_NSTAGES when the batch is complete. */
int cp_stage_next(const char *dir);

/* True if validate refused the batch's results file as a whole (its
 * "failed" marker is there): nothing is left to do for it. */
bool cp_stage_refused(const char *dir);
/* Close the attempts on the batch that a dead process left "running": as
 * done (exit 0) where the stage's output is there (it died after its last
 * rename), else as crashed. Call only while holding the batch's lock: then
 * no process is at work on it but the caller's own children. */
void cp_stage_reconcile(struct cp_registry *reg, const char *dir, const char *batch);

#define CP_STAGE_DONE 1
/* Whether the stage has work on the batch: CP_STAGE_DONE if its output is
 * there (an attempt a crash left "running" is closed as done), 0 if the
 * input the stage before made is there, else 66 with a message. */
int cp_stage_ready(struct cp_stage *s, const char *output, const char *input,
		   const char *before);
/* Record a new attempt and remove the temp files a killed attempt left in
 * the batch folder and every folder below it (under the lock, no writer is
 * alive there). Returns 0 or 74. */
int cp_stage_begin(struct cp_stage *s);
/* Record the attempt's end with its exit code and counts (JSON or NULL). */
void cp_stage_end(struct cp_stage *s, int code, const char *counts);
void cp_stage_close(struct cp_stage *s);

/* What a stage keeps in the batch folder while it works besides its
 * output: files whose names start with its journal prefix (render: one
 * journal per worker, CP_RENDER_JOURNAL_PREFIX + the worker's number), or
 * NULL for a stage without. By index, as cp_stage_names. */
#define CP_STAGE_RENDER 2
#define CP_RENDER_JOURNAL_PREFIX "render.journal."
extern const char *const cp_stage_journals[CP_NSTAGES];
/* Remove stage i's journals from the batch folder dir. */
void cp_stage_remove_journals(const char *dir, int i);
/* Make the stages from 'from' on do their work on the batch in dir again
 * (retry --from): their outputs removed, the last stage's first, and their
 * journals. What the registry holds stays (references, sent emails). 0, or
 * -1 with a message. */
int cp_stage_forget(const char *dir, int from);

#endif
