/* What status shows of the print loop: the consignments held because the
 * centres register had no address for their centre, for as long as it
 * still has none (once it has, the operator gives the printing house the
 * address and the consignment can be confirmed dispatched). */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "centres.h"
#include "util/exitcode.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct held {
	const struct cp_centres *centres;
	long n;
};

static int on_held(void *ctx, const char *batch, const char *id, const char *centre)
{
	struct held *h = ctx;
	const struct cp_centre *c = cp_centres_find(h->centres, centre);

	if (!h->n++)
		puts("");
	if (c)
		printf("consignment %s of print batch %s held: centre '%s' is in the centres "
		       "register now: give the printing house its address\n", id, batch, centre);
	else
		printf("consignment %s of print batch %s held: centre '%s' is not in the centres "
		       "register (address unknown)\n", id, batch, centre);
	return 0;
}

int cp_cmd_held_consignments(struct cp_cmd_env *e)
{
	struct cp_centres centres;
	struct held h = { &centres, 0 };
	char *schema = cp_xasprintf("%s/centres.xsd", e->conf.schemas);
	int rc = cp_centres_load(&centres, e->conf.centres, schema);

	free(schema);
	if (rc)
		return rc;
	rc = cp_consignments_held_each(&e->reg, on_held, &h) < 0 ? CP_EX_IOERR : CP_EX_OK;
	cp_centres_release(&centres);
	return rc;
}
