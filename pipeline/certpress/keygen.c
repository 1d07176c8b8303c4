/* certpress keygen: create the secret key for reference check characters. */
#include "cmd.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "util/atomic.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

int cp_cmd_keygen(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	char *dir;
	int rc;

	if (argc == 2 && !strcmp(argv[1], "--signing"))
		return cp_cmd_keygen_signing(config);
	if (argc != 1)
		return cp_cmd_usage("keygen [--signing]");
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
