/* certpress order KIND ...: an order, recorded with its state (registry
 * orders.h): a duplicate of a document (reprint.c) or a proof of
 * qualification letter (letter.c). */
#include "change.h"

#include <string.h>

#include "util/msg.h"
#include "util/banned.h"

int cp_cmd_order(int argc, char **argv, const char *config)
{
	if (argc >= 2 && !strcmp(argv[1], "reprint"))
		return cp_order_reprint(argc - 1, argv + 1, config, CP_ORDER_REPRINT_SYNOPSIS, true);
	if (argc >= 2)
		cp_error("'%s' is not a kind of order (reprint)", argv[1]);
	return cp_cmd_usage(CP_ORDER_REPRINT_SYNOPSIS);
}
