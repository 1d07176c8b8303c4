/* certpress search: the documents whose learner or award matches every
 * field given, one line (or JSON object) a card; exit 1 if none. */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "card.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

struct search_args {
	bool json;
	struct cp_card_query q;
};

#define CRITERION(f, NAME, ARG, HELP) \
	CP_OPT_VALUE_OF(struct search_args, q.f, NAME, ARG, HELP)
static const struct cp_opt opts[] = {
	CP_OPT_FLAG_OF(struct search_args, json, "json", "JSON, for scripts"),
	CRITERION(reference, "reference", "R", "this reference"),
	CRITERION(candidate, "candidate", "N", "this candidate number"),
	CRITERION(enrolment, "enrolment", "N", "this enrolment number"),
	CRITERION(first_name, "first-name", "S", "this first name (ASCII case ignored)"),
	CRITERION(last_name, "last-name", "S", "this last name (ASCII case ignored)"),
	CRITERION(dob, "dob", "YYYY-MM-DD", "this date of birth"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_search_line = { "search", NULL, opts, NULL, 0, 0, 0 };

/* One card found by search, printed as it comes. */
struct found {
	bool json;
	int n;
};

static int print_found(void *ctx, struct cp_card *card)
{
	struct found *f = ctx;

	if (f->json) {
		if (f->n)
			putchar(',');
		cp_card_print_json(stdout, card);
	} else {
		cp_card_print_line(stdout, card);
	}
	f->n++;
	cp_card_release(card);
	return 0;
}

/* The criteria are checked before anything is opened: at least one, a
 * real date of birth. CP_CMD_GO or the exit code. */
static int search_args(int argc, char **argv, struct search_args *a)
{
	const struct cp_card_query *q = &a->q;
	struct cp_date dob;
	int first, rc;

	if ((rc = cp_cmd_args(&cp_search_line, argc, argv, a, &first)) != CP_CMD_GO)
		return rc;
	if (!q->reference && !q->candidate && !q->enrolment && !q->first_name && !q->last_name &&
	    !q->dob)
		return cp_cmd_usage(&cp_search_line);
	if (q->dob && !cp_date_parse(q->dob, &dob)) {
		cp_error("--dob '%s' is not a date (YYYY-MM-DD)", q->dob);
		return CP_EX_USAGE;
	}
	return CP_CMD_GO;
}

/* A typed reference in its normalised form (into ref); a mistyped one
 * would match nothing, so it is refused saying why: 0 or 64. */
static int normalise_reference(struct cp_card_query *q, char ref[CP_REF_LEN + 1])
{
	uint32_t serial;
	unsigned issue;

	if (!q->reference)
		return 0;
	if (!cp_ref_parse(q->reference, ref, &serial, &issue)) {
		cp_error("'%s' is not a reference", q->reference);
		return CP_EX_USAGE;
	}
	q->reference = ref;
	return 0;
}

int cp_cmd_search(int argc, char **argv, const char *config)
{
	struct search_args a;
	struct cp_cmd_env e = { 0 };
	struct found found = { false, 0 };
	char ref[CP_REF_LEN + 1];
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = search_args(argc, argv, &a)) != CP_CMD_GO)
		return rc;
	found.json = a.json;
	/* no key: a search matches references as typed (normalised), and an
	 * operator in the spool's group, who may not read the key, searches too */
	if ((rc = cp_cmd_conf(&e, config)) || (rc = normalise_reference(&a.q, ref)) ||
	    (rc = cp_cmd_registry_read(&e)))
		goto out;
	if (found.json)
		putchar('[');
	rc = cp_card_search(&e.reg, &a.q, print_found, &found);
	if (found.json)
		puts("]");
	rc = rc < 0 ? CP_EX_IOERR : found.n ? CP_EX_OK : 1;
out:
	cp_cmd_env_release(&e);
	return rc;
}
