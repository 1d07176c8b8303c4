/* certpress verify REF: whether a document is valid (exit 0) or not
 * (exit 1: not-issued, expired, superseded, revoked or unknown), then its
 * card. With --file PDF, a digital copy's signature instead (verify_file.c). */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "card.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/banned.h"

#define VERIFY "verify [--json] REF | verify --file PDF"

int cp_cmd_verify(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	char ref[CP_REF_LEN + 1] = "";
	const char *typed = NULL, *status;
	bool json;
	int rc;

	if (argc == 3 && !strcmp(argv[1], "--file"))
		return cp_cmd_verify_file(argv[2], config);
	if ((rc = cp_card_args(argc, argv, VERIFY, &typed, &json)))
		return rc;
	rc = cp_card_lookup(&e, config, typed, ref, &card);
	if (rc != 0 && rc != 1)
		goto out;
	status = rc == 0 ? card.f[CP_CARD_STATUS] : "unknown";
	if (json) {
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
