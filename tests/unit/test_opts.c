/* The option table (opts.h): parsed as getopt_long parses, in any order or
 * stopping at the first operand, again for a subcommand; printed as aligned
 * usage lines. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opts.h"
#include "util/msg.h"

#define ARGS(...) ((char *[]){ __VA_ARGS__, NULL })

struct parsed {
	const char *config, *from;
	bool json;
	int rc, first;
};

static struct parsed parse(char **argv, int flags)
{
	struct parsed p = { 0 };
	int argc = 0;
	const struct cp_opt opts[] = {
		CP_OPTS_COMMON(&p.config),
		{ CP_OPT_FLAG, "json", 0, NULL, "JSON for scripts", &p.json, NULL },
		{ CP_OPT_VALUE, "from", 0, "STAGE", "start at this stage", NULL, &p.from },
		CP_OPTS_END,
	};

	while (argv[argc])
		argc++;
	p.rc = cp_opts_parse(argc, argv, opts, flags, &p.first);
	return p;
}

static void values_flags_and_operands_in_any_order(void **state)
{
	char **argv = ARGS("retry", "B1", "--from", "render", "-c", "x.conf", "--json");
	struct parsed p;

	(void)state;
	p = parse(argv, 0);
	assert_int_equal(p.rc, CP_OPTS_OK);
	assert_string_equal(p.from, "render");
	assert_string_equal(p.config, "x.conf");
	assert_true(p.json);
	assert_int_equal(p.first, 6);
	assert_string_equal(argv[p.first], "B1");

	p = parse(ARGS("retry", "--config=y.conf", "--fr=pack", "--", "--json"), 0);
	assert_int_equal(p.rc, CP_OPTS_OK);
	assert_string_equal(p.config, "y.conf");
	assert_string_equal(p.from, "pack"); /* abbreviated, as getopt_long allows */
	assert_false(p.json);                /* after "--": an operand */
}

static void in_order_stops_at_the_first_operand(void **state)
{
	char **argv = ARGS("certpress", "-c", "z.conf", "status", "--json", "-q");
	struct parsed p;

	(void)state;
	p = parse(argv, CP_OPTS_IN_ORDER);
	assert_int_equal(p.rc, CP_OPTS_OK);
	assert_string_equal(p.config, "z.conf");
	assert_false(p.json);
	assert_string_equal(argv[p.first], "status");
	/* the subcommand's own, parsed afresh from its name */
	p = parse(argv + p.first, 0);
	assert_int_equal(p.rc, CP_OPTS_OK);
	assert_true(p.json);
	assert_int_equal(p.first, 3);
	cp_msg_set_level(CP_INFO);
}

static void bad_help_and_version(void **state)
{
	int out = dup(STDOUT_FILENO);
	FILE *null = fopen("/dev/null", "w");

	(void)state;
	assert_int_equal(parse(ARGS("render", "--bogus", "B"), 0).rc, CP_OPTS_BAD);
	assert_int_equal(parse(ARGS("render", "-x"), 0).rc, CP_OPTS_BAD);
	assert_int_equal(parse(ARGS("render", "B", "--from"), 0).rc, CP_OPTS_BAD);
	assert_int_equal(parse(ARGS("render", "-c"), 0).rc, CP_OPTS_BAD);
	assert_int_equal(parse(ARGS("render", "--json", "-h", "--bogus"), 0).rc, CP_OPTS_HELP);
	fflush(stdout);
	dup2(fileno(null), STDOUT_FILENO); /* -V prints the version */
	assert_int_equal(parse(ARGS("render", "-V"), 0).rc, CP_OPTS_VERSION);
	assert_int_equal(parse(ARGS("render", "--version"), 0).rc, CP_OPTS_VERSION);
	fflush(stdout);
	dup2(out, STDOUT_FILENO);
	close(out);
	fclose(null);
}

static void usage_lines_align(void **state)
{
	const char *config = NULL, *from = NULL;
	bool json = false;
	const struct cp_opt common[] = { CP_OPTS_COMMON(&config), CP_OPTS_END };
	const struct cp_opt more[] = {
		{ CP_OPT_FLAG, "json", 0, NULL, "JSON for scripts", &json, NULL },
		{ CP_OPT_VALUE, "from", 0, "STAGE", "start at this stage", NULL, &from },
		CP_OPTS_END,
	};
	char *text;
	size_t len;
	FILE *f;

	(void)state;
	f = open_memstream(&text, &len);
	cp_opts_usage(f, common);
	fclose(f);
	assert_string_equal(text, "  -c, --config FILE  configuration file\n"
				  "  -q, --quiet        report errors only\n"
				  "  -h, --help         this text\n"
				  "  -V, --version      the version\n");
	free(text);
	f = open_memstream(&text, &len);
	cp_opts_usage(f, more);
	fclose(f);
	assert_string_equal(text, "      --json        JSON for scripts\n"
				  "      --from STAGE  start at this stage\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(values_flags_and_operands_in_any_order),
		cmocka_unit_test(in_order_stops_at_the_first_operand),
		cmocka_unit_test(bad_help_and_version),
		cmocka_unit_test(usage_lines_align),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
