/* certpress hold BATCH --reason TEXT [--by NAME]: the batch is kept back
 * before pack (nothing published, nobody emailed) until it is approved. */
#include "decide.h"

#include "util/banned.h"

struct hold_args {
	const char *reason, *by;
};

static const struct cp_opt opts[] = {
	{ .kind = CP_OPT_VALUE, .name = "reason", .arg = "TEXT", .required = true,
	  .help = "why it is kept back (shown by status)",
	  .at = CP_OPT_AT(struct hold_args, reason, const char *) },
	CP_OPT_VALUE_OF(struct hold_args, by, "by", "NAME", "who holds it (else the login name)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_hold_line = { "hold", "BATCH", opts, NULL, 1, 1, 0 };

int cp_cmd_hold(int argc, char **argv, const char *config)
{
	struct hold_args a = { NULL, NULL };
	char by[CP_WHO_SIZE];
	int first, rc;

	if ((rc = cp_cmd_args(&cp_hold_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if ((rc = cp_cmd_text_arg("reason", a.reason)) || (rc = cp_who(a.by, by, sizeof(by))))
		return rc;
	return cp_cmd_decide(config, argv[first], "held", by, a.reason);
}
