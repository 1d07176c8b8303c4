/* certpress keygen: create the secret key for reference check characters;
 * with --signing a demonstration signing key instead (keygen_signing.c). */
#include "cmd.h"

#include <libgen.h>
#include <stdbool.h>
#include <stdlib.h>

#include "util/atomic.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct keygen_args {
	bool signing;
};

static const struct cp_opt opts[] = {
	CP_OPT_FLAG_OF(struct keygen_args, signing, "signing",
		       "instead: a [sign] key and a self-signed certificate"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_keygen_line = { "keygen", NULL, opts, NULL, 0, 0, 0 };

int cp_cmd_keygen(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct keygen_args a = { 0 };
	char *dir;
	int first, rc;

	if ((rc = cp_cmd_args(&cp_keygen_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if (a.signing)
		return cp_cmd_keygen_signing(config);
	if ((rc = cp_cmd_conf(&e, config)) != 0)
		return rc;
	dir = cp_xstrdup(e.conf.key_file);
	rc = cp_mkdirs(dirname(dir));
	free(dir);
	if (rc < 0) {
		cp_cmd_env_release(&e);
		return CP_EX_CANTCREAT;
	}
	rc = cp_ref_key_create(e.conf.key_file);
	if (rc > 0)
		cp_info("%s exists: left as it is (a new key would invalidate every reference)",
			e.conf.key_file);
	else if (rc == 0)
		cp_info("%s: new reference key (mode 0600); keep a copy somewhere safe",
			e.conf.key_file);
	cp_cmd_env_release(&e);
	return rc < 0 ? CP_EX_CANTCREAT : CP_EX_OK;
}
