/* Shared start of every stage executable. */
#include "stagemain.h"

#include <getopt.h>

#include "cli.h"
#include "exitcode.h"
#include "msg.h"
#include "banned.h"

int cp_stage_main(int argc, char **argv, const char *usage, cp_stage_fn run)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL;
	struct cp_conf conf;
	int c, rc;

	cp_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "c:qhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'q':
			cp_msg_set_level(CP_ERROR);
			break;
		case 'h':
			fputs(usage, stdout);
			return CP_EX_OK;
		case 'V':
			cp_cli_version();
			return CP_EX_OK;
		default:
			fputs(usage, stderr);
			return CP_EX_USAGE;
		}
	}
	if (argc - optind != 1) {
		fputs(usage, stderr);
		return CP_EX_USAGE;
	}
	if (cp_conf_load(&conf, config) < 0)
		return CP_EX_CONFIG;
	rc = run(&conf, argv[optind], stdout);
	cp_conf_release(&conf);
	return rc;
}
