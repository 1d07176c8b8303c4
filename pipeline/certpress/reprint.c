/* A reprint order (certpress order reprint, and certpress reprint, the same
 * order for scripts): the next issue of the document's serial supersedes
 * it, recorded as an order (who, when, why, delivery) to be generated and
 * as the document's change (who superseded it), its copies laid out now
 * into the spool's reprints folder and queued for the next print file; no
 * order is recorded without its PDFs, and a serial with an open order gets
 * no second one. */
#include "change.h"

#include <stdio.h>
#include <string.h>

#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

/* Whether the document may have a duplicate: CP_EX_OK, or 65 after saying
 * why not (revoked, superseded, a letter of proof, an open order, no issue
 * number left); in the ordering transaction. */
static int reprintable(struct cp_cmd_env *e, const struct cp_card *card, const char *ref)
{
	const char *status = card->f[CP_CARD_STATUS];

	if (!strcmp(status, "revoked") || !strcmp(status, "superseded")) {
		cp_error("%s is %s: %s", ref, status,
			 !strcmp(status, "revoked") ? "a revoked document is not reprinted"
						    : "reprint its latest issue instead");
		return CP_EX_DATAERR;
	}
	if (!strcmp(card->f[CP_CARD_TYPE], "proof-letter")) {
		cp_error("%s is a proof of qualification letter: order a new one instead "
			 "(certpress order letter)", ref);
		return CP_EX_DATAERR;
	}
	if (card->issue >= 99) {
		cp_error("%s: no issue number is left after 99", ref);
		return CP_EX_DATAERR;
	}
	return cp_order_refuse_open(e, ref);
}

int cp_order_reprint(const struct cp_cmdline *c, int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	struct cp_order_args a;
	char ref[CP_REF_LEN + 1], next[CP_REF_LEN + 1], today[11], stamp[32], why[700];
	long long id;
	int rc;

	if ((rc = cp_order_args(c, argc, argv, &a)) != CP_CMD_GO)
		return rc;
	if ((rc = cp_change_begin(&e, config, a.operand, ref, &card)))
		goto out;
	if ((rc = reprintable(&e, &card, ref)) != CP_EX_OK)
		goto rollback;
	cp_ref_format(&e.key, (uint32_t)card.serial, (unsigned)card.issue + 1, next);
	cp_date_format(cp_date_today(), today);
	cp_time_stamp(stamp, sizeof(stamp));
	snprintf(why, sizeof(why), "replaced by %s: %s", next, a.reason);
	if (cp_reprint_order(&e.reg, ref, next, today, a.reason, why, stamp) < 0 ||
	    cp_change_record(&e.reg, ref, "superseded", a.by, stamp, why) < 0 ||
	    cp_order_add(&e.reg, &(struct cp_order_new){ "reprint", next, ref, a.by, a.reason,
							 a.delivery, a.address },
			 stamp, &id) < 0)
		goto fail;
	/* the copies are made before the commit: no order without its PDF */
	if ((rc = cp_reprint_render(&e, next)) != CP_EX_OK)
		goto rollback;
	if (cp_registry_commit(&e.reg) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	cp_info("order %lld: %s supersedes %s; its copies are in the spool's reprints folder, "
		"to be generated into the next print file", id, next, ref);
	rc = cp_order_finish(&e, config, next);
	goto out;
fail:
	rc = CP_EX_IOERR;
rollback:
	cp_registry_rollback(&e.reg);
out:
	cp_card_release(&card);
	cp_cmd_env_release(&e);
	return rc;
}

int cp_cmd_reprint(int argc, char **argv, const char *config)
{
	return cp_order_reprint(&cp_reprint_line, argc, argv, config);
}
