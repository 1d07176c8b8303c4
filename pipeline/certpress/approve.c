/* certpress approve BATCH [--by NAME]: the awarding body checked the
 * batch's proof; pack and notify may go on (retry, or the next run). */
#include "decide.h"

#include "util/banned.h"

struct approve_args {
	const char *by;
};

static const struct cp_opt opts[] = {
	CP_OPT_VALUE_OF(struct approve_args, by, "by", "NAME",
			"who checked it (else the login name)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_approve_line = { "approve", "BATCH", opts, NULL, 1, 1, 0 };

int cp_cmd_approve(int argc, char **argv, const char *config)
{
	struct approve_args a = { NULL };
	char by[CP_WHO_SIZE];
	int first, rc;

	if ((rc = cp_cmd_args(&cp_approve_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if ((rc = cp_who(a.by, by, sizeof(by))))
		return rc;
	return cp_cmd_decide(config, argv[first], "approved", by, NULL);
}
