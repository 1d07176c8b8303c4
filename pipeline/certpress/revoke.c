/* certpress revoke REF [--award] [--in-error] --reason TEXT: the document
 * (with --award every document of its award) is revoked: verify and the
 * verification page say so from now on; revoking it again changes nothing.
 * The reason is the operator's and stays in the registry; the page shows
 * only its category: withdrawn by the awarding body, or (--in-error)
 * issued in error. */
#include "change.h"

#include <string.h>

#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

static int revoke_award(struct cp_cmd_env *e, const struct cp_card *card, const char *ref,
			const char *reason, const char *category, const char *by,
			const char *stamp)
{
	long n = 0;

	/* who revoked each document not revoked yet, then revoke them */
	if (cp_change_record_award(&e->reg, card->award_id, "revoked", by, stamp, reason) < 0 ||
	    cp_award_revoke(&e->reg, card->award_id, reason, category, stamp, &n) < 0)
		return -1;
	if (n)
		cp_info("%s: %ld documents of its award revoked", ref, n);
	else
		cp_info("%s: every document of its award was revoked already", ref);
	return 0;
}

static const struct cp_opt revoke_opts[] = {
	CP_OPT_FLAG_OF(struct cp_change_args, award, "award",
		       "every document of its award, certificate and transcript"),
	CP_OPT_FLAG_OF(struct cp_change_args, in_error, "in-error",
		       "the public page says issued in error, not withdrawn"),
	CP_CHANGE_REASON_ROW,
	CP_CHANGE_BY_ROW,
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_revoke_line = { "revoke", "REF", revoke_opts, NULL, 1, 1, 0 };

int cp_cmd_revoke(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	char ref[CP_REF_LEN + 1], stamp[32];
	const char *typed, *reason, *category;
	struct cp_change_args a;
	int rc;

	if ((rc = cp_change_args(&cp_revoke_line, argc, argv, &a)) != CP_CMD_GO)
		return rc;
	typed = a.ref;
	reason = a.reason;
	if ((rc = cp_change_begin(&e, config, typed, ref, &card)))
		goto out;
	category = a.in_error ? "error" : NULL;
	cp_time_stamp(stamp, sizeof(stamp));
	if (a.award) {
		if (revoke_award(&e, &card, ref, reason, category, a.by, stamp) < 0) {
			cp_registry_rollback(&e.reg);
			rc = CP_EX_IOERR;
			goto out;
		}
	} else if (!strcmp(card.f[CP_CARD_STATUS], "revoked")) {
		cp_info("%s was revoked already (%s)", ref, card.f[CP_CARD_STATUS_CHANGED]);
		cp_registry_rollback(&e.reg);
		goto publish;
	} else if (cp_document_revoke(&e.reg, ref, reason, category, stamp) < 0 ||
		   cp_change_record(&e.reg, ref, "revoked", a.by, stamp, reason) < 0) {
		cp_registry_rollback(&e.reg);
		rc = CP_EX_IOERR;
		goto out;
	}
	if (cp_registry_commit(&e.reg) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	if (!a.award)
		cp_info("%s revoked", ref);
publish:
	rc = cp_publish_at_end(&e, CP_EX_OK);
out:
	cp_card_release(&card);
	cp_cmd_env_release(&e);
	return rc;
}
