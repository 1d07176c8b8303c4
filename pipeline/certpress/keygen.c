/* certpress keygen [--publish]: create the secret key for reference check
 * characters, or (--publish) the Ed25519 key pair that signs verification
 * snapshots: [verify] key-file (secret, mode 0600) and [verify] public-key
 * (PEM, for every verification host and the deployment's README). Neither
 * is ever replaced. */
#include "cmd.h"

#include <libgen.h>
#include <stdlib.h>

#include "opts.h"
#include "util/atomic.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/edsign.h"
#include "util/xalloc.h"
#include "util/banned.h"

static int make_dir_of(const char *path)
{
	char *dir = cp_xstrdup(path);
	int rc = cp_mkdirs(dirname(dir));

	free(dir);
	return rc;
}

static int publish_key(const struct cp_conf *conf)
{
	int rc;

	if (make_dir_of(conf->verify_key_file) < 0 || make_dir_of(conf->verify_public_key) < 0)
		return -1;
	rc = cp_edsign_keygen(conf->verify_key_file, conf->verify_public_key);
	if (rc > 0)
		cp_info("%s exists: left as it is (a new key would make every verification host "
			"refuse the snapshots until given its public key)", conf->verify_key_file);
	else if (rc == 0)
		cp_info("%s: new publish key (mode 0600); its public key is %s: give it to every "
			"verification host", conf->verify_key_file, conf->verify_public_key);
	return rc;
}

int cp_cmd_keygen(int argc, char **argv, const char *config)
{
	bool publish = false;
	const struct cp_opt opts[] = {
		{ CP_OPT_FLAG, "publish", 0, NULL, "the key pair that signs snapshots", &publish, NULL },
		CP_OPTS_END,
	};
	struct cp_cmd_env e = { 0 };
	int rc, first;

	if (cp_opts_parse(argc, argv, opts, 0, &first) != CP_OPTS_OK || first != argc)
		return cp_cmd_usage("keygen [--publish]");
	if ((rc = cp_cmd_conf(&e, config)) != 0)
		return rc;
	if (publish) {
		rc = publish_key(&e.conf);
		cp_cmd_env_release(&e);
		return rc < 0 ? CP_EX_CANTCREAT : CP_EX_OK;
	}
	if (make_dir_of(e.conf.key_file) < 0) {
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
