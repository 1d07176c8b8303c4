/* certpress order KIND ...: an order, recorded with its state (registry
 * orders.h): a duplicate of a document (reprint.c) or a proof of
 * qualification letter (letter.c). */
#include "change.h"
#include "drive.h"

#include <stdio.h>
#include <string.h>

#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

int cp_order_mail_now(const char *config)
{
	int sig, rc = cp_drive_stage("notify", config, "orders", -1, NULL, 0, &sig);

	if (rc != CP_EX_OK)
		cp_warn("the order's email is not sent yet (exit %d): certpress-notify orders "
			"sends it", rc);
	return rc;
}

int cp_cmd_order(int argc, char **argv, const char *config)
{
	if (argc >= 2 && !strcmp(argv[1], "reprint"))
		return cp_order_reprint(argc - 1, argv + 1, config, CP_ORDER_REPRINT_SYNOPSIS, true);
	if (argc >= 2 && !strcmp(argv[1], "letter"))
		return cp_order_letter(argc - 1, argv + 1, config);
	if (argc >= 2)
		cp_error("'%s' is not a kind of order (reprint, letter)", argv[1]);
	fprintf(stderr, "usage: certpress %s\n       certpress %s\n", CP_ORDER_REPRINT_SYNOPSIS,
		CP_ORDER_LETTER_SYNOPSIS);
	return CP_EX_USAGE;
}
