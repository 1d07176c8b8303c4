/* A stage at work on one batch, the part every BATCH stage shares: the
 * spool, the batch named by id or folder, its lock, the registry, and the
 * stage's attempt recorded from start to end. */
#ifndef CP_STAGE_H
#define CP_STAGE_H

#include <stdbool.h>
#include <stdio.h>

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

/* The stages in order and the file each one writes last (its presence means
 * the stage is done for the batch); a stage after validate reads the file
 * the stage before it wrote. */
#define CP_NSTAGES 5
extern const char *const cp_stage_names[CP_NSTAGES];
extern const char *const cp_stage_outputs[CP_NSTAGES];
/* pack's index there (the approval gate), notify's (certpress notify,
 * set-email). */
#define CP_STAGE_PACK 3
#define CP_STAGE_NOTIFY 4
/* The first stage whose output is missing from the batch folder dir, or
 * CP_NSTAGES when the batch is complete. */
int cp_stage_next(const char *dir);

#define CP_STAGE_DONE 1
/* The start every BATCH stage (assign, render, pack, notify: name) shares,
 * driven by the tables above. Open the spool, find the batch (its id or
 * folder), take its lock (or the one its parent handed over, see
 * cp_batch_lock), open the registry and close the attempts a dead process
 * left running (cp_stage_reconcile); then see whether the stage has work:
 * its output there is CP_STAGE_DONE (an attempt a crash left "running" is
 * closed as done), the stage before's output missing is 66 with a message;
 * then record a new attempt and remove the temp files a killed attempt left
 * in the batch folder and every folder below it (under the lock no writer
 * is alive there).
 * Returns 0 (the attempt is begun: end it with cp_stage_end), CP_STAGE_DONE
 * (nothing to do: the stage succeeds), or the exit code (66 no such batch or
 * its input missing, 75 locked, 73 or 74). Call cp_stage_close whatever it
 * returns. */
int cp_stage_start(struct cp_stage *s, const char *name, const struct cp_conf *conf,
		   const char *batch_arg);

/* The program of a stage ("render": .../certpress-render), to exec: the
 * one in the running executable's folder when it is there (the build tree,
 * the tests; an installed bin/ has links to libexec), else the one in the
 * LIBEXECDIR compiled in. Never looked up in PATH. The caller frees it. */
char *cp_stage_program(const char *stage);

/* True if validate refused the batch's results file as a whole (its
 * "failed" marker is there): nothing is left to do for it. */
bool cp_stage_refused(const char *dir);
/* Close the attempts on the batch that a dead process left "running": as
 * done (exit 0) where the stage's output is there (it died after its last
 * rename), else as crashed. Call only while holding the batch's lock: then
 * no process is at work on it but the caller's own children. */
void cp_stage_reconcile(struct cp_registry *reg, const char *dir, const char *batch);

/* Record the attempt's end with its exit code and counts (JSON or NULL). */
void cp_stage_end(struct cp_stage *s, int code, const char *counts);
void cp_stage_close(struct cp_stage *s);

/* What a BATCH stage does to its batch once it is started (cp_stage_start
 * returned 0): the exit code, and in *counts (malloc'd, or left NULL) the
 * JSON its attempt records. ctx is the stage's own. */
typedef int (*cp_stage_work_fn)(struct cp_stage *s, void *ctx, char **counts);
/* A BATCH stage's run, what each one's cp_X_run shares: cp_stage_start;
 * unless the stage is done already (then it succeeds), work, and the
 * attempt ended with its code and counts; "BATCH FOLDER" on out when it
 * succeeds; cp_stage_close. Returns the exit code. Nothing of s outlives
 * it: work copies what the stage's own release needs. */
int cp_stage_run(const char *name, const struct cp_conf *conf, const char *batch_arg, FILE *out,
		 cp_stage_work_fn work, void *ctx);

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
