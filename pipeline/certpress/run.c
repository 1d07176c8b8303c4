/* certpress run: every results file in the inbox (or those named), each
 * taken through every stage as its own batch; then every batch that had
 * stopped (a crash, a failure) before this run began and that nobody
 * holds, so a stuck batch is tried every night and keeps the exit code
 * non-zero until it is finished. A stage that fails stops its batch there;
 * the others go on. The exit code is the worst of the batches'. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "drive.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "spool.h"
#include "stage.h"
#include "summary.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct run_args {
	bool json;
	const char *by;
};

static const struct cp_opt opts[] = {
	CP_OPT_FLAG_OF(struct run_args, json, "json", "the summary in JSON, for scripts"),
	CP_OPT_VALUE_OF(struct run_args, by, "by", "USER",
			"who starts the batches (else the login name)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_run_line = { "run", NULL, opts, "[FILE...]", 0, CP_OPTS_ANY, 0 };

/* A batch that stopped: its folder there, not finished (an output missing,
 * or all there but the batch not recorded done), not refused (the
 * "failed" marker, or the registry's failed with validate not done and no
 * copy of its results file to do it from, as when that file was missing).
 * One recorded failed in validate that has its copy was stopped by a crash
 * or a fault (a stage killed while run resumed it): validate resumes it. */
static bool stopped(struct cp_cmd_env *e, const struct cp_spool *spool, const char *batch,
		    int *next)
{
	char *dir = cp_spool_batch_dir(spool, batch);
	char *copy = cp_spool_batch_file(spool, batch, "results.xml");
	struct stat st;
	bool r = stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
		 ((*next = cp_stage_next(dir)) < CP_NSTAGES ||
		  cp_registry_batch_done(&e->reg, batch) == 0) &&
		 !cp_stage_refused(dir);

	if (r && *next == 0 && access(copy, F_OK) != 0 &&
	    cp_registry_batch_failed(&e->reg, batch) == 1)
		r = false;
	free(copy);
	free(dir);
	return r;
}

struct stopped_list {
	struct cp_cmd_env *e;
	const struct cp_spool *spool;
	char **v;
	size_t n;
};

static int add_stopped(void *ctx, const char *id)
{
	struct stopped_list *l = ctx;
	int next;

	if (cp_batch_id_valid(id) && stopped(l->e, l->spool, id, &next)) {
		l->v = cp_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = cp_xstrdup(id);
	}
	return 0;
}

/* The batches that have stopped, before this run takes anything. */
static char **stopped_batches(struct cp_cmd_env *e, const struct cp_spool *spool, size_t *n)
{
	struct stopped_list l = { e, spool, NULL, 0 };

	cp_registry_batch_ids(&e->reg, add_stopped, &l);
	*n = l.n;
	return l.v;
}

static bool in_summary(const struct cp_summary *sum, const char *batch)
{
	for (size_t i = 0; i < sum->n; i++)
		if (!strcmp(sum->batch[i], batch))
			return true;
	return false;
}

/* Resume each of the batches that had stopped and that this run did not
 * take from the inbox, unless another process holds it (it is at work on
 * it, not stuck). Returns the worst exit code. */
static int resume_stopped(struct cp_cmd_env *e, const char *config, const struct cp_spool *spool,
			  char **ids, size_t n, struct cp_summary *sum)
{
	int rc = CP_EX_OK;

	for (size_t i = 0; i < n; i++) {
		char *dir, *source;
		int fd, got, next, one, claimed = -1;

		if (in_summary(sum, ids[i]))
			continue;
		dir = cp_spool_batch_dir(spool, ids[i]);
		got = cp_batch_lock(dir, ids[i], &fd);
		free(dir);
		if (got > 0) {
			cp_info("batch %s is being worked on by another process", ids[i]);
			continue;
		}
		if (got < 0) {
			rc = cp_exit_worst(rc, CP_EX_IOERR);
			continue;
		}
		if (!stopped(e, spool, ids[i], &next)) { /* finished meanwhile */
			close(fd);
			continue;
		}
		/* stopped in validate before it had its copy: from its file, still
		 * in the inbox, as retry does (the batch is not the file's refusal) */
		source = next == 0 ? cp_inbox_source(e, spool, ids[i]) : NULL;
		if (source && (claimed = cp_inbox_claim(source)) < 0) {
			cp_info("batch %s: %s is being taken by another run", ids[i], source);
			free(source);
			close(fd);
			continue;
		}
		if (next < CP_NSTAGES)
			cp_info("batch %s had stopped at %s: resumed", ids[i], cp_stage_names[next]);
		else /* a run killed after its last stage's output: only recorded */
			cp_info("batch %s had every stage's output: recorded done", ids[i]);
		one = cp_drive(e, config, spool, ids[i], next, fd, source, sum);
		if (source)
			close(claimed);
		free(source);
		cp_summary_add(sum, ids[i], one);
		rc = cp_exit_worst(rc, one);
	}
	return rc;
}

/* run FILE... resumes nothing else, but says what is waiting. */
static void warn_stopped(const struct cp_summary *sum, char **ids, size_t n)
{
	size_t left = 0;

	for (size_t i = 0; i < n; i++)
		left += !in_summary(sum, ids[i]);
	if (left)
		cp_warn("%zu other batches had stopped before this run: 'certpress status --stuck'"
			" lists them, 'certpress run' without files resumes them", left);
}

/* One results file through every stage: claimed, validated into a new
 * batch, the batch locked and driven on. Returns the exit code it adds to
 * the run's (0 for a file another run took from the inbox). */
static int run_file(struct cp_cmd_env *e, const char *config, const struct cp_spool *spool,
		    const char *file, bool from_inbox, struct cp_summary *sum)
{
	char batch[CP_BATCH_ID_MAX] = "", *dir;
	int fd = cp_inbox_claim(file), one, lock, got, sig;
	struct timespec t0;

	if (fd < 0) {
		if (from_inbox)
			return CP_EX_OK; /* another run took it */
		cp_error("%s: cannot read or another run holds it", file);
		return CP_EX_NOINPUT;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	one = cp_drive_stage("validate", config, file, -1, batch, sizeof(batch), &sig);
	cp_summary_time(sum, 0, &t0);
	if (one != CP_EX_OK && one != CP_EX_DATAERR && cp_batch_id_valid(batch))
		/* validate's own failure; a refused file (65) it explained */
		cp_drive_stopped(batch, 0, one);
	if (one == CP_EX_OK && cp_batch_id_valid(batch)) {
		dir = cp_spool_batch_dir(spool, batch);
		got = cp_batch_lock(dir, batch, &lock);
		free(dir);
		if (got > 0) {
			/* another run resumed it between validate and here */
			cp_warn("batch %s was taken up by another process: left to it", batch);
			close(fd);
			return CP_EX_OK;
		}
		/* the stage it stops at, if any, is named by cp_drive */
		one = got < 0 ? CP_EX_IOERR : cp_drive(e, config, spool, batch, 1, lock, NULL, sum);
	}
	close(fd);
	if (cp_batch_id_valid(batch))
		cp_summary_add(sum, batch, one);
	return one;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int cp_cmd_run(int argc, char **argv, const char *config)
{
	struct run_args a = { false, NULL };
	char by[CP_WHO_SIZE];
	struct cp_cmd_env e = { 0 };
	struct cp_summary sum;
	char **files = NULL, **before = NULL;
	size_t nfiles = 0, nbefore = 0;
	bool from_inbox;
	int first, rc;

	cp_cli_ignore_pipe_signals(); /* a closed log pipe must not stop a run mid-batch */
	if ((rc = cp_cmd_args(&cp_run_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if ((rc = cp_who(a.by, by, sizeof(by))))
		return rc;
	cp_who_pass(a.by); /* each batch and stage attempt records it */
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)) || (rc = cp_cmd_spool(&e)))
		goto out;
	cp_spool_check_modes(&e.spool);
	from_inbox = first == argc;
	before = stopped_batches(&e, &e.spool, &nbefore);
	if (from_inbox) {
		files = cp_inbox_files(&e.spool, &nfiles);
	} else {
		nfiles = (size_t)(argc - first);
		files = cp_xcalloc(nfiles, sizeof(*files));
		for (size_t i = 0; i < nfiles; i++)
			files[i] = cp_xstrdup(argv[first + (int)i]);
	}
	cp_summary_start(&sum);
	for (size_t i = 0; i < nfiles; i++)
		rc = cp_exit_worst(rc, run_file(&e, config, &e.spool, files[i], from_inbox, &sum));
	if (from_inbox)
		rc = cp_exit_worst(rc, resume_stopped(&e, config, &e.spool, before, nbefore, &sum));
	else
		warn_stopped(&sum, before, nbefore);
	cp_summary_print(&sum, &e.reg, a.json, stdout);
	cp_summary_release(&sum);
	rc = cp_publish_at_end(&e, rc);
out:
	free_list(files, nfiles);
	free_list(before, nbefore);
	cp_cmd_env_release(&e);
	return rc;
}
