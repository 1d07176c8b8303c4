/* Settling the emails a stopped notify left 'intent', by what its handover
 * journal says (stages/notify/handover.h): one shape for the three email
 * tables, each of which owns the call for its rows (notifications.c,
 * orders.c, centremails.c). */
#include "registry/internal.h"

#include <stdlib.h>

#include "util/date.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The rows of table left 'intent' that match (a condition on ?1), given
 * set and reply; *n how many. */
static int settle(struct cp_registry *r, const char *table, const char *batch, const char *set,
		  const char *match, const char *list, const char *reply, long *n)
{
	char stamp[32];
	char *sql = cp_xasprintf("UPDATE %s SET %s, reply = ?2, updated = ?3 WHERE status = 'intent'"
				 " AND %s%s", table, set, match, batch ? " AND batch_id = ?4" : "");
	int rc = cp_reg_run_text(r, sql, "settling the emails a stopped notify left 'intent'",
				 batch ? 4 : 3, list, reply, cp_time_stamp(stamp, sizeof(stamp)),
				 batch);

	free(sql);
	*n = rc < 0 ? 0 : cp_reg_changes(r);
	return rc;
}

/* The lists are JSON arrays, read once into an index of their own (an IN
 * of a subquery), so settling a session of any size is one pass. */
#define IN_LIST "hex(message_id) IN (SELECT value FROM json_each(?1))"
#define UNKNOWN_REPLY CP_OUTCOME_UNKNOWN ": notify was stopped after the message's content" \
	" went out (it may have been delivered)"

int cp_reg_settle_intents(struct cp_registry *r, const char *table, const char *batch,
			  struct cp_intents *in)
{
	in->accepted_n = in->unknown = in->given_back = 0;
	if (!in->handed) /* nothing known: every one may have been delivered */
		return settle(r, table, batch, "status = 'deferred'", "?1 IS NULL", NULL,
			      UNKNOWN_REPLY, &in->unknown);
	/* in this order: an accepted message was handed over too */
	if (settle(r, table, batch, "status = 'sent'", IN_LIST, in->accepted,
		   "250 accepted (recorded from the handover journal: notify was stopped before"
		   " its outcomes)", &in->accepted_n) < 0 ||
	    settle(r, table, batch, "status = 'deferred'", IN_LIST, in->handed, UNKNOWN_REPLY,
		   &in->unknown) < 0 ||
	    settle(r, table, batch, "status = 'deferred', attempts = max(attempts - 1, 0)",
		   "NOT " IN_LIST, in->handed, "not tried: notify was stopped before the message's"
		   " content went out", &in->given_back) < 0)
		return -1;
	return 0;
}
