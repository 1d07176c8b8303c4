/* Shared start of every stage executable. */
#include "stagemain.h"

#include "cli.h"
#include "opts.h"
#include "registry.h"
#include "util/exitcode.h"
#include "util/banned.h"

static void usage(FILE *f, const struct cp_opt *opts, const char *about, const char *exits)
{
	fprintf(f, "%s\n", about);
	cp_opts_usage(f, opts);
	fprintf(f, "\n%s", exits);
}

int cp_stage_main(int argc, char **argv, const char *about, const char *exits, cp_stage_fn run)
{
	const char *config = NULL;
	const struct cp_opt opts[] = { CP_OPTS_COMMON(&config), CP_OPTS_END };
	struct cp_conf conf;
	int first, rc;

	cp_cli_init(argv[0]);
	cp_cli_ignore_pipe_signals();
	switch (cp_opts_parse(argc, argv, opts, 0, &first)) {
	case CP_OPTS_HELP:
		usage(stdout, opts, about, exits);
		return CP_EX_OK;
	case CP_OPTS_VERSION:
		return CP_EX_OK;
	case CP_OPTS_BAD:
		usage(stderr, opts, about, exits);
		return CP_EX_USAGE;
	}
	if (argc - first != 1) {
		usage(stderr, opts, about, exits);
		return CP_EX_USAGE;
	}
	if (cp_conf_load(&conf, config) < 0)
		return CP_EX_CONFIG;
	rc = cp_registry_exit(run(&conf, argv[first], stdout));
	cp_conf_release(&conf);
	return cp_cli_close_stdout(rc);
}
