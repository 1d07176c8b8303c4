/* certpress search: the documents whose learner or award matches every
 * field given, one line (or JSON object) a card; exit 1 if none. */
#include "cmd.h"

#include <getopt.h>
#include <stdio.h>

#include "card.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

#define SEARCH "search [--json] [--reference R] [--candidate N] [--enrolment N]\n" \
	"       [--first-name S] [--last-name S] [--dob YYYY-MM-DD]"

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

int cp_cmd_search(int argc, char **argv, const char *config)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "reference", required_argument, NULL, 'r' },
		{ "candidate", required_argument, NULL, 'c' },
		{ "enrolment", required_argument, NULL, 'e' },
		{ "first-name", required_argument, NULL, 'f' },
		{ "last-name", required_argument, NULL, 'l' },
		{ "dob", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct cp_card_query q = { 0 };
	struct {
		int opt;
		const char **value;
	} fields[] = {
		{ 'r', &q.reference }, { 'c', &q.candidate }, { 'e', &q.enrolment },
		{ 'f', &q.first_name }, { 'l', &q.last_name }, { 'd', &q.dob },
	};
	struct cp_cmd_env e = { 0 };
	struct found found = { false, 0 };
	char ref[CP_REF_LEN + 1];
	int c, rc, n = 0;
	struct cp_date dob;

	optind = 0; /* GNU getopt: start afresh after the global options */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		bool known = false;

		if (c == 'j') {
			found.json = true;
			continue;
		}
		for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++)
			if (fields[i].opt == c) {
				*fields[i].value = optarg;
				known = true;
			}
		if (!known)
			return cp_cmd_usage(SEARCH);
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		n += *fields[i].value != NULL;
	if (optind != argc || n == 0)
		return cp_cmd_usage(SEARCH);
	if (q.dob && !cp_date_parse(q.dob, &dob)) {
		cp_error("--dob '%s' is not a date (YYYY-MM-DD)", q.dob);
		return CP_EX_USAGE;
	}
	/* no key: a search matches references as typed (normalised), and an
	 * operator in the spool's group, who may not read the key, searches too */
	if ((rc = cp_cmd_conf(&e, config)))
		goto out;
	if (q.reference) {
		uint32_t serial;
		unsigned issue;

		/* A mistyped reference matches nothing, but say why. */
		if (!cp_ref_parse(q.reference, ref, &serial, &issue)) {
			cp_error("'%s' is not a reference", q.reference);
			rc = CP_EX_USAGE;
			goto out;
		}
		q.reference = ref;
	}
	if ((rc = cp_cmd_registry_read(&e)))
		goto out;
	if (found.json)
		putchar('[');
	rc = cp_card_search(&e.reg, &q, print_found, &found);
	if (found.json)
		puts("]");
	rc = rc < 0 ? CP_EX_IOERR : found.n ? CP_EX_OK : 1;
out:
	cp_cmd_env_release(&e);
	return rc;
}
