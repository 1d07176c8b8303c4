/* certpress show REF: a document's card (exit 1 if there is no such
 * document). */
#include "cmd.h"

#include <stdio.h>

#include "card.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/banned.h"

const struct cp_cmdline cp_show_line = { "show", NULL, cp_card_opts, "REF", 1, 1, 0 };

int cp_cmd_show(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	char ref[CP_REF_LEN + 1] = "";
	struct cp_card_args a;
	int rc;

	if ((rc = cp_card_args(&cp_show_line, argc, argv, &a)) != CP_CMD_GO)
		return rc;
	rc = cp_card_lookup(&e, config, a.ref, ref, &card);
	if (rc == 1) {
		char clip[CP_MSG_CLIP];

		cp_error("'%s': no such document", cp_msg_clip(clip, a.ref));
	} else if (rc == 0 && a.json) {
		cp_card_print_json(stdout, &card);
		putchar('\n');
	} else if (rc == 0) {
		cp_card_print(stdout, &card);
	}
	cp_card_release(&card);
	cp_cmd_env_release(&e);
	return rc;
}
