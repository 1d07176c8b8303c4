/* What status shows of the print loop: the consignments held because the
 * centres register had no address for their centre, for as long as they
 * are not dispatched (once the register has it, the operator gives the
 * printing house the address and the consignment can be confirmed
 * dispatched). As lines, or for --json a stable array of objects:
 * {"print_batch", "consignment", "centre", "in_register"}. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/exitcode.h"
#include "util/json.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct held_walk {
	const struct cp_held *h;
	const char *only; /* a print batch, or NULL: every one */
	bool json;
	long n;
};

static int on_held(void *ctx, const char *batch, const char *id, const char *centre)
{
	struct held_walk *w = ctx;
	bool known = cp_centres_find(&w->h->centres, centre) != NULL;
	int f = 1;

	if (w->only && strcmp(batch, w->only))
		return 0;
	if (w->json) {
		fputs(w->n++ ? ",{" : "{", stdout);
		cp_json_field(stdout, &f, "print_batch", batch);
		cp_json_field(stdout, &f, "consignment", id);
		cp_json_field(stdout, &f, "centre", centre);
		printf(",\"in_register\":%s}", known ? "true" : "false");
		return 0;
	}
	if (!w->n++)
		puts("");
	if (known)
		printf("consignment %s of print batch %s held: centre '%s' is in the centres "
		       "register now: give the printing house its address\n", id, batch, centre);
	else
		printf("consignment %s of print batch %s held: centre '%s' is not in the centres "
		       "register (address unknown)\n", id, batch, centre);
	return 0;
}

int cp_held_open(struct cp_cmd_env *e, struct cp_held *h)
{
	char *schema = cp_xasprintf("%s/centres.xsd", e->conf.schemas);
	int rc = cp_centres_load(&h->centres, e->conf.centres, schema);

	free(schema);
	h->reg = &e->reg;
	return rc;
}

int cp_held_print(const struct cp_held *h, const char *print_batch, bool json)
{
	struct held_walk w = { h, print_batch, json, 0 };
	int rc;

	if (json)
		putchar('[');
	rc = cp_consignments_held_each(h->reg, on_held, &w) < 0 ? CP_EX_IOERR : CP_EX_OK;
	if (json)
		putchar(']');
	return rc;
}

void cp_held_close(struct cp_held *h)
{
	cp_centres_release(&h->centres);
}

int cp_cmd_held_consignments(struct cp_cmd_env *e)
{
	struct cp_held h;
	int rc = cp_held_open(e, &h);

	if (rc)
		return rc;
	rc = cp_held_print(&h, NULL, false);
	cp_held_close(&h);
	return rc;
}
