/* orderstate REGISTRY ORDER STATE [NOTE]: move an order to a state through
 * the registry's own transition (cp_order_move), as the print loop will
 * when the printing house confirms (printed, spoiled, dispatched with the
 * tracking reference as NOTE). Exit 0 moved, 1 refused, 2 error. */
#include <stdio.h>
#include <stdlib.h>

#include "registry.h"
#include "util/date.h"
#include "util/msg.h"
#include "util/banned.h"

int main(int argc, char **argv)
{
	struct cp_registry r;
	char stamp[32];
	int rc;

	if (argc < 4 || argc > 5) {
		fputs("usage: orderstate REGISTRY ORDER STATE [NOTE]\n", stderr);
		return 2;
	}
	if (cp_registry_open(&r, argv[1]) < 0 || cp_registry_begin(&r) < 0)
		return 2;
	rc = cp_order_move(&r, atoll(argv[2]), argv[3], cp_time_stamp(stamp, sizeof(stamp)),
			   argc == 5 ? argv[4] : NULL);
	if (rc < 0 || (rc == 1 && cp_registry_commit(&r) < 0)) {
		cp_registry_close(&r);
		return 2;
	}
	if (rc == 0)
		cp_registry_rollback(&r);
	cp_registry_close(&r);
	return rc == 1 ? 0 : 1;
}
