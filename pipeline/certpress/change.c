/* The arguments and the transaction reprint and revoke share. */
#include "change.h"

#include <getopt.h>
#include <stdio.h>

#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

int cp_change_args(int argc, char **argv, const char *synopsis, const char **ref,
		    const char **reason, struct cp_change_flags *flags)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "award", no_argument, NULL, 'a' },
		{ "in-error", no_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*reason = NULL;
	optind = 0; /* GNU getopt: start afresh after the global options */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r')
			*reason = optarg;
		else if (flags && (c == 'a' || c == 'e'))
			*(c == 'a' ? &flags->award : &flags->in_error) = true;
		else
			return cp_cmd_usage(synopsis);
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

int cp_change_begin(struct cp_cmd_env *e, const char *config, const char *typed,
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
