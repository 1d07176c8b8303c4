/* certpress printed FILE: the printing house's confirmation of a print
 * batch (config/confirmation.xsd) checked against the ticket's print batch
 * in the registry and recorded in one transaction: per document printed or
 * spoiled with its security paper's serial (a spoiled one goes back to be
 * printed by the next print file, same reference), per consignment the
 * dispatch date and tracking reference (and the centre's dispatch email of
 * a run's consignment queued); the orders follow. Every error is
 * reported with its line and nothing is recorded (65). What is recorded
 * already exactly so is no change, so the same file twice changes nothing
 * the second time. */
#include "change.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "centres.h"
#include "opts.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/strmap.h"
#include "util/xalloc.h"
#include "util/xmldoc.h"
#include "util/banned.h"


struct printed_args {
	const char *by;
};

static const struct cp_opt opts[] = {
	CP_OPT_VALUE_OF(struct printed_args, by, "by", "NAME",
			"who reads it in (else the login name)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_printed_line = { "printed", NULL, opts, "FILE", 1, 1, 0 };
#define CONFIRMATION_MAX_BYTES (256L << 20)

struct confirming {
	struct cp_registry *reg;
	struct cp_centres centres;
	const char *path, *batch;
	char stamp[32], by[CP_WHO_SIZE];
	struct cp_strmap refs, serials, consignments;
	long errors, printed, spoiled, dispatched, known;
};

static void refuse(struct confirming *c, xmlNodePtr n, const char *why)
{
	cp_error("%s:%ld: %s", c->path, cp_xmldoc_line(n), why);
	c->errors++;
}

/* A value the file gives twice where once is the rule. */
static bool twice(struct confirming *c, struct cp_strmap *m, xmlNodePtr n, const char *what,
		  const char *value)
{
	char why[256];
	long first;

	if (!cp_strmap_add(m, value, cp_xmldoc_line(n), &first))
		return false;
	snprintf(why, sizeof(why), "%s '%s' is given twice (first on line %ld)", what, value,
		 first);
	refuse(c, n, why);
	return true;
}

static int document(struct confirming *c, xmlNodePtr n)
{
	char *ref = cp_xmldoc_attr(n, "reference"), *serial = cp_xmldoc_attr(n, "paper-serial");
	char *outcome = cp_xmldoc_attr(n, "outcome"), why[300];
	bool printed = outcome && !strcmp(outcome, "printed");
	int rc = 0;

	if (!twice(c, &c->refs, n, "reference", ref) &&
	    !twice(c, &c->serials, n, "paper serial", serial)) {
		rc = cp_print_confirm_document(c->reg, c->batch, ref, serial, printed, c->stamp, why,
					       sizeof(why));
		if (rc == 2)
			refuse(c, n, why);
		else if (rc == 1)
			printed ? c->printed++ : c->spoiled++;
		else if (rc == 0)
			c->known++;
	}
	free(ref);
	free(serial);
	free(outcome);
	return rc < 0 ? -1 : 0;
}

static int consignment(struct confirming *c, xmlNodePtr n)
{
	char *id = cp_xmldoc_attr(n, "id"), *date = cp_xmldoc_attr(n, "dispatched");
	char *tracking = cp_xmldoc_attr(n, "tracking"), why[300];
	struct cp_date d;
	int rc = 0;

	if (twice(c, &c->consignments, n, "consignment", id))
		;
	else if (!cp_date_parse(date, &d))
		refuse(c, n, "dispatched is not a date (YYYY-MM-DD)");
	else if (cp_date_cmp(d, cp_date_today()) > 0)
		refuse(c, n, "dispatched is in the future");
	else {
		rc = cp_print_confirm_consignment(c->reg, c->batch, id, date, tracking, c->stamp,
						  why, sizeof(why));
		if (rc == 2)
			refuse(c, n, why);
		else if (rc == 1 &&
			 cp_centre_email_queue_consignment(c->reg, c->batch, id, c->stamp) < 0)
			rc = -1;
		else if (rc == 1)
			c->dispatched++;
		else if (rc == 0)
			c->known++;
	}
	free(id);
	free(date);
	free(tracking);
	return rc < 0 ? -1 : 0;
}

/* A consignment held for an address the register lacked is released once
 * the register has it: the printing house was given it since. */
static int release(void *ctx, const char *batch, const char *id, const char *centre)
{
	struct confirming *c = ctx;
	const struct cp_centre *k = cp_centres_find(&c->centres, centre);

	if (!k || strcmp(batch, c->batch))
		return 0;
	cp_info("consignment %s of print batch %s: centre '%s' is in the centres register now",
		id, batch, centre);
	return cp_print_consignment_release(c->reg, batch, id, k->address);
}

/* Every document first, then every consignment: a consignment is
 * dispatched only once each of its documents is printed or spoiled. */
static int confirm(struct confirming *c, xmlNodePtr root)
{
	for (xmlNodePtr n = root->children; n; n = n->next)
		if (cp_xmldoc_is(n, "document") && document(c, n) < 0)
			return -1;
	for (xmlNodePtr n = root->children; n; n = n->next)
		if (cp_xmldoc_is(n, "consignment") && consignment(c, n) < 0)
			return -1;
	return 0;
}

static int record(struct cp_cmd_env *e, struct confirming *c, xmlNodePtr root)
{
	struct cp_print_batch_info info;
	char why[160];
	long moved = 0;
	int rc;

	if (cp_registry_begin(&e->reg) < 0)
		return CP_EX_IOERR;
	if ((rc = cp_print_batch_get(&e->reg, c->batch, &info)) <= 0) {
		cp_registry_rollback(&e->reg);
		if (rc < 0)
			return CP_EX_IOERR;
		snprintf(why, sizeof(why), "print batch '%s' is unknown (no print file of that "
			 "name)", c->batch);
		refuse(c, root, why);
		return CP_EX_DATAERR;
	}
	if (cp_consignments_held_each(&e->reg, release, c) < 0 || confirm(c, root) < 0 ||
	    (!c->errors && cp_print_batches_advance(&e->reg, c->stamp, c->by, &moved) < 0)) {
		cp_registry_rollback(&e->reg);
		return CP_EX_IOERR;
	}
	if (c->errors) {
		cp_registry_rollback(&e->reg);
		cp_error("%s: %ld error%s: nothing recorded", c->path, c->errors,
			 c->errors == 1 ? "" : "s");
		return CP_EX_DATAERR;
	}
	if (cp_registry_commit(&e->reg) < 0)
		return CP_EX_IOERR;
	if (cp_print_batch_get(&e->reg, c->batch, &info) < 0)
		return CP_EX_IOERR;
	printf("print batch %s: %ld printed, %ld spoiled, %ld consignment%s dispatched, %ld "
	       "recorded before; %s\n", c->batch, c->printed, c->spoiled, c->dispatched,
	       c->dispatched == 1 ? "" : "s", c->known, info.state);
	return CP_EX_OK;
}

int cp_cmd_printed(int argc, char **argv, const char *config)
{
	struct printed_args a = { NULL };
	struct cp_cmd_env e = { 0 };
	struct confirming c;
	xmlDocPtr doc = NULL;
	char *schema = NULL, *batch = NULL;
	int rc, first;

	if ((rc = cp_cmd_args(&cp_printed_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	memset(&c, 0, sizeof(c));
	if ((rc = cp_who(a.by, c.by, sizeof(c.by))))
		return rc;
	c.path = argv[first];
	if ((rc = cp_cmd_conf(&e, config)))
		goto out;
	schema = cp_xasprintf("%s/centres.xsd", e.conf.schemas);
	rc = cp_centres_load(&c.centres, e.conf.centres, schema);
	free(schema);
	schema = NULL; /* out: frees the confirmation's */
	if (rc)
		goto out;
	schema = cp_xasprintf("%s/confirmation.xsd", e.conf.schemas);
	if ((rc = cp_xmldoc_load(c.path, CONFIRMATION_MAX_BYTES, schema, "confirmation",
				 CP_EX_DATAERR, &doc)))
		goto out;
	if ((rc = cp_cmd_registry(&e)))
		goto out;
	batch = cp_xmldoc_attr(xmlDocGetRootElement(doc), "print-batch");
	c.batch = batch;
	c.reg = &e.reg;
	cp_time_stamp(c.stamp, sizeof(c.stamp));
	rc = record(&e, &c, xmlDocGetRootElement(doc));
	/* the dispatch emails queued in that transaction (the orders' and the
	 * consignments') go out now */
	if (rc == CP_EX_OK && c.dispatched)
		cp_order_mail_now(config);
out:
	cp_strmap_release(&c.refs);
	cp_strmap_release(&c.serials);
	cp_strmap_release(&c.consignments);
	cp_centres_release(&c.centres);
	xmlFreeDoc(doc);
	free(schema);
	free(batch);
	cp_cmd_env_release(&e);
	return rc;
}
