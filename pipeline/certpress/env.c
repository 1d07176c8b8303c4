/* Shared set-up for subcommands: their arguments; config, key and registry,
 * opened lazily so that, for example, verify can refuse a bad reference
 * without the registry. */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "util/exitcode.h"
#include "util/msg.h"
#include "util/utf8.h"
#include "zipseal.h"
#include "util/banned.h"

int cp_cmd_conf(struct cp_cmd_env *e, const char *config)
{
	if (cp_conf_load(&e->conf, config) < 0)
		return CP_EX_CONFIG;
	e->have_conf = true;
	return 0;
}

int cp_cmd_key(struct cp_cmd_env *e)
{
	if (cp_ref_key_load(&e->key, e->conf.key_file) < 0)
		return CP_EX_CONFIG;
	e->have_key = true;
	return 0;
}

int cp_cmd_registry(struct cp_cmd_env *e)
{
	if (cp_registry_open(&e->reg, e->conf.registry) < 0)
		return CP_EX_CANTCREAT;
	e->have_reg = true;
	/* a registry made before it kept units: read them once (a failure is
	 * said and tried again next time, never a command's failure) */
	cp_fill_old_batches(e);
	/* an older certpress's clear zip passwords: sealed now if this user
	 * can read the key (else said, and left for one who can) */
	cp_zip_passwords_upgrade(&e->reg, e->conf.key_file);
	return 0;
}

int cp_cmd_spool(struct cp_cmd_env *e)
{
	if (cp_spool_open(&e->spool, &e->conf) < 0)
		return CP_EX_CANTCREAT;
	e->have_spool = true;
	return 0;
}

int cp_cmd_registry_read(struct cp_cmd_env *e)
{
	if (cp_registry_open_read(&e->reg, e->conf.registry) < 0)
		return CP_EX_CANTCREAT;
	e->have_reg = true;
	if (!e->reg.readonly) /* it may just have been migrated: as above */
		cp_zip_passwords_upgrade(&e->reg, e->conf.key_file);
	return 0;
}

void cp_cmd_env_release(struct cp_cmd_env *e)
{
	if (e->have_spool)
		cp_spool_release(&e->spool);
	if (e->have_reg)
		cp_registry_close(&e->reg);
	if (e->have_key)
		cp_ref_key_wipe(&e->key);
	if (e->have_conf)
		cp_conf_release(&e->conf);
	memset(e, 0, sizeof(*e));
}

int cp_cmd_reference(struct cp_cmd_env *e, const char *typed, char out[CP_REF_LEN + 1])
{
	uint32_t serial;
	unsigned issue;

	if (!cp_ref_parse(typed, out, &serial, &issue) || !cp_ref_verify(&e->key, out))
		return 1;
	return 0;
}

int cp_cmd_batch_locked(struct cp_cmd_env *e, const char *config, const char *arg,
			const char *left, char batch[CP_BATCH_ID_MAX], char **dir, int *fd)
{
	int rc, got;

	*dir = NULL;
	*fd = -1;
	if ((rc = cp_cmd_conf(e, config)) || (rc = cp_cmd_registry(e)) || (rc = cp_cmd_spool(e)))
		return rc;
	if (cp_spool_batch_arg(&e->spool, arg, batch) < 0)
		return CP_EX_NOINPUT;
	*dir = cp_spool_batch_dir(&e->spool, batch);
	if ((got = cp_batch_lock(*dir, batch, fd)) > 0)
		cp_error("batch %s is being worked on by another process: %s", batch, left);
	return got > 0 ? CP_EX_TEMPFAIL : got < 0 ? CP_EX_IOERR : 0;
}

bool cp_cmd_reason_ok(const char *reason)
{
	return reason && *reason && cp_utf8_valid(reason, strlen(reason)) &&
	       !cp_utf8_has_control(reason) && cp_utf8_length(reason) <= 500;
}

int cp_cmd_text_arg(const char *opt, const char *value)
{
	if (cp_cmd_reason_ok(value))
		return 0;
	cp_error("--%s must be 1 to 500 characters of text, without control characters", opt);
	return CP_EX_USAGE;
}

int cp_cmd_usage(const struct cp_cmdline *c)
{
	cp_opts_synopsis(stderr, "usage: ", "certpress", c, 80);
	return CP_EX_USAGE;
}

int cp_cmd_args(const struct cp_cmdline *c, int argc, char **argv, void *args, int *first)
{
	switch (cp_opts_parse(c, argc, argv, args, first)) {
	case CP_OPTS_OK:
		return CP_CMD_GO;
	case CP_OPTS_HELP:
		cp_opts_synopsis(stdout, "usage: ", "certpress", c, 80);
		putchar('\n');
		cp_opts_usage(stdout, c->opts);
		return CP_EX_OK;
	default:
		return cp_cmd_usage(c);
	}
}
