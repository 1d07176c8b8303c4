/* Centre exports after the pack stage: the zip password an operator sets
 * for a centre (export-password), and the retention sweep (sweep), which
 * deletes every finished zip past its expiry and records it as expired.
 * Sweep and pack agree through the batch's lock (a batch being worked on is
 * left for the next sweep) and the export's row: claimed (expired) in a
 * transaction, then the zip deleted, then recorded swept; pack makes the
 * row pending before it writes a zip. A finished row always has its zip. */
#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "spool.h"
#include "util/xalloc.h"
#include "util/banned.h"

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

/* An export sweep may delete: finished and past its expiry, or claimed by
 * a sweep that stopped before deleting it (expired, not yet swept). */
#define SWEEPABLE \
	"((status = 'finished' AND expires <= :now) OR (status = 'expired' AND swept IS NULL))"

struct expiring {
	char *batch, *centre, *file;
};

/* Every export to sweep, read and the statement ended before anything is
 * written (a write while a read of an older snapshot is open fails). */
static int expiring(struct cp_registry *reg, const char *now, struct expiring **v, size_t *n)
{
	sqlite3_stmt *st = cp_registry_prepare(reg, "SELECT batch_id, centre, file FROM exports"
						    " WHERE " SWEEPABLE " ORDER BY batch_id, centre");
	int rc;

	*v = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":now"), now, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = cp_xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[*n].batch = cp_xstrdup((const char *)sqlite3_column_text(st, 0));
		(*v)[*n].centre = cp_xstrdup((const char *)sqlite3_column_text(st, 1));
		(*v)[(*n)++].file = cp_xstrdup((const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_error("%s: reading the exports: %s", reg->path, sqlite3_errmsg(reg->db));
	return 0;
}

/* One statement on an export's row (:batch, :centre, :now): 1 if it
 * changed the row, 0 if the row is no longer as it expects, -1 on error. */
static int on_row(struct cp_registry *reg, const char *sql, const struct expiring *x,
		  const char *now)
{
	sqlite3_stmt *st = cp_registry_prepare(reg, sql);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":batch"), x->batch, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":centre"), x->centre, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":now"), now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_error("%s: %s", reg->path, sqlite3_errmsg(reg->db));
	return sqlite3_changes(reg->db) > 0;
}

/* Claim the row in a transaction: expired from now on, whatever the file. */
static int claim(struct cp_registry *reg, const struct expiring *x, const char *now)
{
	int got;

	if (cp_registry_begin(reg) < 0)
		return -1;
	got = on_row(reg, "UPDATE exports SET status = 'expired', swept = NULL"
			  " WHERE batch_id = :batch AND centre = :centre AND " SWEEPABLE, x, now);
	if (got < 0 || cp_registry_commit(reg) < 0) {
		cp_registry_rollback(reg);
		return -1;
	}
	return got;
}

/* One export: under its batch's lock, claimed, deleted, recorded swept.
 * Returns 0, or the exit code it adds. */
static int sweep_one(struct cp_cmd_env *e, const struct cp_spool *spool,
		     const struct expiring *x, const char *now)
{
	char *bdir, *dir = NULL, *path = NULL;
	int fd = -1, got, rc = 0;

	/* the names come from the registry: checked before any path is made */
	if (!cp_batch_id_valid(x->batch) || strchr(x->file, '/') || x->file[0] == '.') {
		cp_error("export '%s' of batch '%s' has an unexpected name: left alone", x->file,
			 x->batch);
		return CP_EX_DATAERR;
	}
	/* a pack of the batch holds its lock while it records and writes the
	 * export: with the lock, no pack can publish a zip this deletes */
	bdir = cp_spool_batch_dir(spool, x->batch);
	if (access(bdir, F_OK) == 0 && (got = cp_batch_lock(bdir, x->batch, &fd)) != 0) {
		if (got > 0)
			cp_warn("batch %s is being worked on: its export %s is left for the next "
				"sweep", x->batch, x->file);
		rc = got > 0 ? CP_EX_TEMPFAIL : CP_EX_IOERR;
		goto out;
	}
	if ((got = claim(&e->reg, x, now)) <= 0) {
		rc = got < 0 ? CP_EX_IOERR : 0; /* 0: changed since it was read */
		goto out;
	}
	dir = cp_xasprintf("%s/%s", spool->exports, x->batch);
	path = cp_xasprintf("%s/%s", dir, x->file);
	if (unlink(path) < 0 && errno != ENOENT) {
		cp_error("%s: cannot delete: %s", path, strerror(errno));
		rc = CP_EX_IOERR; /* claimed: the next sweep tries again */
		goto out;
	}
	cp_fsync_dir(dir);
	rmdir(dir); /* when it was the batch's last export */
	if (on_row(&e->reg, "UPDATE exports SET swept = :now WHERE batch_id = :batch AND centre = :centre"
			    " AND status = 'expired' AND swept IS NULL", x, now) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	printf("expired %s %s\n", x->batch, x->file);
out:
	if (fd >= 0)
		close(fd);
	free(bdir);
	free(dir);
	free(path);
	return rc;
}

int cp_cmd_sweep(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_spool spool = { 0 };
	struct expiring *v = NULL;
	size_t n = 0;
	char now[32];
	long swept = 0, left = 0;
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
	if (expiring(&e.reg, now, &v, &n) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int one = sweep_one(&e, &spool, &v[i], now);

		if (one == CP_EX_TEMPFAIL)
			left++;
		else if (!one)
			swept++;
		rc = cp_exit_worst(rc, one);
	}
	cp_info("%ld exports past their retention deleted%s", swept,
		left ? "; some left for the next sweep (their batches are being worked on)" : "");
out:
	for (size_t i = 0; i < n; i++) {
		free(v[i].batch);
		free(v[i].centre);
		free(v[i].file);
	}
	free(v);
	cp_spool_release(&spool);
	cp_cmd_env_release(&e);
	return rc;
}
