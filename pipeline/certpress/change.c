/* The arguments and the transaction reprint and revoke share. */
#include "change.h"

#include <stdio.h>
#include <string.h>

#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

const struct cp_opt cp_change_opts[] = {
	CP_CHANGE_REASON_ROW,
	CP_CHANGE_BY_ROW,
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};

int cp_change_args(const struct cp_cmdline *c, int argc, char **argv, struct cp_change_args *a)
{
	int first, rc;

	memset(a, 0, sizeof(*a));
	if ((rc = cp_cmd_args(c, argc, argv, a, &first)) != CP_CMD_GO)
		return rc;
	if ((rc = cp_cmd_text_arg("reason", a->reason)))
		return rc;
	a->ref = argv[first];
	if ((rc = cp_who(a->by_typed, a->by, sizeof(a->by))))
		return rc;
	return CP_CMD_GO;
}

int cp_change_begin(struct cp_cmd_env *e, const char *config, const char *typed,
		    char ref[CP_REF_LEN + 1], struct cp_card *card)
{
	int rc;

	if ((rc = cp_cmd_conf(e, config)) || (rc = cp_cmd_key(e)))
		return rc;
	if (cp_cmd_reference(e, typed, ref)) {
		char clip[CP_MSG_CLIP];

		cp_error("'%s' is not a reference this awarding body issued",
			 cp_msg_clip(clip, typed));
		return CP_EX_NOINPUT;
	}
	if ((rc = cp_cmd_registry(e)))
		return rc;
	if (cp_registry_begin(&e->reg) < 0)
		return CP_EX_TEMPFAIL;
	rc = cp_card_find(&e->reg, ref, card);
	if (rc <= 0) {
		cp_registry_rollback(&e->reg);
		if (rc == 0)
			cp_error("%s: no such document", ref);
		return rc < 0 ? CP_EX_IOERR : CP_EX_NOINPUT;
	}
	return 0;
}
