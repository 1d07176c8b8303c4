/* certpress keygen [--publish | --signing]: create the secret key for
 * reference check characters, or (--publish) the Ed25519 key pair that
 * signs verification snapshots: [verify] key-file (secret, mode 0600) and
 * [verify] public-key (PEM, for every verification host and the
 * deployment's README), or (--signing) a demonstration signing key and
 * certificate (keygen_signing.c). None is ever replaced. */
#include "cmd.h"

#include <libgen.h>
#include <stdbool.h>
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

struct keygen_args {
	bool publish, signing;
};

static const struct cp_opt opts[] = {
	CP_OPT_FLAG_OF(struct keygen_args, publish, "publish",
		       "the key pair that signs verification snapshots"),
	CP_OPT_FLAG_OF(struct keygen_args, signing, "signing",
		       "instead: a [sign] key and a self-signed certificate"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_keygen_line = { "keygen", NULL, opts, NULL, 0, 0, 0 };

int cp_cmd_keygen(int argc, char **argv, const char *config)
{
	struct keygen_args a = { false, false };
	struct cp_cmd_env e = { 0 };
	int first, rc;

	if ((rc = cp_cmd_args(&cp_keygen_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if (a.signing && a.publish) {
		cp_error("keygen: --signing and --publish make different keys: one at a time");
		return CP_EX_USAGE;
	}
	if (a.signing)
		return cp_cmd_keygen_signing(config);
	if ((rc = cp_cmd_conf(&e, config)) != 0)
		return rc;
	if (a.publish) {
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
