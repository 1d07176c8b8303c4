/* certpress retry: one batch resumed from the stage it stopped at, or
 * (--from STAGE) made again from that stage on, under its lock. The stages'
 * outputs are forgotten by stage.c (cp_stage_forget); what the registry
 * holds stays (references, sent emails). */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "drive.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/screen.h"
#include "spool.h"
#include "stage.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct retry_args {
	const char *from, *by;
};

static const struct cp_opt opts[] = {
	CP_OPT_VALUE_OF(struct retry_args, from, "from", "STAGE",
			"make this stage's output and the later ones again"),
	CP_OPT_VALUE_OF(struct retry_args, by, "by", "USER",
			"who retries it (else the login name)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_retry_line = { "retry", NULL, opts, "BATCH", 1, 1, 0 };

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
	struct retry_args a = { NULL, NULL };
	char by[CP_WHO_SIZE];
	struct cp_cmd_env e = { 0 };
	char batch[CP_BATCH_ID_MAX], *dir = NULL;
	int rc, arg, first, fd = -1;

	cp_cli_ignore_pipe_signals();
	if ((rc = cp_cmd_args(&cp_retry_line, argc, argv, &a, &arg)) != CP_CMD_GO)
		return rc;
	if ((rc = cp_who(a.by, by, sizeof(by))))
		return rc;
	cp_who_pass(a.by); /* each stage attempt records it */
	first = -1;
	for (int i = 1; a.from && i < CP_NSTAGES; i++)
		if (!strcmp(a.from, cp_stage_names[i]))
			first = i;
	if (a.from && first < 0) {
		cp_error("--from takes assign, render, pack or notify (validate makes a new "
			 "batch: put the file in the inbox again)");
		return CP_EX_USAGE;
	}
	/* the lock is held from here, through the stages */
	if (!(rc = cp_cmd_batch_locked(&e, config, argv[arg], "left to it", batch, &dir, &fd)))
		rc = retry_locked(&e, config, &e.spool, batch, dir, first, fd);
	rc = cp_publish_at_end(&e, rc);
	free(dir);
	cp_cmd_env_release(&e);
	return rc;
}
