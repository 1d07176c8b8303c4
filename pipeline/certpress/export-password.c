/* certpress export-password CENTRE [--generate] [--by NAME]: the zip
 * password of a centre's next exports, read from stdin or generated (and
 * shown once), sealed (zipseal.h) before it reaches the registry, with who
 * set it; --list: who set each centre's and when, never a password. */
#include "cmd.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "spool.h"
#include "zipseal.h"
#include "util/banned.h"

struct password_args {
	bool generate, list;
	const char *by;
};

static const struct cp_opt opts[] = {
	CP_OPT_FLAG_OF(struct password_args, generate, "generate",
		       "make a password and print it (else the first line of stdin)"),
	CP_OPT_VALUE_OF(struct password_args, by, "by", "NAME",
			"who sets it (else the login name)"),
	CP_OPT_FLAG_OF(struct password_args, list, "list",
		       "instead: who set each centre's, and when"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_export_password_line = { "export-password", NULL, opts, "[CENTRE]",
						    0, 1, 0 };
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

static int list_row(void *ctx, const struct cp_zip_password_row *p)
{
	int *first = ctx;

	if (*first)
		printf("%-10s %-20s %-20s %s\n", "CENTRE", "SET", "SET BY", "STORED");
	*first = 0;
	printf("%-10s %-20s %-20s %s\n", p->centre, p->set_at, *p->set_by ? p->set_by : "-",
	       p->sealed ? "sealed" : "in clear (an older certpress's: not yet sealed)");
	return 0;
}

static int list(const char *config)
{
	struct cp_cmd_env e = { 0 };
	int rc, first = 1;

	if (!(rc = cp_cmd_conf(&e, config)) && !(rc = cp_cmd_registry(&e)) &&
	    cp_export_passwords_each(&e.reg, list_row, &first) < 0)
		rc = CP_EX_IOERR;
	cp_cmd_env_release(&e);
	return rc;
}

/* Sealed with the key, then recorded: without the key nothing changes. */
static int set(struct cp_cmd_env *e, const char *centre, const char *pw, const char *by)
{
	unsigned char sealed[CP_ZIP_SEALED_MAX];
	struct cp_zipseal k;
	char stamp[32];
	size_t len;
	int rc = 0;

	if (cp_zipseal_load(&k, e->conf.key_file) < 0)
		return CP_EX_CONFIG;
	if (cp_zipseal_seal(&k, centre, pw, sealed, sizeof(sealed), &len) < 0)
		rc = CP_EX_SOFTWARE;
	cp_zipseal_wipe(&k);
	if (rc)
		return rc;
	if ((rc = cp_cmd_registry(e)))
		return rc;
	cp_time_stamp(stamp, sizeof(stamp));
	if (cp_export_password_set(&e->reg, centre, sealed, len, stamp, by) < 0)
		return CP_EX_IOERR;
	return 0;
}

int cp_cmd_export_password(int argc, char **argv, const char *config)
{
	struct password_args a = { false, false, NULL };
	struct cp_cmd_env e = { 0 };
	char pw[MAX_PASSWORD + 2], by[CP_WHO_SIZE];
	const char *centre;
	int first, rc;

	if ((rc = cp_cmd_args(&cp_export_password_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if (a.list) {
		if (first < argc || a.generate || a.by) {
			cp_error("export-password --list takes no centre, --generate or --by");
			return cp_cmd_usage(&cp_export_password_line);
		}
		return list(config);
	}
	if (first == argc)
		return cp_cmd_usage(&cp_export_password_line);
	centre = argv[first];
	if (!cp_spool_name_ok(centre)) {
		cp_error("'%s' is not a centre number", centre);
		return CP_EX_USAGE;
	}
	if ((rc = cp_who(a.by, by, sizeof(by))))
		return rc;
	if (a.generate)
		generate(pw);
	else if (read_password(pw, sizeof(pw)) < 0)
		return CP_EX_DATAERR;
	if (!(rc = cp_cmd_conf(&e, config)))
		rc = set(&e, centre, pw, by);
	if (!rc && a.generate)
		printf("%s\n", pw); /* shown once, to give to the centre */
	if (!rc)
		cp_info("centre %s: export password set by %s; its next exports are encrypted "
			"with it", centre, by);
	sodium_memzero(pw, sizeof(pw));
	cp_cmd_env_release(&e);
	return rc;
}
