/* Document cards: looked up from a typed reference, printed for people
 * and for scripts. */
#include "card.h"

#include <stdlib.h>
#include <string.h>

#include "engine/bind.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/secret.h"
#include "util/xalloc.h"
#include "util/banned.h"

const struct cp_opt cp_card_opts[] = {
	CP_OPT_FLAG_OF(struct cp_card_args, json, "json", "JSON, for scripts"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};

int cp_card_args(const struct cp_cmdline *c, int argc, char **argv, struct cp_card_args *a)
{
	int first, rc;

	memset(a, 0, sizeof(*a));
	if ((rc = cp_cmd_args(c, argc, argv, a, &first)) == CP_CMD_GO)
		a->ref = argv[first];
	return rc;
}

int cp_card_lookup(struct cp_cmd_env *e, const char *config, const char *typed,
		   char ref[CP_REF_LEN + 1], struct cp_card *card)
{
	uint32_t serial;
	unsigned issue;
	int rc;

	if ((rc = cp_cmd_conf(e, config)))
		return rc;
	if (!cp_secret_readable(e->conf.key_file)) {
		/* an operator in the spool's group may not read the key: the
		 * reference is looked up as typed (normalised), so its check
		 * characters are checked against the registry's record of it */
		cp_info("%s: the reference key is not this user's to read: the reference is "
			"checked against the registry", e->conf.key_file);
		if (!cp_ref_parse(typed, ref, &serial, &issue))
			return 1;
	} else if ((rc = cp_cmd_key(e))) {
		return rc;
	} else if (cp_cmd_reference(e, typed, ref)) {
		return 1;
	}
	if ((rc = cp_cmd_registry_read(e)))
		return rc;
	rc = cp_card_find(&e->reg, ref, card);
	if (rc < 0)
		return CP_EX_IOERR;
	return rc ? 0 : 1;
}

static const char *const labels[CP_CARD_NFIELDS] = {
	"reference", "document", "status", "first name", "middle names", "last name",
	"enrolment", "candidate", "qualification", "title", "grade", "awarded", "issued",
	"centre", "centre name", "expires", "status reason", "status changed", "changed by",
	"date of birth", "replaces", "paper serial",
};

static const char *const keys[CP_CARD_NFIELDS] = {
	"reference", "type", "status", "first_name", "middle_names", "last_name", "enrolment",
	"candidate", "qualification", "qualification_title", "grade", "awarded", "issued",
	"centre", "centre_name", "expires", "status_reason", "status_changed",
	"status_changed_by", "dob", "replaces", "paper_serial",
};

static char *full_name(const struct cp_card *c)
{
	const char *m = c->f[CP_CARD_MIDDLE_NAMES];

	return cp_bind_full_name(c->f[CP_CARD_FIRST_NAME], m, c->f[CP_CARD_LAST_NAME]);
}

void cp_card_print(FILE *f, const struct cp_card *c)
{
	static const int order[] = {
		CP_CARD_REFERENCE, CP_CARD_TYPE, CP_CARD_STATUS, -1, CP_CARD_ENROLMENT,
		CP_CARD_CANDIDATE, CP_CARD_QUALIFICATION, CP_CARD_TITLE, CP_CARD_GRADE,
		CP_CARD_AWARDED, CP_CARD_ISSUED, CP_CARD_REPLACES, CP_CARD_EXPIRES, CP_CARD_CENTRE,
		CP_CARD_STATUS_REASON, CP_CARD_STATUS_CHANGED, CP_CARD_CHANGED_BY,
		CP_CARD_PAPER_SERIAL,
	};
	char *name = full_name(c);

	for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++) {
		int k = order[i];

		if (k < 0)
			fprintf(f, "%-15s %s\n", "name:", name);
		else if (k == CP_CARD_CENTRE)
			fprintf(f, "%-15s %s %s\n", "centre:", c->f[k] ? c->f[k] : "",
				c->f[CP_CARD_CENTRE_NAME] ? c->f[CP_CARD_CENTRE_NAME] : "");
		else if (k == CP_CARD_EXPIRES)
			fprintf(f, "%-15s %s\n", "expires:", c->f[k] ? c->f[k] : "never");
		else if (c->f[k]) {
			char label[32];

			snprintf(label, sizeof(label), "%s:", labels[k]);
			fprintf(f, "%-15s %s\n", label, c->f[k]);
		}
	}
	free(name);
}

void cp_card_print_json(FILE *f, const struct cp_card *c)
{
	char *name = full_name(c);
	int first = 1;

	fputc('{', f);
	for (int i = 0; i < CP_CARD_NFIELDS; i++)
		if (i != CP_CARD_DOB)
			cp_json_field(f, &first, keys[i], c->f[i]);
	cp_json_field(f, &first, "full_name", name);
	fputc('}', f);
	free(name);
}

void cp_card_print_line(FILE *f, const struct cp_card *c)
{
	char *name = full_name(c);

	/* as the portals' search results: reference, type, status, candidate
	 * number, name, qualification title, centre, issue date */
	fprintf(f, "%s  %-11s %-10s %-10s %s  %s  %s  %s\n", c->f[CP_CARD_REFERENCE],
		c->f[CP_CARD_TYPE], c->f[CP_CARD_STATUS],
		c->f[CP_CARD_CANDIDATE] ? c->f[CP_CARD_CANDIDATE] : "", name,
		c->f[CP_CARD_TITLE] ? c->f[CP_CARD_TITLE] : "",
		c->f[CP_CARD_CENTRE] ? c->f[CP_CARD_CENTRE] : "",
		c->f[CP_CARD_ISSUED] ? c->f[CP_CARD_ISSUED] : "");
	free(name);
}
