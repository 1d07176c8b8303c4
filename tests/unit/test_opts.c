/* The command-line table (opts.h): parsed as getopt_long parses, in any
 * order or stopping at the first operand, again for a subcommand; required
 * options, groups, repeatable values and the number of operands checked;
 * printed as a synopsis (broken at a width) and aligned usage lines. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opts.h"
#include "util/msg.h"

#define ARGS(...) ((char *[]){ __VA_ARGS__, NULL })

struct parsed {
	const char *config, *from, *reason;
	bool json, receipts, stuck;
	struct cp_opt_list files;
	int rc, first;
};

static const struct cp_opt opts[] = {
	CP_OPTS_COMMON(struct parsed, config),
	CP_OPT_FLAG_OF(struct parsed, json, "json", "JSON for scripts"),
	CP_OPT_VALUE_OF(struct parsed, from, "from", "STAGE", "start at this stage"),
	CP_OPTS_END,
};

static int argc_of(char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return argc;
}

static struct parsed parse_line(const struct cp_cmdline *c, char **argv)
{
	struct parsed p;

	memset(&p, 0, sizeof(p));
	p.rc = cp_opts_parse(c, argc_of(argv), argv, &p, &p.first);
	return p;
}

static struct parsed parse(char **argv, int flags)
{
	const struct cp_cmdline c = { "retry", NULL, opts, "[BATCH...]", 0, CP_OPTS_ANY, flags };

	return parse_line(&c, argv);
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
	int out = dup(STDOUT_FILENO), err = dup(STDERR_FILENO);
	FILE *null = fopen("/dev/null", "w");

	(void)state;
	fflush(stderr);
	dup2(fileno(null), STDERR_FILENO); /* getopt says what is wrong */
	assert_int_equal(parse(ARGS("render", "--bogus", "B"), 0).rc, CP_OPTS_BAD);
	assert_int_equal(parse(ARGS("render", "-x"), 0).rc, CP_OPTS_BAD);
	assert_int_equal(parse(ARGS("render", "B", "--from"), 0).rc, CP_OPTS_BAD);
	assert_int_equal(parse(ARGS("render", "-c"), 0).rc, CP_OPTS_BAD);
	fflush(stderr);
	dup2(err, STDERR_FILENO);
	assert_int_equal(parse(ARGS("render", "--json", "-h", "--bogus"), 0).rc, CP_OPTS_HELP);
	fflush(stdout);
	dup2(fileno(null), STDOUT_FILENO); /* -V prints the version */
	assert_int_equal(parse(ARGS("render", "-V"), 0).rc, CP_OPTS_VERSION);
	assert_int_equal(parse(ARGS("render", "--version"), 0).rc, CP_OPTS_VERSION);
	fflush(stdout);
	dup2(out, STDOUT_FILENO);
	close(out);
	close(err);
	fclose(null);
}

static const struct cp_opt checked[] = {
	{ .kind = CP_OPT_VALUE, .name = "reason", .arg = "TEXT", .required = true,
	  .help = "why", .at = CP_OPT_AT(struct parsed, reason, const char *) },
	{ .kind = CP_OPT_FLAG, .name = "receipts", .group = 1, .help = "receipts",
	  .at = CP_OPT_AT(struct parsed, receipts, bool) },
	{ .kind = CP_OPT_FLAG, .name = "stuck", .group = 1, .help = "stuck",
	  .at = CP_OPT_AT(struct parsed, stuck, bool) },
	CP_OPT_LIST_OF(struct parsed, files, "file", "F", "a file (again for more)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
static const struct cp_cmdline checked_line = { "change", "REF", checked, "[NOTE]", 1, 2, 0 };

static void required_groups_and_operands_are_checked(void **state)
{
	struct parsed p;

	(void)state;
	p = parse_line(&checked_line, ARGS("change", "R", "--reason", "x"));
	assert_int_equal(p.rc, CP_OPTS_OK);
	assert_string_equal(p.reason, "x");
	p = parse_line(&checked_line, ARGS("change", "R", "--reason", "x", "--stuck", "N"));
	assert_int_equal(p.rc, CP_OPTS_OK);
	assert_true(p.stuck);
	assert_false(p.receipts);
	/* each of these is a usage error */
	assert_int_equal(parse_line(&checked_line, ARGS("change", "R")).rc, CP_OPTS_BAD);
	assert_int_equal(parse_line(&checked_line, ARGS("change", "--reason", "x")).rc,
			 CP_OPTS_BAD);
	assert_int_equal(parse_line(&checked_line, ARGS("change", "--reason", "x", "R", "N", "M")).rc,
			 CP_OPTS_BAD);
	assert_int_equal(parse_line(&checked_line, ARGS("change", "R", "--reason", "x",
							"--receipts", "--stuck")).rc,
			 CP_OPTS_BAD);
	/* --help goes before what is missing */
	assert_int_equal(parse_line(&checked_line, ARGS("change", "--help")).rc, CP_OPTS_HELP);
}

static void a_list_keeps_every_value_in_order(void **state)
{
	struct parsed p;

	(void)state;
	p = parse_line(&checked_line, ARGS("change", "--file", "a", "R", "--reason", "x",
					   "--file=b", "--fi", "c"));
	assert_int_equal(p.rc, CP_OPTS_OK);
	assert_int_equal(p.files.n, 3);
	assert_string_equal(p.files.v[0], "a");
	assert_string_equal(p.files.v[1], "b");
	assert_string_equal(p.files.v[2], "c");
	cp_opts_release(&checked_line, &p);
	assert_null(p.files.v);
	assert_int_equal(p.files.n, 0);
}

static char *synopsis(const char *prefix, const char *parent, const struct cp_cmdline *c,
		      int width)
{
	char *text;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	cp_opts_synopsis(f, prefix, parent, c, width);
	fclose(f);
	return text;
}

static void the_synopsis_comes_from_the_table(void **state)
{
	const struct cp_cmdline common = { "certpress", NULL, opts, "COMMAND [ARGS]", 1,
					   CP_OPTS_ANY, CP_OPTS_IN_ORDER };
	char *text;

	(void)state;
	text = synopsis("usage: ", NULL, &common, 80);
	assert_string_equal(text, "usage: certpress [-c FILE] [-q] [--json] [--from STAGE] "
				  "COMMAND [ARGS]\n");
	free(text);
	text = synopsis("  ", NULL, &checked_line, 0);
	assert_string_equal(text, "  change REF --reason TEXT [--receipts | --stuck] [--file F]... "
				  "[NOTE]\n");
	free(text);
	/* broken between parts, never inside one, and never wider */
	text = synopsis("usage: ", "certpress", &checked_line, 50);
	assert_string_equal(text, "usage: certpress change REF --reason TEXT\n"
				  "       [--receipts | --stuck] [--file F]... [NOTE]\n");
	free(text);
}

static void usage_lines_align(void **state)
{
	const struct cp_opt common[] = { CP_OPTS_COMMON(struct parsed, config), CP_OPTS_END };
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
	cp_opts_usage(f, opts + 4);
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
		cmocka_unit_test(required_groups_and_operands_are_checked),
		cmocka_unit_test(a_list_keeps_every_value_in_order),
		cmocka_unit_test(the_synopsis_comes_from_the_table),
		cmocka_unit_test(usage_lines_align),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
