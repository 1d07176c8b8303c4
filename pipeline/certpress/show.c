/* certpress show REF: a document's card (exit 1 if there is no such
 * document). */
#include "cmd.h"

#include <stdio.h>

#include "card.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/banned.h"

#define SHOW "show [--json] REF"

int cp_cmd_show(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	char ref[CP_REF_LEN + 1] = "";
	const char *typed = NULL;
	bool json;
	int rc;

	if ((rc = cp_card_args(argc, argv, SHOW, &typed, &json)))
		return rc;
	rc = cp_card_lookup(&e, config, typed, ref, &card);
	if (rc == 1) {
		cp_error("'%s': no such document", typed);
	} else if (rc == 0 && json) {
		cp_card_print_json(stdout, &card);
		putchar('\n');
	} else if (rc == 0) {
		cp_card_print(stdout, &card);
	}
	cp_card_release(&card);
	cp_cmd_env_release(&e);
	return rc;
}
