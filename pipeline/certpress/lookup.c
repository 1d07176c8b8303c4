/* certpress verify, show and search: read-only questions about documents. */
#include "cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define VERIFY "verify [--json] REF"
#define SHOW "show [--json] REF"
#define SEARCH "search [--json] [--reference R] [--candidate N] [--enrolment N]\n" \
	"       [--first-name S] [--last-name S] [--dob YYYY-MM-DD]"

/* verify and show take the same arguments. */
static int one_ref(int argc, char **argv, const char *synopsis, const char **ref, bool *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*json = false;
	optind = 0; /* GNU getopt: start afresh after the global options */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'j')
			return cp_cmd_usage(synopsis);
		*json = true;
	}
	if (argc - optind != 1)
		return cp_cmd_usage(synopsis);
	*ref = argv[optind];
	return 0;
}

/* The card of a typed reference, or why there is none: 0 found, 1 unknown,
 * or an exit code. The registry is opened only for a well-made reference. */
static int lookup(struct cp_cmd_env *e, const char *config, const char *typed,
		  char ref[CP_REF_LEN + 1], struct cp_card *card)
{
	int rc;

	if ((rc = cp_cmd_conf(e, config)) || (rc = cp_cmd_key(e)))
		return rc;
	if (cp_cmd_reference(e, typed, ref))
		return 1;
	if ((rc = cp_cmd_registry_read(e)))
		return rc;
	rc = cp_card_find(&e->reg, ref, card);
	if (rc < 0)
		return CP_EX_IOERR;
	return rc ? 0 : 1;
}

/* verify prints the status, then the card; show prints the card alone. */
static int answer(int argc, char **argv, const char *config, bool verify)
{
	struct cp_cmd_env e = { 0 };
	struct cp_card card = { 0 };
	char ref[CP_REF_LEN + 1] = "";
	const char *typed = NULL, *status;
	bool json;
	int rc;

	if ((rc = one_ref(argc, argv, verify ? VERIFY : SHOW, &typed, &json)))
		return rc;
	rc = lookup(&e, config, typed, ref, &card);
	if (rc != 0 && rc != 1)
		goto out;
	status = rc == 0 ? card.f[CP_CARD_STATUS] : "unknown";
	if (!verify && rc == 1)
		cp_error("'%s': no such document", typed);
	else if (json && verify) {
		printf("{\"reference\":");
		cp_json_str(stdout, rc == 0 ? ref : typed);
		printf(",\"status\":\"%s\",\"document\":", status);
		if (rc == 0)
			cp_card_print_json(stdout, &card);
		else
			fputs("null", stdout);
		puts("}");
	} else if (json) {
		cp_card_print_json(stdout, &card);
		putchar('\n');
	} else {
		if (verify)
			puts(status);
		if (rc == 0)
			cp_card_print(stdout, &card);
	}
	if (verify)
		rc = rc == 0 && !strcmp(status, "valid") ? CP_EX_OK : 1;
out:
	cp_card_release(&card);
	cp_cmd_env_release(&e);
	return rc;
}

int cp_cmd_verify(int argc, char **argv, const char *config)
{
	return answer(argc, argv, config, true);
}

int cp_cmd_show(int argc, char **argv, const char *config)
{
	return answer(argc, argv, config, false);
}

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
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_key(&e)))
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
