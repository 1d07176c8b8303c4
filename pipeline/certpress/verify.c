/* certpress verify REF: whether a document is valid (exit 0) or not
 * (exit 1: not-issued, expired, superseded, revoked or unknown), then its
 * card. */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "card.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/banned.h"

const struct cp_cmdline cp_verify_line = { "verify", NULL, cp_card_opts, "REF", 1, 1, 0 };

int cp_cmd_verify(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	char ref[CP_REF_LEN + 1] = "";
	struct cp_card_args a;
	const char *typed, *status;
	int rc;

	if ((rc = cp_card_args(&cp_verify_line, argc, argv, &a)) != CP_CMD_GO)
		return rc;
	typed = a.ref;
	rc = cp_card_lookup(&e, config, typed, ref, &card);
	if (rc != 0 && rc != 1)
		goto out;
	status = rc == 0 ? card.f[CP_CARD_STATUS] : "unknown";
	if (a.json) {
		printf("{\"reference\":");
		cp_json_str(stdout, rc == 0 ? ref : typed);
		printf(",\"status\":\"%s\",\"document\":", status);
		if (rc == 0)
			cp_card_print_json(stdout, &card);
		else
			fputs("null", stdout);
		puts("}");
	} else {
		puts(status);
		if (rc == 0)
			cp_card_print(stdout, &card);
	}
	rc = rc == 0 && !strcmp(status, "valid") ? CP_EX_OK : 1;
out:
	cp_card_release(&card);
	cp_cmd_env_release(&e);
	return rc;
}
