/* certpress export-password CENTRE [--generate]: the zip password of a
 * centre's next exports, read from stdin or generated (and shown once). */
#include "cmd.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "spool.h"
#include "util/banned.h"

struct password_args {
	bool generate;
};

static const struct cp_opt opts[] = {
	CP_OPT_FLAG_OF(struct password_args, generate, "generate",
		       "make a password and print it (else the first line of stdin)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_export_password_line = { "export-password", "CENTRE", opts, NULL,
						    1, 1, 0 };
#define MIN_PASSWORD 12
#define MAX_PASSWORD 128

/* A generated password: 24 characters of Crockford's alphabet (120 bits). */
static void generate(char out[25])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

	for (int i = 0; i < 24; i++)
		out[i] = alphabet[randombytes_uniform(32)];
	out[24] = '\0';
}

/* The first line of stdin, printable ASCII only (7-Zip and the centres'
 * tools agree on those bytes). */
static int read_password(char *buf, size_t n)
{
	size_t len;

	if (!fgets(buf, (int)n, stdin))
		return cp_error("no password on standard input");
	len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	if (len < MIN_PASSWORD || len > MAX_PASSWORD)
		return cp_error("a password must have %d to %d characters", MIN_PASSWORD,
				MAX_PASSWORD);
	for (size_t i = 0; i < len; i++)
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			return cp_error("a password is printable ASCII only");
	return 0;
}

int cp_cmd_export_password(int argc, char **argv, const char *config)
{
	struct password_args a = { false };
	struct cp_cmd_env e = { 0 };
	char pw[MAX_PASSWORD + 2], stamp[32];
	const char *centre;
	int first, rc;

	if ((rc = cp_cmd_args(&cp_export_password_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	centre = argv[first];
	if (!cp_spool_name_ok(centre)) {
		cp_error("'%s' is not a centre number", centre);
		return CP_EX_USAGE;
	}
	if (a.generate)
		generate(pw);
	else if (read_password(pw, sizeof(pw)) < 0)
		return CP_EX_DATAERR;
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)))
		goto out;
	cp_time_stamp(stamp, sizeof(stamp));
	if (cp_export_password_set(&e.reg, centre, pw, stamp) < 0)
		rc = CP_EX_IOERR;
	if (!rc && a.generate)
		printf("%s\n", pw); /* shown once, to give to the centre */
	if (!rc)
		cp_info("centre %s: export password set; its next exports are encrypted with it",
			centre);
out:
	sodium_memzero(pw, sizeof(pw));
	cp_cmd_env_release(&e);
	return rc;
}
