/* certpress revoke REF --reason TEXT: the document is revoked (verify
 * says so from now on); revoking it again changes nothing. */
#include "change.h"

#include <string.h>

#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

const struct cp_cmdline cp_revoke_line = { "revoke", "REF", cp_change_opts, NULL, 1, 1, 0 };

int cp_cmd_revoke(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	char ref[CP_REF_LEN + 1], stamp[32];
	const char *typed, *reason;
	struct cp_change_args a;
	int rc;

	if ((rc = cp_change_args(&cp_revoke_line, argc, argv, &a)) != CP_CMD_GO)
		return rc;
	typed = a.ref;
	reason = a.reason;
	if ((rc = cp_change_begin(&e, config, typed, ref, &card)))
		goto out;
	if (!strcmp(card.f[CP_CARD_STATUS], "revoked")) {
		cp_info("%s was revoked already (%s)", ref, card.f[CP_CARD_STATUS_CHANGED]);
		cp_registry_rollback(&e.reg);
		goto out;
	}
	cp_time_stamp(stamp, sizeof(stamp));
	if (cp_document_revoke(&e.reg, ref, reason, stamp) < 0 ||
	    cp_change_record(&e.reg, ref, "revoked", a.by, stamp, reason) < 0) {
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
