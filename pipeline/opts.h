/* Command-line options as one table that is both parsed (getopt_long) and
 * printed (the usage text), so that what a program takes and what its
 * --help says are the same list. The stages' main (stagemain.c) uses it;
 * the certpress command's own options and its subcommands' are meant to
 * (one file per subcommand in pipeline/certpress/), for example:
 *
 *	bool json = false;
 *	const char *from = NULL;
 *	const struct cp_opt opts[] = {
 *		{ CP_OPT_FLAG, "json", 0, NULL, "JSON for scripts", &json, NULL },
 *		{ CP_OPT_VALUE, "from", 0, "STAGE", "start at this stage", NULL, &from },
 *		CP_OPTS_END,
 *	};
 *	int first;
 *
 *	if (cp_opts_parse(argc, argv, opts, 0, &first) != CP_OPTS_OK ||
 *	    argc - first != 1)
 *		return cp_cmd_usage(RETRY);
 *
 * and certpress's own, before the subcommand's name:
 *
 *	const struct cp_opt opts[] = { CP_OPTS_COMMON(&config), CP_OPTS_END };
 *
 *	switch (cp_opts_parse(argc, argv, opts, CP_OPTS_IN_ORDER, &first)) {
 *	case CP_OPTS_HELP: usage(stdout); return 0;
 *	case CP_OPTS_VERSION: return 0;
 *	case CP_OPTS_BAD: usage(stderr); return 64;
 *	}
 *
 * Options may come in any order and between operands (GNU getopt), unless
 * CP_OPTS_IN_ORDER; "--" ends them. Long options may be abbreviated. */
#ifndef CP_OPTS_H
#define CP_OPTS_H

#include <stdbool.h>
#include <stdio.h>

enum cp_opt_kind {
	CP_OPT_END,     /* the end of a table */
	CP_OPT_FLAG,    /* sets *flag to true */
	CP_OPT_VALUE,   /* sets *value to its argument (the last one given) */
	CP_OPT_QUIET,   /* report errors only (cp_msg_set_level) */
	CP_OPT_HELP,    /* cp_opts_parse returns CP_OPTS_HELP at once */
	CP_OPT_VERSION, /* prints "NAME VERSION"; cp_opts_parse returns CP_OPTS_VERSION */
};

struct cp_opt {
	enum cp_opt_kind kind;
	const char *name;   /* the long option, without "--" */
	char letter;        /* the short one, or 0 for none */
	const char *arg;    /* CP_OPT_VALUE: the value's name in the usage text */
	const char *help;   /* one line of the usage text */
	bool *flag;         /* CP_OPT_FLAG */
	const char **value; /* CP_OPT_VALUE */
};

#define CP_OPTS_END { CP_OPT_END, NULL, 0, NULL, NULL, NULL, NULL }
/* -c/--config FILE (into *config), -q/--quiet, -h/--help, -V/--version:
 * what every stage and the certpress command take. */
#define CP_OPTS_COMMON(config)                                                          \
	{ CP_OPT_VALUE, "config", 'c', "FILE", "configuration file", NULL, (config) },  \
	{ CP_OPT_QUIET, "quiet", 'q', NULL, "report errors only", NULL, NULL },         \
	{ CP_OPT_HELP, "help", 'h', NULL, "this text", NULL, NULL },                    \
	{ CP_OPT_VERSION, "version", 'V', NULL, "the version", NULL, NULL }

/* What cp_opts_parse found. */
enum {
	CP_OPTS_OK,      /* parsed: the operands are argv[*first] to argv[argc - 1] */
	CP_OPTS_BAD,     /* an unknown option or a missing value (getopt said which):
			  * print the usage on stderr, exit 64 */
	CP_OPTS_HELP,    /* --help: print the usage on stdout, exit 0 */
	CP_OPTS_VERSION, /* --version: printed, exit 0 */
};
/* Stop at the first operand: the rest (a subcommand and its own options)
 * is not parsed. */
#define CP_OPTS_IN_ORDER 1

/* Parse argv's options by the table (argv[0] is the program's or the
 * subcommand's name: getopt starts afresh, so it can be called again for a
 * subcommand). Returns CP_OPTS_OK with *first the index of the first
 * operand, or what the caller is to do instead (see above). */
int cp_opts_parse(int argc, char **argv, const struct cp_opt *opts, int flags, int *first);
/* The table as usage lines, "  -c, --config FILE  configuration file",
 * the texts aligned in one column. */
void cp_opts_usage(FILE *f, const struct cp_opt *opts);

#endif
