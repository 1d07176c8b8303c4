/* Approve or hold a batch between render and pack. The registry row is
 * committed before the folder's file: a crash between the two leaves the
 * batch as it was (the decision made again records it twice, never lost). */
#include "decide.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approval.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "spool.h"
#include "stage.h"
#include "util/banned.h"

static int decide_locked(struct cp_cmd_env *e, const char *batch, const char *dir,
			 const char *action, const char *by, const char *reason)
{
	int next = cp_stage_next(dir);
	char stamp[32], *line;
	int rc;

	if (cp_stage_refused(dir) || next < CP_STAGE_PACK) {
		cp_error("batch %s is not rendered yet: nothing to %s", batch,
			 strcmp(action, "held") ? "approve" : "hold");
		return CP_EX_NOINPUT;
	}
	if (next > CP_STAGE_PACK) {
		if (!strcmp(action, "held")) {
			cp_error("batch %s is packed already: its documents are out (revoke them)",
				 batch);
			return CP_EX_DATAERR;
		}
		cp_info("batch %s is packed already: nothing to approve", batch);
		return CP_EX_OK;
	}
	cp_time_stamp(stamp, sizeof(stamp));
	if (cp_registry_begin(&e->reg) < 0)
		return CP_EX_TEMPFAIL;
	if (cp_approval_record(&e->reg, batch, action, by, stamp, reason) < 0 ||
	    cp_registry_commit(&e->reg) < 0) {
		cp_registry_rollback(&e->reg);
		return CP_EX_IOERR;
	}
	line = reason ? cp_xasprintf("%s, %s by %s at %s", reason, action, by, stamp)
		      : cp_xasprintf("%s by %s at %s", action, by, stamp);
	rc = strcmp(action, "held") ? cp_approval_approve(dir, line) : cp_approval_hold(dir, line);
	free(line);
	if (rc < 0)
		return CP_EX_IOERR;
	if (strcmp(action, "held"))
		cp_info("batch %s approved by %s: 'certpress retry %s' packs and notifies it", batch,
			by, batch);
	else
		cp_info("batch %s held by %s: nothing is packed until 'certpress approve %s'", batch,
			by, batch);
	return CP_EX_OK;
}

int cp_cmd_decide(const char *config, const char *arg, const char *action, const char *by,
		  const char *reason)
{
	struct cp_cmd_env e = { 0 };
	char batch[CP_BATCH_ID_MAX], *dir = NULL;
	int rc, fd = -1;

	if (!(rc = cp_cmd_batch_locked(&e, config, arg, "nothing recorded", batch, &dir,
				       &fd))) {
		rc = decide_locked(&e, batch, dir, action, by, reason);
		close(fd);
	}
	free(dir);
	cp_cmd_env_release(&e);
	return rc;
}
