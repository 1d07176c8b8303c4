/* certpress notify BATCH: the batch's emails that have not gone out sent,
 * under its lock, by the notify stage (the learners set-email gave an
 * address, the deferred); those sent are never sent again. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "drive.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "spool.h"
#include "stage.h"
#include "util/banned.h"

struct notify_args {
	const char *by;
};

static const struct cp_opt opts[] = {
	CP_OPT_VALUE_OF(struct notify_args, by, "by", "USER",
			"who sends them (else the login name)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_notify_line = { "notify", NULL, opts, "BATCH", 1, 1, 0 };

static int notify_locked(struct cp_cmd_env *e, const char *config, const struct cp_spool *spool,
			 const char *batch, const char *dir, int fd)
{
	int next = cp_stage_next(dir);

	if (next == CP_NSTAGES) {
		cp_stage_reconcile(&e->reg, dir, batch); /* under the lock */
		close(fd);
		cp_info("batch %s: every email has gone out or cannot (see certpress status %s)",
			batch, batch);
		return CP_EX_OK;
	}
	if (next < CP_STAGE_NOTIFY || cp_stage_refused(dir)) {
		close(fd);
		cp_error("batch %s is not packed (waiting at %s): 'certpress retry %s' takes it"
			 " through", batch, cp_stage_names[next], batch);
		return CP_EX_NOINPUT;
	}
	return cp_drive(e, config, spool, batch, CP_STAGE_NOTIFY, fd, NULL, NULL);
}

int cp_cmd_notify(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	char batch[CP_BATCH_ID_MAX], *dir = NULL;
	struct notify_args a = { NULL };
	char by[CP_WHO_SIZE];
	int rc, first, fd = -1;

	cp_cli_ignore_pipe_signals();
	if ((rc = cp_cmd_args(&cp_notify_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if ((rc = cp_who(a.by, by, sizeof(by))))
		return rc;
	cp_who_pass(a.by); /* the stage's attempt records it */
	if (!(rc = cp_cmd_batch_locked(&e, config, argv[first], "left to it", batch, &dir,
				       &fd)))
		rc = notify_locked(&e, config, &e.spool, batch, dir, fd);
	free(dir);
	cp_cmd_env_release(&e);
	return rc;
}
