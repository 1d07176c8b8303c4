/* Command lines as one table, parsed with getopt_long and printed as a
 * synopsis and usage lines (opts.h). */
#include "opts.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/exitcode.h"
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

static bool takes_value(const struct cp_opt *o)
{
	return o->kind == CP_OPT_VALUE || o->kind == CP_OPT_LIST;
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
		longs[i].has_arg = takes_value(&opts[i]) ? required_argument : no_argument;
		longs[i].flag = NULL;
		longs[i].val = opts[i].letter ? opts[i].letter : LONG_ONLY + i;
		if (opts[i].letter) {
			letters[k++] = opts[i].letter;
			if (takes_value(&opts[i]))
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

static void *field(void *args, const struct cp_opt *o)
{
	return (char *)args + o->at;
}

/* One option found: its value stored. CP_OPTS_OK to go on, or what
 * cp_opts_parse is to return at once. */
static int take(const struct cp_opt *o, void *args)
{
	struct cp_opt_list *l;

	switch (o->kind) {
	case CP_OPT_FLAG:
		*(bool *)field(args, o) = true;
		return CP_OPTS_OK;
	case CP_OPT_VALUE:
		*(const char **)field(args, o) = optarg;
		return CP_OPTS_OK;
	case CP_OPT_LIST:
		l = field(args, o);
		l->v = cp_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = optarg;
		return CP_OPTS_OK;
	case CP_OPT_QUIET:
		cp_msg_set_level(CP_ERROR);
		return CP_OPTS_OK;
	case CP_OPT_HELP:
		return CP_OPTS_HELP;
	case CP_OPT_VERSION:
		cp_cli_version();
		return CP_OPTS_VERSION;
	case CP_OPT_END:
		break;
	}
	cp_bug("an option table row past its end");
}

/* What getopt cannot check: every required option given, at most one of
 * each group, as many operands as the command line takes. */
static bool complete(const struct cp_cmdline *c, int n, const bool *seen, int operands)
{
	for (int i = 0; i < n; i++) {
		if (c->opts[i].required && !seen[i])
			return false;
		for (int j = i + 1; c->opts[i].group && seen[i] && j < n; j++)
			if (c->opts[j].group == c->opts[i].group && seen[j])
				return false;
	}
	return operands >= c->min && (c->max == CP_OPTS_ANY || operands <= c->max);
}

int cp_opts_parse(const struct cp_cmdline *c, int argc, char **argv, void *args, int *first)
{
	int n = count(c->opts), ch, i, rc = CP_OPTS_OK;
	struct option *longs = cp_xcalloc((size_t)n + 1, sizeof(*longs));
	char *letters = cp_xmalloc(2 * (size_t)n + 2);
	bool *seen = cp_xcalloc((size_t)n + 1, sizeof(*seen));

	getopt_tables(c->opts, n, c->flags, longs, letters);
	optind = 0; /* GNU getopt: start afresh (a subcommand after the command) */
	while (rc == CP_OPTS_OK && (ch = getopt_long(argc, argv, letters, longs, NULL)) != -1) {
		if ((i = row(c->opts, n, ch)) < 0)
			rc = CP_OPTS_BAD; /* getopt said what was wrong */
		else if ((rc = take(&c->opts[i], args)) == CP_OPTS_OK)
			seen[i] = true;
	}
	if (rc == CP_OPTS_OK && !complete(c, n, seen, argc - optind))
		rc = CP_OPTS_BAD;
	*first = optind;
	free(longs);
	free(letters);
	free(seen);
	return rc;
}

void cp_opts_release(const struct cp_cmdline *c, void *args)
{
	for (const struct cp_opt *o = c->opts; o->kind != CP_OPT_END; o++)
		if (o->kind == CP_OPT_LIST) {
			struct cp_opt_list *l = field(args, o);

			free(l->v);
			l->v = NULL;
			l->n = 0;
		}
}

/* "-c FILE" or "--from STAGE": an option as the synopsis names it. */
static void form(char *buf, size_t size, const struct cp_opt *o)
{
	const char *arg = !takes_value(o) ? "" : o->arg ? o->arg : "VALUE";

	if (o->letter)
		snprintf(buf, size, "-%c%s%s", o->letter, *arg ? " " : "", arg);
	else
		snprintf(buf, size, "--%s%s%s", o->name, *arg ? " " : "", arg);
}

static bool shown(const struct cp_opt *o)
{
	return o->kind != CP_OPT_HELP && o->kind != CP_OPT_VERSION;
}

/* Row i as one part of the synopsis: "[--json]", "--reason TEXT",
 * "[--a | --b]" (the group's first row stands for all of it, the others
 * are 0), "[--file F]...". Its length, or 0 for nothing. */
static size_t part(char *buf, size_t size, const struct cp_opt *opts, int i)
{
	const struct cp_opt *o = &opts[i];
	char one[96];
	size_t len;

	if (!shown(o))
		return 0;
	for (int j = 0; o->group && j < i; j++)
		if (opts[j].group == o->group)
			return 0;
	form(one, sizeof(one), o);
	if (o->required) {
		snprintf(buf, size, "%s", one);
		return strlen(buf);
	}
	snprintf(buf, size, "[%s", one);
	for (const struct cp_opt *p = o + 1; o->group && p->kind != CP_OPT_END; p++)
		if (p->group == o->group) {
			len = strlen(buf);
			form(one, sizeof(one), p);
			snprintf(buf + len, size - len, " | %s", one);
		}
	len = strlen(buf);
	snprintf(buf + len, size - len, "]%s", o->kind == CP_OPT_LIST ? "..." : "");
	return strlen(buf);
}

/* A line being printed: where it stands, how wide it may be. */
struct line {
	FILE *f;
	int col, width, indent;
};

static void put(struct line *l, const char *text)
{
	int len = (int)strlen(text);

	if (l->width > 0 && l->col > l->indent && l->col + 1 + len > l->width) {
		fprintf(l->f, "\n%*s", l->indent, "");
		l->col = l->indent;
	} else if (l->col > l->indent) {
		fputc(' ', l->f);
		l->col++;
	}
	fputs(text, l->f);
	l->col += len;
}

void cp_opts_synopsis(FILE *f, const char *prefix, const char *parent,
		      const struct cp_cmdline *c, int width)
{
	struct line l = { f, (int)strlen(prefix), width, (int)strlen(prefix) };
	char buf[256];

	fputs(prefix, f);
	if (parent)
		put(&l, parent);
	put(&l, c->name);
	if (c->lead)
		put(&l, c->lead);
	for (int i = 0; c->opts[i].kind != CP_OPT_END; i++)
		if (part(buf, sizeof(buf), c->opts, i))
			put(&l, buf);
	if (c->operands)
		put(&l, c->operands);
	fputc('\n', f);
}

/* "  -c, --config FILE" or "      --json": the part before the help text. */
static int left(char *buf, size_t size, const struct cp_opt *o)
{
	char letter[8] = "    ";

	if (o->letter)
		snprintf(letter, sizeof(letter), "-%c, ", o->letter);
	return snprintf(buf, size, "  %s--%s%s%s", letter, o->name, takes_value(o) ? " " : "",
			takes_value(o) ? (o->arg ? o->arg : "VALUE") : "");
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

int cp_opts_main(const struct cp_cmdline *c, int argc, char **argv, void *args, int *first,
		 void (*usage)(FILE *f, const void *ctx), const void *ctx)
{
	switch (cp_opts_parse(c, argc, argv, args, first)) {
	case CP_OPTS_OK:
		return CP_OPTS_GO;
	case CP_OPTS_HELP:
		usage(stdout, ctx);
		return CP_EX_OK;
	case CP_OPTS_VERSION:
		return CP_EX_OK;
	default:
		usage(stderr, ctx);
		return CP_EX_USAGE;
	}
}
