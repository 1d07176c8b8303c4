/* certpress print-orders [--type reprints|letters] [--by USER]: the day's
 * order copies in print files of their own, one per kind that has copies
 * waiting (the replacements and letters ordered since the last print file
 * took them, and the spoiled ones coming back), made by the pack stage
 * (certpress-pack reprints|letters) as a batch's print file is. Run daily
 * by cron; nothing waiting is no print file and exit 0. */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "drive.h"
#include "opts.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "who.h"
#include "util/banned.h"

struct print_orders_args {
	const char *type, *by;
};

static const struct cp_opt opts[] = {
	CP_OPT_VALUE_OF(struct print_orders_args, type, "type", "reprints|letters",
			"only that kind's print file (else each kind's)"),
	CP_OPT_VALUE_OF(struct print_orders_args, by, "by", "USER",
			"who makes it (else the login name)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_print_orders_line = { "print-orders", NULL, opts, NULL, 0, 0, 0 };

static const char *const kinds[] = { "reprints", "letters" };

int cp_cmd_print_orders(int argc, char **argv, const char *config)
{
	struct print_orders_args a = { NULL, NULL };
	struct cp_cmd_env e = { 0 };
	char by[CP_WHO_SIZE];
	int rc, first, worst = CP_EX_OK, made = 0;

	if ((rc = cp_cmd_args(&cp_print_orders_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if (a.type && strcmp(a.type, kinds[0]) && strcmp(a.type, kinds[1])) {
		cp_error("--type '%s': reprints or letters", a.type);
		return cp_cmd_usage(&cp_print_orders_line);
	}
	if ((rc = cp_who(a.by, by, sizeof(by))))
		return rc;
	cp_who_pass(a.by); /* the print batch records it */
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		char id[64] = "";
		int sig;

		if (a.type && strcmp(a.type, kinds[i]))
			continue;
		rc = cp_drive_stage("pack", config, kinds[i], -1, id, sizeof(id), &sig);
		if (rc != CP_EX_OK)
			cp_error("print file of %s: certpress-pack %s exited %d", kinds[i], kinds[i],
				 rc);
		else if (*id && ++made)
			printf("%s: print batch %s\n", kinds[i], id);
		else
			printf("%s: nothing to print\n", kinds[i]);
		fflush(stdout);
		if (rc > worst)
			worst = rc;
	}
	/* its copies are issued now: the verification snapshot says so at once */
	if (made && !cp_cmd_conf(&e, config) && !cp_cmd_registry(&e))
		worst = cp_publish_at_end(&e, worst);
	cp_cmd_env_release(&e);
	return worst;
}
