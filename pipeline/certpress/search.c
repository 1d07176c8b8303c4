/* certpress search, as staff search the portals: the documents whose
 * learner, award or document matches every field given (names by prefix,
 * without regard to case or accents in any script; dates as typed), a
 * page of them, one line (or JSON object) a card; exit 1 if none. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/fold.h"
#include "util/msg.h"
#include "util/banned.h"

struct search_args {
	bool json;
	struct cp_card_query q;
	const char *limit, *offset;
	/* the dates as typed (the query holds them as YYYY-MM-DD) */
	const char *dob, *awarded_from, *awarded_to;
	char dates[3][11];
};

#define CRITERION(f, NAME, ARG, HELP) \
	CP_OPT_VALUE_OF(struct search_args, q.f, NAME, ARG, HELP)
static const struct cp_opt opts[] = {
	CP_OPT_FLAG_OF(struct search_args, json, "json", "JSON, for scripts"),
	CRITERION(reference, "reference", "R", "this reference"),
	CRITERION(candidate, "candidate", "N", "this candidate number"),
	CRITERION(enrolment, "enrolment", "N", "this enrolment number"),
	CRITERION(first_name, "first-name", "S", "first name starting so (case, accents ignored)"),
	CRITERION(last_name, "last-name", "S", "last name starting so (case, accents ignored)"),
	CP_OPT_VALUE_OF(struct search_args, dob, "dob", "DATE",
			"date of birth: 2004-03-02, 02/03/2004, 2-March-2004"),
	CRITERION(qualification, "qualification", "Q", "this qualification number"),
	CRITERION(centre, "centre", "C", "this centre number"),
	CRITERION(batch, "batch", "B", "documents of this batch"),
	CRITERION(status, "status", "S", "valid, not-issued, expired, superseded or revoked"),
	CP_OPT_VALUE_OF(struct search_args, awarded_from, "awarded-from", "DATE",
			"awarded on or after this date"),
	CP_OPT_VALUE_OF(struct search_args, awarded_to, "awarded-to", "DATE",
			"awarded on or before this date"),
	CP_OPT_VALUE_OF(struct search_args, limit, "limit", "N", "at most N documents"),
	CP_OPT_VALUE_OF(struct search_args, offset, "offset", "N", "after the first N"),
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

/* A typed date (any form staff use) into out as YYYY-MM-DD: 0 or 64. */
static int typed_date(const char *option, const char *typed, char out[11], const char **to)
{
	struct cp_date d;

	if (!typed)
		return 0;
	if (!cp_date_parse_typed(typed, &d)) {
		cp_error("--%s '%s' is not a date (YYYY-MM-DD, DD/MM/YYYY or 30-September-1981)",
			 option, typed);
		return CP_EX_USAGE;
	}
	cp_date_format(d, out);
	*to = out;
	return 0;
}

/* A --limit or --offset: 0 or more. */
static int count_arg(const char *option, const char *typed, long *out)
{
	char *end;
	long n;

	if (!typed)
		return 0;
	n = strtol(typed, &end, 10);
	if (end == typed || *end || n < 0 || n > 100000000) {
		cp_error("--%s takes a number of documents, not '%s'", option, typed);
		return CP_EX_USAGE;
	}
	*out = n;
	return 0;
}

static bool status_known(const char *s)
{
	static const char *const known[] = { "valid", "not-issued", "expired", "superseded",
					     "revoked" };

	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (!strcmp(s, known[i]))
			return true;
	return false;
}

/* A name that folds to nothing (only punctuation) would match everyone. */
static bool name_ok(const char *option, const char *typed)
{
	char *key = typed ? cp_fold(typed) : NULL;
	bool ok = !typed || (key && *key);

	if (!ok)
		cp_error("--%s '%s' has no letter or digit to search by", option, typed);
	free(key);
	return ok;
}

/* The criteria are checked before anything is opened: at least one, real
 * dates, a known status, counts. CP_CMD_GO or the exit code. */
static int search_args(int argc, char **argv, struct search_args *a)
{
	struct cp_card_query *q = &a->q;
	int first, rc;

	if ((rc = cp_cmd_args(&cp_search_line, argc, argv, a, &first)) != CP_CMD_GO)
		return rc;
	if (!q->reference && !q->candidate && !q->enrolment && !q->first_name && !q->last_name &&
	    !a->dob && !q->qualification && !q->centre && !q->batch && !q->status &&
	    !a->awarded_from && !a->awarded_to)
		return cp_cmd_usage(&cp_search_line);
	if ((rc = typed_date("dob", a->dob, a->dates[0], &q->dob)) ||
	    (rc = typed_date("awarded-from", a->awarded_from, a->dates[1], &q->awarded_from)) ||
	    (rc = typed_date("awarded-to", a->awarded_to, a->dates[2], &q->awarded_to)) ||
	    (rc = count_arg("limit", a->limit, &q->limit)) ||
	    (rc = count_arg("offset", a->offset, &q->offset)))
		return rc;
	if (q->status && !status_known(q->status)) {
		cp_error("--status takes valid, not-issued, expired, superseded or revoked");
		return CP_EX_USAGE;
	}
	if (!name_ok("first-name", q->first_name) || !name_ok("last-name", q->last_name))
		return CP_EX_USAGE;
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
		char clip[CP_MSG_CLIP];

		cp_error("'%s' is not a reference", cp_msg_clip(clip, q->reference));
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
