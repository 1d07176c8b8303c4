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
	static const struct { int opt; const char *where; } columns[] = {
		{ 'r', "d.reference = ?" }, { 'c', "a.candidate = ?" }, { 'e', "a.enrolment = ?" },
		{ 'f', "a.first_name = ? COLLATE NOCASE" }, { 'l', "a.last_name = ? COLLATE NOCASE" },
		{ 'd', "a.dob = ?" },
	};
	const char *value[6] = { NULL };
	struct cp_cmd_env e = { 0 };
	char ref[CP_REF_LEN + 1];
	char *sql, *more;
	sqlite3_stmt *st;
	bool json = false;
	int c, rc, n = 0, found = 0;
	struct cp_date dob;

	optind = 0; /* GNU getopt: start afresh after the global options */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		bool known = false;

		if (c == 'j') {
			json = true;
			continue;
		}
		for (int i = 0; i < 6; i++)
			if (columns[i].opt == c) {
				value[i] = optarg;
				known = true;
			}
		if (!known)
			return cp_cmd_usage(SEARCH);
	}
	for (int i = 0; i < 6; i++)
		n += value[i] != NULL;
	if (optind != argc || n == 0)
		return cp_cmd_usage(SEARCH);
	if (value[5] && !cp_date_parse(value[5], &dob)) {
		cp_error("--dob '%s' is not a date (YYYY-MM-DD)", value[5]);
		return CP_EX_USAGE;
	}
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_key(&e)))
		goto out;
	if (value[0]) {
		uint32_t serial;
		unsigned issue;

		/* A mistyped reference matches nothing, but say why. */
		if (!cp_ref_parse(value[0], ref, &serial, &issue)) {
			cp_error("'%s' is not a reference", value[0]);
			rc = CP_EX_USAGE;
			goto out;
		}
		value[0] = ref;
	}
	if ((rc = cp_cmd_registry_read(&e)))
		goto out;
	sql = cp_xasprintf("%s WHERE 1", cp_card_select);
	for (int i = 0; i < 6; i++)
		if (value[i]) {
			more = cp_xasprintf("%s AND %s", sql, columns[i].where);
			free(sql);
			sql = more;
		}
	more = cp_xasprintf("%s ORDER BY a.last_name, a.first_name, a.id, d.type, d.issue", sql);
	free(sql);
	st = cp_registry_prepare(&e.reg, more);
	free(more);
	if (!st) {
		rc = CP_EX_SOFTWARE;
		goto out;
	}
	for (int i = 0, k = 1; i < 6; i++)
		if (value[i])
			sqlite3_bind_text(st, k++, value[i], -1, SQLITE_STATIC);
	if (json)
		putchar('[');
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_card card;

		cp_card_from_row(&card, st);
		if (json) {
			if (found)
				putchar(',');
			cp_card_print_json(stdout, &card);
		} else {
			cp_card_print_line(stdout, &card);
		}
		found++;
		cp_card_release(&card);
	}
	if (json)
		puts("]");
	sqlite3_finalize(st);
	rc = rc != SQLITE_DONE ? CP_EX_IOERR : found ? CP_EX_OK : 1;
out:
	cp_cmd_env_release(&e);
	return rc;
}
