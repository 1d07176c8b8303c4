/* Options as one table, parsed with getopt_long and printed as usage lines
 * (opts.h). */
#include "opts.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* getopt's value for a long option without a letter: past every char. */
#define LONG_ONLY 256

static int count(const struct cp_opt *opts)
{
	int n = 0;

	while (opts[n].kind != CP_OPT_END)
		n++;
	return n;
}

/* The table as getopt_long wants it: a struct option a row, and the
 * letters ("+" first to stop at an operand, ":" after one that takes a
 * value). */
static void getopt_tables(const struct cp_opt *opts, int n, int flags, struct option *longs,
			  char *letters)
{
	size_t k = 0;

	if (flags & CP_OPTS_IN_ORDER)
		letters[k++] = '+';
	for (int i = 0; i < n; i++) {
		longs[i].name = opts[i].name;
		longs[i].has_arg = opts[i].kind == CP_OPT_VALUE ? required_argument : no_argument;
		longs[i].flag = NULL;
		longs[i].val = opts[i].letter ? opts[i].letter : LONG_ONLY + i;
		if (opts[i].letter) {
			letters[k++] = opts[i].letter;
			if (opts[i].kind == CP_OPT_VALUE)
				letters[k++] = ':';
		}
	}
	memset(&longs[n], 0, sizeof(longs[n]));
	letters[k] = '\0';
}

/* The row getopt_long's answer c stands for, or -1. */
static int row(const struct cp_opt *opts, int n, int c)
{
	if (c >= LONG_ONLY && c - LONG_ONLY < n)
		return c - LONG_ONLY;
	for (int i = 0; i < n; i++)
		if (opts[i].letter && opts[i].letter == c)
			return i;
	return -1;
}

int cp_opts_parse(int argc, char **argv, const struct cp_opt *opts, int flags, int *first)
{
	int n = count(opts), c, i, rc = CP_OPTS_OK;
	struct option *longs = cp_xcalloc((size_t)n + 1, sizeof(*longs));
	char *letters = cp_xmalloc(2 * (size_t)n + 2);

	getopt_tables(opts, n, flags, longs, letters);
	optind = 0; /* GNU getopt: start afresh (a subcommand after the command) */
	while (rc == CP_OPTS_OK && (c = getopt_long(argc, argv, letters, longs, NULL)) != -1) {
		if ((i = row(opts, n, c)) < 0) {
			rc = CP_OPTS_BAD; /* getopt said what was wrong */
			break;
		}
		switch (opts[i].kind) {
		case CP_OPT_FLAG:
			*opts[i].flag = true;
			break;
		case CP_OPT_VALUE:
			*opts[i].value = optarg;
			break;
		case CP_OPT_QUIET:
			cp_msg_set_level(CP_ERROR);
			break;
		case CP_OPT_HELP:
			rc = CP_OPTS_HELP;
			break;
		case CP_OPT_VERSION:
			cp_cli_version();
			rc = CP_OPTS_VERSION;
			break;
		case CP_OPT_END:
			cp_bug("an option table row past its end");
		}
	}
	*first = optind;
	free(longs);
	free(letters);
	return rc;
}

/* "  -c, --config FILE" or "      --json": the part before the help text. */
static int left(char *buf, size_t size, const struct cp_opt *o)
{
	char letter[8] = "    ";

	if (o->letter)
		snprintf(letter, sizeof(letter), "-%c, ", o->letter);
	return snprintf(buf, size, "  %s--%s%s%s", letter, o->name,
			o->kind == CP_OPT_VALUE ? " " : "",
			o->kind == CP_OPT_VALUE ? (o->arg ? o->arg : "VALUE") : "");
}

void cp_opts_usage(FILE *f, const struct cp_opt *opts)
{
	char buf[128];
	int width = 0;

	for (const struct cp_opt *o = opts; o->kind != CP_OPT_END; o++) {
		int w = left(buf, sizeof(buf), o);

		if (w > width)
			width = w;
	}
	for (const struct cp_opt *o = opts; o->kind != CP_OPT_END; o++) {
		left(buf, sizeof(buf), o);
		fprintf(f, "%-*s  %s\n", width, buf, o->help ? o->help : "");
	}
}
