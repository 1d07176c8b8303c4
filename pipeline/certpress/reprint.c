/* A reprint order (certpress order reprint, and certpress reprint, the same
 * order for scripts): the next issue of the document's serial supersedes
 * it, recorded as an order (who, when, why, delivery) to be generated, its
 * copies laid out now into the spool's reprints folder and queued for the
 * next print file; no order is recorded without its PDFs, and a serial
 * with an open order gets no second one. */
#include "change.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "opts.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

/* The orders' options beside REF or ENROLMENT: 0, or the usage code. */
int cp_order_args(int argc, char **argv, const char *synopsis, struct cp_order_args *a)
{
	const struct cp_opt opts[] = {
		{ CP_OPT_VALUE, "reason", 0, "TEXT", "why", NULL, &a->reason },
		{ CP_OPT_VALUE, "by", 0, "USER", "who ordered it", NULL, &a->by },
		{ CP_OPT_VALUE, "delivery", 0, "METHOD", "how it is sent", NULL, &a->delivery },
		{ CP_OPT_VALUE, "address", 0, "TEXT", "where it is sent", NULL, &a->address },
		CP_OPTS_END,
	};
	int first;

	if (cp_opts_parse(argc, argv, opts, 0, &first) != CP_OPTS_OK || argc - first != 1 ||
	    (a->reason_required && !a->reason) || (a->by_required && !a->by))
		return cp_cmd_usage(synopsis);
	a->operand = argv[first];
	if (a->reason && !cp_cmd_reason_ok(a->reason)) {
		cp_error("--reason must be 1 to 500 characters of text, without control characters");
		return CP_EX_USAGE;
	}
	if (!a->by) { /* certpress reprint, as before: the operator's login */
		struct passwd *pw = getpwuid(geteuid());

		a->by = pw ? pw->pw_name : "unknown";
	}
	if (!cp_cmd_reason_ok(a->by) || strlen(a->by) > 100) {
		cp_error("--by must be 1 to 100 characters of text, without control characters");
		return CP_EX_USAGE;
	}
	if (!a->delivery)
		a->delivery = "second-class-signed";
	if (!cp_order_delivery_known(a->delivery)) {
		cp_error("--delivery '%s' is not second-class-signed, first-class-signed, courier "
			 "or collection", a->delivery);
		return CP_EX_USAGE;
	}
	if (a->address && !cp_cmd_reason_ok(a->address)) {
		cp_error("--address must be 1 to 500 characters of text, without control characters");
		return CP_EX_USAGE;
	}
	return 0;
}

int cp_order_refuse_open(struct cp_cmd_env *e, const char *ref)
{
	char other[CP_REF_LEN + 1];
	long long id;
	int got = cp_order_open_for(&e->reg, ref, &id, other, sizeof(other));

	if (got < 0)
		return CP_EX_IOERR;
	if (got == 0)
		return CP_EX_OK;
	cp_error("%s: order %lld (%s) for this document is still open: one duplicate at a time",
		 ref, id, other);
	return CP_EX_DATAERR;
}

int cp_order_reprint(int argc, char **argv, const char *config, const char *synopsis,
		     bool by_required)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	struct cp_order_args a = { .reason_required = true, .by_required = by_required };
	char ref[CP_REF_LEN + 1], next[CP_REF_LEN + 1], today[11], stamp[32], why[700];
	const char *status;
	long long id;
	int rc;

	if ((rc = cp_order_args(argc, argv, synopsis, &a)))
		return rc;
	if ((rc = cp_change_begin(&e, config, a.operand, ref, &card)))
		goto out;
	status = card.f[CP_CARD_STATUS];
	if (!strcmp(status, "revoked") || !strcmp(status, "superseded")) {
		cp_error("%s is %s: %s", ref, status,
			 !strcmp(status, "revoked") ? "a revoked document is not reprinted"
						    : "reprint its latest issue instead");
		rc = CP_EX_DATAERR;
		goto rollback;
	}
	if (!strcmp(card.f[CP_CARD_TYPE], "proof-letter")) {
		cp_error("%s is a proof of qualification letter: order a new one instead "
			 "(certpress order letter)", ref);
		rc = CP_EX_DATAERR;
		goto rollback;
	}
	if ((rc = cp_order_refuse_open(&e, ref)) != CP_EX_OK)
		goto rollback;
	if (card.issue >= 99) {
		cp_error("%s: no issue number is left after 99", ref);
		rc = CP_EX_DATAERR;
		goto rollback;
	}
	cp_ref_format(&e.key, (uint32_t)card.serial, (unsigned)card.issue + 1, next);
	cp_date_format(cp_date_today(), today);
	cp_time_stamp(stamp, sizeof(stamp));
	snprintf(why, sizeof(why), "replaced by %s: %s", next, a.reason);
	if (cp_reprint_order(&e.reg, ref, next, today, a.reason, why, stamp) < 0 ||
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
	puts(next);
	fflush(stdout);
	cp_order_mail_now(config);
	rc = cp_publish_at_end(&e, CP_EX_OK);
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
	return cp_order_reprint(argc, argv, config, CP_REPRINT_SYNOPSIS, false);
}
