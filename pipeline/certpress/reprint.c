/* certpress reprint REF --reason TEXT: a replacement (the next issue of
 * the same serial) supersedes the document, its copies laid out now into
 * the spool's reprints folder and queued for the next print file; no
 * order is recorded without its PDFs. */
#include "change.h"

#include <stdio.h>
#include <string.h>

#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

const struct cp_cmdline cp_reprint_line = { "reprint", "REF", cp_change_opts, NULL, 1, 1, 0 };

int cp_cmd_reprint(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	char ref[CP_REF_LEN + 1], next[CP_REF_LEN + 1], today[11], stamp[32], why[700];
	const char *typed, *reason, *status;
	struct cp_change_args a;
	int rc;

	if ((rc = cp_change_args(&cp_reprint_line, argc, argv, &a)) != CP_CMD_GO)
		return rc;
	typed = a.ref;
	reason = a.reason;
	if ((rc = cp_change_begin(&e, config, typed, ref, &card)))
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
	if (cp_reprint_order(&e.reg, ref, next, today, reason, why, stamp) < 0 ||
	    cp_change_record(&e.reg, ref, "superseded", a.by, stamp, why) < 0)
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
