/* certpress retry: one batch resumed from the stage it stopped at, or
 * (--from STAGE) made again from that stage on, under its lock. The stages'
 * outputs are forgotten by stage.c (cp_stage_forget); what the registry
 * holds stays (references, sent emails). */
#include "cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "drive.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "spool.h"
#include "stage.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define RETRY "retry [--from STAGE] BATCH"

static int lock_batch(const char *dir, const char *batch, int *fd)
{
	int got = cp_batch_lock(dir, batch, fd);

	if (got > 0)
		cp_error("batch %s is being worked on by another process: left to it", batch);
	return got;
}

/* The batch locked (fd held, closed here): forget what --from names
 * (from >= 0), then drive it on from the first stage whose output is
 * missing, with its results file claimed again from the inbox if validate
 * never made the batch its own copy. */
static int retry_locked(struct cp_cmd_env *e, const char *config, const struct cp_spool *spool,
			const char *batch, const char *dir, int from, int fd)
{
	char *source = NULL;
	int rc, first, claimed = -1;

	if (cp_stage_refused(dir)) {
		cp_error("batch %s was refused at validate (see spool/failed/): nothing to retry",
			 batch);
		rc = CP_EX_DATAERR;
		goto out;
	}
	if (from >= 0 && cp_stage_forget(dir, from) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	first = cp_stage_next(dir);
	if (first == CP_NSTAGES) {
		cp_stage_reconcile(&e->reg, dir, batch);
		cp_info("batch %s is complete: nothing to retry", batch);
		rc = CP_EX_OK;
		goto out;
	}
	cp_info("batch %s: from %s", batch, cp_stage_names[first]);
	if (first == 0 && (source = cp_inbox_source(e, spool, batch)) &&
	    (claimed = cp_inbox_claim(source)) < 0) {
		cp_error("%s: another run is taking it", source);
		rc = CP_EX_TEMPFAIL;
		goto out;
	}
	rc = cp_drive(e, config, spool, batch, first, fd, source, NULL);
	fd = -1;
	if (rc == CP_EX_OK)
		cp_info("batch %s is complete", batch);
out:
	if (fd >= 0)
		close(fd);
	if (claimed >= 0)
		close(claimed);
	free(source);
	return rc;
}

int cp_cmd_retry(int argc, char **argv, const char *config)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct cp_cmd_env e = { 0 };
	struct cp_spool spool = { 0 };
	char batch[CP_BATCH_ID_MAX], *dir = NULL;
	const char *from = NULL;
	int c, rc, first, got, fd = -1;

	cp_cli_ignore_pipe_signals();
	optind = 0; /* GNU getopt: start afresh after the global options */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'f')
			return cp_cmd_usage(RETRY);
		from = optarg;
	}
	if (argc - optind != 1)
		return cp_cmd_usage(RETRY);
	first = -1;
	for (int i = 1; from && i < CP_NSTAGES; i++)
		if (!strcmp(from, cp_stage_names[i]))
			first = i;
	if (from && first < 0) {
		cp_error("--from takes assign, render, pack or notify (validate makes a new "
			 "batch: put the file in the inbox again)");
		return CP_EX_USAGE;
	}
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)))
		goto out;
	if (cp_spool_open(&spool, &e.conf) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	if (cp_spool_batch_arg(&spool, argv[optind], batch) < 0) {
		rc = CP_EX_NOINPUT;
		goto out;
	}
	dir = cp_spool_batch_dir(&spool, batch);
	/* the lock is held from here, through the stages */
	if ((got = lock_batch(dir, batch, &fd)) != 0)
		rc = got > 0 ? CP_EX_TEMPFAIL : CP_EX_IOERR;
	else
		rc = retry_locked(&e, config, &spool, batch, dir, first, fd);
out:
	free(dir);
	cp_spool_release(&spool);
	cp_cmd_env_release(&e);
	return rc;
}
