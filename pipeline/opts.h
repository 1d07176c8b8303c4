/* Command lines as one table that is both parsed (getopt_long) and printed
 * (the synopsis and the option lines of the usage text), so that what a
 * program takes and what its usage says are the same list. Every stage
 * (stagemain.c), the certpress command and each of its subcommands
 * (pipeline/certpress/) describe theirs so, for example retry's:
 *
 *	struct retry_args { const char *from; };
 *	static const struct cp_opt opts[] = {
 *		CP_OPT_VALUE_OF(struct retry_args, from, "from", "STAGE",
 *				"make this stage's output and the later ones again"),
 *		CP_OPT_HELP_ROW,
 *		CP_OPTS_END,
 *	};
 *	const struct cp_cmdline retry_line = { "retry", NULL, opts, "BATCH", 1, 1, 0 };
 *
 *	struct retry_args a = { 0 };
 *	switch (cp_opts_parse(&retry_line, argc, argv, &a, &first)) { ... }
 *
 * prints as "retry [--from STAGE] BATCH" and takes exactly one operand.
 * The rows name the fields of the caller's own struct (offsetof, its type
 * checked when compiled), so a table is a constant that a dispatcher can
 * print without running the command.
 *
 * Options may come in any order and between operands (GNU getopt), unless
 * CP_OPTS_IN_ORDER; "--" ends them. Long options may be abbreviated. */
#ifndef CP_OPTS_H
#define CP_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cp_opt_kind {
	CP_OPT_END,     /* the end of a table */
	CP_OPT_FLAG,    /* sets a bool to true */
	CP_OPT_VALUE,   /* sets a const char * to its argument (the last one given) */
	CP_OPT_LIST,    /* adds its argument to a struct cp_opt_list (repeatable) */
	CP_OPT_QUIET,   /* report errors only (cp_msg_set_level) */
	CP_OPT_HELP,    /* cp_opts_parse returns CP_OPTS_HELP at once */
	CP_OPT_VERSION, /* prints "NAME VERSION"; cp_opts_parse returns CP_OPTS_VERSION */
};

/* Every value of a repeatable option, in the order given (pointers into
 * argv); freed by cp_opts_release. */
struct cp_opt_list {
	const char **v;
	size_t n;
};

struct cp_opt {
	enum cp_opt_kind kind;
	const char *name; /* the long option, without "--" */
	char letter;      /* the short one, or 0 for none */
	const char *arg;  /* CP_OPT_VALUE, CP_OPT_LIST: the value's name in the usage */
	const char *help; /* one line of the usage text */
	size_t at;        /* where its value goes in the caller's struct (CP_OPT_AT) */
	bool required;    /* a usage error without it; shown without brackets */
	int group;        /* not 0: at most one option of the group, shown [--a | --b] */
};

/* The offset of field f (of type type) in struct type T, refused when
 * compiled if f is not of that type. */
#define CP_OPT_AT(T, f, type) \
	(offsetof(T, f) + 0 * sizeof(_Generic(((T *)0)->f, type: 1)))

#define CP_OPT_FLAG_OF(T, f, NAME, HELP) \
	{ .kind = CP_OPT_FLAG, .name = (NAME), .help = (HELP), .at = CP_OPT_AT(T, f, bool) }
#define CP_OPT_VALUE_OF(T, f, NAME, ARG, HELP)                                       \
	{ .kind = CP_OPT_VALUE, .name = (NAME), .arg = (ARG), .help = (HELP),         \
	  .at = CP_OPT_AT(T, f, const char *) }
#define CP_OPT_LIST_OF(T, f, NAME, ARG, HELP)                                        \
	{ .kind = CP_OPT_LIST, .name = (NAME), .arg = (ARG), .help = (HELP),          \
	  .at = CP_OPT_AT(T, f, struct cp_opt_list) }
/* --help alone: what every subcommand takes. */
#define CP_OPT_HELP_ROW { .kind = CP_OPT_HELP, .name = "help", .help = "this text" }
#define CP_OPTS_END { .kind = CP_OPT_END }
/* -c/--config FILE (into T's field config), -q/--quiet, -h/--help,
 * -V/--version: what every stage and the certpress command take. */
#define CP_OPTS_COMMON(T, config)                                                    \
	{ .kind = CP_OPT_VALUE, .name = "config", .letter = 'c', .arg = "FILE",        \
	  .help = "configuration file", .at = CP_OPT_AT(T, config, const char *) },     \
	{ .kind = CP_OPT_QUIET, .name = "quiet", .letter = 'q',                        \
	  .help = "report errors only" },                                              \
	{ .kind = CP_OPT_HELP, .name = "help", .letter = 'h', .help = "this text" },   \
	{ .kind = CP_OPT_VERSION, .name = "version", .letter = 'V', .help = "the version" }

/* Stop at the first operand: the rest (a subcommand and its own options)
 * is not parsed. */
#define CP_OPTS_IN_ORDER 1
/* cp_cmdline's max: no limit. */
#define CP_OPTS_ANY (-1)

/* A program's or a subcommand's command line. Its synopsis is
 * "NAME LEAD [OPTIONS] OPERANDS": each option that the synopsis shows
 * (not --help, --version) as "[-c FILE]", "[--json]", "--reason TEXT" when
 * required, "[--a | --b]" for a group, "[--file F]..." when repeatable. */
struct cp_cmdline {
	const char *name;     /* "certpress-render", "certpress", "retry" */
	const char *lead;     /* operands shown before the options, or NULL */
	const struct cp_opt *opts;
	const char *operands; /* operands shown after them, or NULL */
	int min, max;         /* how many operands it takes (max: CP_OPTS_ANY) */
	int flags;            /* CP_OPTS_IN_ORDER */
};

/* What cp_opts_parse found. */
enum {
	CP_OPTS_OK,      /* parsed: the operands are argv[*first] to argv[argc - 1] */
	CP_OPTS_BAD,     /* an unknown option or a missing value (getopt said which),
			  * a required option missing, two of a group, too few or
			  * too many operands: print the usage on stderr, exit 64 */
	CP_OPTS_HELP,    /* --help: print the usage on stdout, exit 0 */
	CP_OPTS_VERSION, /* --version: printed, exit 0 */
};

/* Parse argv's options by c's table into args, the caller's struct the
 * rows' offsets are of (argv[0] is the program's or the subcommand's name:
 * getopt starts afresh, so it can be called again for a subcommand).
 * Returns CP_OPTS_OK with *first the index of the first operand, or what
 * the caller is to do instead (see above). Call cp_opts_release after it
 * whatever it returns when the table has a CP_OPT_LIST. */
int cp_opts_parse(const struct cp_cmdline *c, int argc, char **argv, void *args, int *first);
/* What cp_opts_main returns to go on: any exit code is >= 0. */
#define CP_OPTS_GO (-1)

/* A program's own command line (certpress, a stage, verifyd): parsed as
 * cp_opts_parse does, and --help (usage on stdout, exit 0), --version
 * (exit 0) and a bad line (usage on stderr, exit 64) answered here. Returns
 * CP_OPTS_GO with *first the first operand, else the exit code. */
int cp_opts_main(const struct cp_cmdline *c, int argc, char **argv, void *args, int *first,
		 void (*usage)(FILE *f, const void *ctx), const void *ctx);
/* Free what cp_opts_parse allocated in args (the lists). */
void cp_opts_release(const struct cp_cmdline *c, void *args);

/* The synopsis on one line, "retry [--from STAGE] BATCH", after prefix
 * ("usage: ", "  ") and parent if not NULL ("certpress retry ..."). With
 * width > 0 no line is wider: it is broken between its parts (an option,
 * the operands) and goes on indented as wide as prefix. */
void cp_opts_synopsis(FILE *f, const char *prefix, const char *parent,
		      const struct cp_cmdline *c, int width);
/* The table as usage lines, "  -c, --config FILE  configuration file",
 * the texts aligned in one column. */
void cp_opts_usage(FILE *f, const struct cp_opt *opts);

#endif
