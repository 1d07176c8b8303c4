/* What approve and hold share: the batch under its lock, checked to be
 * rendered and not yet packed, the decision recorded in the registry
 * (who, when, why) and then in the batch folder (approval.h). */
#ifndef CP_CMD_DECIDE_H
#define CP_CMD_DECIDE_H

#include "cmd.h"

/* Decide on the batch named by arg: "approved" or "held" (reason not NULL)
 * by who. Returns a sysexits code. */
int cp_cmd_decide(const char *config, const char *arg, const char *action, const char *by,
		  const char *reason);

#endif
