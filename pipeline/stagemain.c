/* Shared start of every stage executable. */
#include "stagemain.h"

#include "cli.h"
#include "opts.h"
#include "registry.h"
#include "util/exitcode.h"
#include "util/banned.h"

struct stage_args {
	const char *config;
};

static const struct cp_opt opts[] = { CP_OPTS_COMMON(struct stage_args, config), CP_OPTS_END };

static struct cp_cmdline stage_line(const struct cp_stage_cli *cli)
{
	return (struct cp_cmdline){ cli->name, NULL, opts, cli->operand, 1, 1, 0 };
}

/* The stage's usage: ctx is its struct cp_stage_cli. */
static void usage(FILE *f, const void *ctx)
{
	const struct cp_stage_cli *cli = ctx;
	const struct cp_cmdline line = stage_line(cli);

	cp_opts_synopsis(f, "usage: ", NULL, &line, 80);
	fprintf(f, "\n%s\n", cli->about);
	cp_opts_usage(f, opts);
	fprintf(f, "\n%s", cli->exits);
}

int cp_stage_main(int argc, char **argv, const struct cp_stage_cli *cli)
{
	const struct cp_cmdline line = stage_line(cli);
	struct stage_args a = { NULL };
	struct cp_conf conf;
	int first, rc;

	cp_cli_init(argv[0]);
	cp_cli_ignore_pipe_signals();
	if ((rc = cp_opts_main(&line, argc, argv, &a, &first, usage, cli)) != CP_OPTS_GO)
		return rc;
	if (cp_conf_load(&conf, a.config) < 0)
		return CP_EX_CONFIG;
	rc = cp_registry_exit(cli->run(&conf, argv[first], stdout));
	cp_conf_release(&conf);
	return cp_cli_close_stdout(rc);
}
