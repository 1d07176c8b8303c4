/* certpress reprint and revoke: the registry's write side for operators.
 * Each change is one transaction; the document is read again inside it, so
 * two operators cannot both supersede the same original. */
#include "cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "card.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

#define REPRINT "reprint REF --reason TEXT"
#define REVOKE "revoke REF --reason TEXT"

static int ref_and_reason(int argc, char **argv, const char *synopsis, const char **ref,
			  const char **reason)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*reason = NULL;
	optind = 0; /* GNU getopt: start afresh after the global options */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'r')
			return cp_cmd_usage(synopsis);
		*reason = optarg;
	}
	if (argc - optind != 1 || !*reason)
		return cp_cmd_usage(synopsis);
	if (!cp_cmd_reason_ok(*reason)) {
		cp_error("--reason must be 1 to 500 characters of text, without control characters");
		return CP_EX_USAGE;
	}
	*ref = argv[optind];
	return 0;
}

/* Open everything and find the document inside a write transaction. */
static int begin(struct cp_cmd_env *e, const char *config, const char *typed,
		 char ref[CP_REF_LEN + 1], struct cp_card *card)
{
	int rc;

	if ((rc = cp_cmd_conf(e, config)) || (rc = cp_cmd_key(e)))
		return rc;
	if (cp_cmd_reference(e, typed, ref)) {
		cp_error("'%s' is not a reference this awarding body issued", typed);
		return CP_EX_NOINPUT;
	}
	if ((rc = cp_cmd_registry(e)))
		return rc;
	if (cp_registry_begin(&e->reg) < 0)
		return CP_EX_TEMPFAIL;
	rc = cp_card_find(&e->reg, ref, card);
	if (rc <= 0) {
		cp_registry_rollback(&e->reg);
		if (rc == 0)
			cp_error("%s: no such document", ref);
		return rc < 0 ? CP_EX_IOERR : CP_EX_NOINPUT;
	}
	return 0;
}

int cp_cmd_reprint(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	char ref[CP_REF_LEN + 1], next[CP_REF_LEN + 1], today[11], stamp[32], why[700];
	const char *typed, *reason, *status;
	int rc;

	if ((rc = ref_and_reason(argc, argv, REPRINT, &typed, &reason)))
		return rc;
	if ((rc = begin(&e, config, typed, ref, &card)))
		goto out;
	status = card.f[CP_CARD_STATUS];
	if (!strcmp(status, "revoked") || !strcmp(status, "superseded")) {
		cp_error("%s is %s: %s", ref, status,
			 !strcmp(status, "revoked") ? "a revoked document is not reprinted"
						    : "reprint its latest issue instead");
		rc = CP_EX_DATAERR;
		goto rollback;
	}
	if (card.issue >= 99) {
		cp_error("%s: no issue number is left after 99", ref);
		rc = CP_EX_DATAERR;
		goto rollback;
	}
	cp_ref_format(&e.key, (uint32_t)card.serial, (unsigned)card.issue + 1, next);
	cp_date_format(cp_date_today(), today);
	cp_time_stamp(stamp, sizeof(stamp));
	snprintf(why, sizeof(why), "replaced by %s: %s", next, reason);
	if (cp_reprint_order(&e.reg, ref, next, today, reason, why, stamp) < 0)
		goto fail;
	/* the copies are made before the commit: no order without its PDF */
	if ((rc = cp_reprint_render(&e, next)) != CP_EX_OK)
		goto rollback;
	if (cp_registry_commit(&e.reg) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	cp_info("%s supersedes %s; its copies are in the spool's reprints folder, queued for"
		" the next print file", next, ref);
	puts(next);
	rc = CP_EX_OK;
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

int cp_cmd_revoke(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	char ref[CP_REF_LEN + 1], stamp[32];
	const char *typed, *reason;
	int rc;

	if ((rc = ref_and_reason(argc, argv, REVOKE, &typed, &reason)))
		return rc;
	if ((rc = begin(&e, config, typed, ref, &card)))
		goto out;
	if (!strcmp(card.f[CP_CARD_STATUS], "revoked")) {
		cp_info("%s was revoked already (%s)", ref, card.f[CP_CARD_STATUS_CHANGED]);
		cp_registry_rollback(&e.reg);
		goto out;
	}
	cp_time_stamp(stamp, sizeof(stamp));
	if (cp_document_revoke(&e.reg, ref, reason, stamp) < 0) {
		cp_registry_rollback(&e.reg);
		rc = CP_EX_IOERR;
		goto out;
	}
	if (cp_registry_commit(&e.reg) < 0)
		rc = CP_EX_IOERR;
	else
		cp_info("%s revoked", ref);
out:
	cp_card_release(&card);
	cp_cmd_env_release(&e);
	return rc;
}
