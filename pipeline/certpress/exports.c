/* Centre exports after the pack stage: the zip password an operator sets
 * for a centre (export-password), and the retention sweep (sweep), which
 * deletes every finished zip past its expiry and records it as expired. */
#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../atomic.h"
#include "../date.h"
#include "../exitcode.h"
#include "../msg.h"
#include "../spool.h"
#include "../xalloc.h"
#include "../banned.h"

#define PASSWORD "export-password CENTRE [--generate]"
#define SWEEP "sweep"
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
	static const struct option opts[] = {
		{ "generate", no_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	struct cp_cmd_env e = { 0 };
	char pw[MAX_PASSWORD + 2], stamp[32];
	sqlite3_stmt *st;
	bool gen = false;
	int c, rc;

	optind = 0; /* GNU getopt: start afresh after the global options */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'g')
			return cp_cmd_usage(PASSWORD);
		gen = true;
	}
	if (optind + 1 != argc)
		return cp_cmd_usage(PASSWORD);
	if (!cp_spool_name_ok(argv[optind])) {
		cp_error("'%s' is not a centre number", argv[optind]);
		return CP_EX_USAGE;
	}
	if (gen)
		generate(pw);
	else if (read_password(pw, sizeof(pw)) < 0)
		return CP_EX_DATAERR;
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)))
		goto out;
	st = cp_registry_prepare(&e.reg, "INSERT INTO export_passwords (centre, password, set_at)"
					 " VALUES (?1, ?2, ?3) ON CONFLICT (centre) DO UPDATE"
					 " SET password = ?2, set_at = ?3");
	if (!st) {
		rc = CP_EX_IOERR;
		goto out;
	}
	sqlite3_bind_text(st, 1, argv[optind], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, pw, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, cp_time_stamp(stamp, sizeof(stamp)), -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		cp_error("%s: %s", e.reg.path, sqlite3_errmsg(e.reg.db));
		rc = CP_EX_IOERR;
	}
	sqlite3_finalize(st);
	if (!rc && gen)
		printf("%s\n", pw); /* shown once, to give to the centre */
	if (!rc)
		cp_info("centre %s: export password set; its next exports are encrypted with it",
			argv[optind]);
out:
	sodium_memzero(pw, sizeof(pw));
	cp_cmd_env_release(&e);
	return rc;
}

int cp_cmd_sweep(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_spool spool = { 0 };
	sqlite3_stmt *st = NULL, *done = NULL;
	char now[32];
	long swept = 0;
	int rc;

	(void)argv;
	if (argc != 1)
		return cp_cmd_usage(SWEEP);
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)))
		goto out;
	if (cp_spool_open(&spool, &e.conf) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	cp_utc_stamp(cp_clock_now(), now, sizeof(now));
	st = cp_registry_prepare(&e.reg, "SELECT batch_id, centre, file FROM exports"
					 " WHERE status = 'finished' AND expires <= ?1");
	done = cp_registry_prepare(&e.reg, "UPDATE exports SET status = 'expired', swept = ?3"
					   " WHERE batch_id = ?1 AND centre = ?2");
	if (!st || !done) {
		rc = CP_EX_IOERR;
		goto out;
	}
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *batch = (const char *)sqlite3_column_text(st, 0);
		const char *centre = (const char *)sqlite3_column_text(st, 1);
		const char *file = (const char *)sqlite3_column_text(st, 2);
		char *dir, *path;

		/* the names come from the registry: checked before any unlink */
		if (!cp_batch_id_valid(batch) || strchr(file, '/') || file[0] == '.') {
			cp_error("export '%s' of batch '%s' has an unexpected name: left alone",
				 file, batch);
			rc = cp_exit_worst(rc, CP_EX_DATAERR);
			continue;
		}
		dir = cp_xasprintf("%s/%s", spool.exports, batch);
		path = cp_xasprintf("%s/%s", dir, file);
		if (unlink(path) < 0 && errno != ENOENT) {
			cp_error("%s: cannot delete: %s", path, strerror(errno));
			rc = cp_exit_worst(rc, CP_EX_IOERR);
		} else {
			cp_fsync_dir(dir);
			rmdir(dir); /* when it was the batch's last export */
			sqlite3_bind_text(done, 1, batch, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(done, 2, centre, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(done, 3, now, -1, SQLITE_STATIC);
			if (sqlite3_step(done) != SQLITE_DONE)
				rc = cp_exit_worst(rc, CP_EX_IOERR);
			sqlite3_reset(done);
			printf("expired %s %s\n", batch, file);
			swept++;
		}
		free(dir);
		free(path);
	}
	cp_info("%ld exports past their retention deleted", swept);
out:
	sqlite3_finalize(st);
	sqlite3_finalize(done);
	cp_spool_release(&spool);
	cp_cmd_env_release(&e);
	return rc;
}
