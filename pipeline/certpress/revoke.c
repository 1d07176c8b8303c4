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

#define REVOKE "revoke REF [--award] [--in-error] --reason TEXT"

static int revoke_award(struct cp_cmd_env *e, const struct cp_card *card, const char *ref,
			const char *reason, const char *category, const char *stamp)
{
	long n = 0;

	if (cp_award_revoke(&e->reg, card->award_id, reason, category, stamp, &n) < 0)
		return -1;
	if (n)
		cp_info("%s: %ld documents of its award revoked", ref, n);
	else
		cp_info("%s: every document of its award was revoked already", ref);
	return 0;
}

int cp_cmd_revoke(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	struct cp_change_flags flags = { 0 };
	char ref[CP_REF_LEN + 1], stamp[32];
	const char *typed, *reason, *category;
	int rc;

	if ((rc = cp_change_args(argc, argv, REVOKE, &typed, &reason, &flags)))
		return rc;
	if ((rc = cp_change_begin(&e, config, typed, ref, &card)))
		goto out;
	category = flags.in_error ? "error" : NULL;
	cp_time_stamp(stamp, sizeof(stamp));
	if (flags.award) {
		if (revoke_award(&e, &card, ref, reason, category, stamp) < 0) {
			cp_registry_rollback(&e.reg);
			rc = CP_EX_IOERR;
			goto out;
		}
	} else if (!strcmp(card.f[CP_CARD_STATUS], "revoked")) {
		cp_info("%s was revoked already (%s)", ref, card.f[CP_CARD_STATUS_CHANGED]);
		cp_registry_rollback(&e.reg);
		goto publish;
	} else if (cp_document_revoke(&e.reg, ref, reason, category, stamp) < 0) {
		cp_registry_rollback(&e.reg);
		rc = CP_EX_IOERR;
		goto out;
	}
	if (cp_registry_commit(&e.reg) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	if (!flags.award)
		cp_info("%s revoked", ref);
publish:
	rc = cp_publish_at_end(&e, CP_EX_OK);
out:
	cp_card_release(&card);
	cp_cmd_env_release(&e);
	return rc;
}
