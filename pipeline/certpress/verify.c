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

/* [--json] [--file PDF] and, without --file, the reference: verify's
 * own table, for card.c's (cp_card_opts) has no --file */
struct verify_args {
	bool json;
	const char *file;
};

static const struct cp_opt opts[] = {
	{ .kind = CP_OPT_FLAG, .name = "json", .help = "JSON, for scripts",
	  .at = CP_OPT_AT(struct verify_args, json, bool) },
	{ .kind = CP_OPT_VALUE, .name = "file", .arg = "PDF",
	  .help = "check a digital copy's signature instead of a reference",
	  .at = CP_OPT_AT(struct verify_args, file, const char *) },
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_verify_line = { "verify", NULL, opts, "[REF]", 0, 1, 0 };

int cp_cmd_verify(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	char ref[CP_REF_LEN + 1] = "";
	struct verify_args a = { 0 };
	const char *typed, *status;
	int first, rc;

	if ((rc = cp_cmd_args(&cp_verify_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if ((first < argc) == (a.file != NULL)) /* REF or --file PDF: one of them */
		return cp_cmd_usage(&cp_verify_line);
	if (a.file)
		return cp_cmd_verify_file(a.file, config, a.json);
	typed = argv[first];
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
