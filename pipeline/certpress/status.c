/* status and receipt: what an operator asks about batches. The list shows
 * each batch like the portals' print-batch lists (id, status, started,
 * finished, records, emails, type); one batch in detail shows its stages,
 * its rejected and held learners with reasons and lines, documents,
 * exports and emails; --receipts lists every export with its receipt due
 * date in working days and whether it is confirmed, pending or overdue. */
#include "cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batchfile.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "spool.h"
#include "stage.h"
#include "workdays.h"
#include "util/xalloc.h"
#include "summary.h"
#include "util/banned.h"

#define STATUS "status [--json] [--receipts | --stuck] [BATCH]"
#define RECEIPT "receipt BATCH CENTRE [--by NAME]"


static const char *col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}

/* The last attempt of a stage: "crashed", "failed at STAGE (why)" or NULL
 * (none, or it went well). A failed attempt without an exit code died
 * without a word; one run saw killed carries the signal in its counts. */
static char *last_attempt(struct cp_registry *reg, const char *batch, const char *stage)
{
	sqlite3_stmt *st = cp_registry_prepare(reg,
		"SELECT outcome, exit_code, json_extract(counts, '$.signal') FROM stage_runs"
		" WHERE batch_id = ?1 AND stage = ?2 ORDER BY attempt DESC LIMIT 1");
	char *out = NULL;

	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, stage, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (!strcmp(col(st, 0), "running") ||
		    (!strcmp(col(st, 0), "failed") && sqlite3_column_type(st, 1) == SQLITE_NULL))
			out = cp_xasprintf("crashed at %s", stage);
		else if (!strcmp(col(st, 0), "failed") && *col(st, 2))
			out = cp_xasprintf("failed at %s (killed by %s)", stage, col(st, 2));
		else if (!strcmp(col(st, 0), "failed"))
			out = cp_xasprintf("failed at %s (%s)", stage,
					   cp_exit_name(sqlite3_column_int(st, 1)));
	}
	sqlite3_finalize(st);
	return out;
}

/* Where a batch stands: "done", "refused", "running STAGE" (a process holds
 * its lock), "crashed at STAGE" (its last attempt died: recorded running
 * with the lock free, or closed so), "failed at STAGE (why)" or "waiting at
 * STAGE". *stuck: not done, not refused, and nobody at work on it. With the
 * lock free the attempts a dead process left "running" are closed first
 * (cp_stage_reconcile), unless the registry is read-only. */
static char *where(struct cp_registry *reg, const struct cp_spool *spool, const char *batch,
		   const char *db_status, bool *stuck)
{
	char *dir = cp_spool_batch_dir(spool, batch), *out;
	int next = cp_stage_next(dir), held = 0, fd = -1;
	bool refused = cp_stage_refused(dir) || (next == 0 && !strcmp(db_status, "failed"));
	long running = 0;

	*stuck = false;
	cp_registry_scalar(reg, "SELECT count(*) FROM stage_runs WHERE batch_id = ?1"
				" AND outcome = 'running'", batch, NULL, &running);
	if (running || (next < CP_NSTAGES && !refused))
		held = cp_batch_lock_probe(dir, running && !reg->readonly ? &fd : NULL);
	if (fd >= 0) {
		cp_stage_reconcile(reg, dir, batch);
		close(fd);
	}
	free(dir);
	if (next == CP_NSTAGES)
		return cp_xstrdup("done");
	if (refused)
		return cp_xstrdup("refused");
	if (held == 1)
		return cp_xasprintf("running %s", cp_stage_names[next]);
	*stuck = true;
	out = last_attempt(reg, batch, cp_stage_names[next]);
	return out ? out : cp_xasprintf("waiting at %s", cp_stage_names[next]);
}

/* Every batch, or (stuck_only) those nobody is at work on that are not
 * finished; *nstuck counts those. */
static int list(struct cp_cmd_env *e, const struct cp_spool *spool, bool json, bool stuck_only,
		long *nstuck)
{
	sqlite3_stmt *st = cp_registry_prepare(
		&e->reg, "SELECT b.id, b.status, b.created, b.results_name,"
			 " (SELECT max(finished) FROM stage_runs r WHERE r.batch_id = b.id),"
			 " (SELECT count(*) FROM reprints p WHERE p.print_batch_id = b.id)"
			 " FROM batches b ORDER BY b.id");
	int first = 1;

	*nstuck = 0;
	if (!st)
		return CP_EX_IOERR;
	if (json)
		fputs("[", stdout);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = col(st, 0);
		char rec[48], mail[48], type[48], *w;
		struct cp_batch_counts c;
		long reprints = sqlite3_column_int(st, 5);
		bool stuck;

		w = where(&e->reg, spool, id, col(st, 1), &stuck);
		*nstuck += stuck;
		if (stuck_only && !stuck) {
			free(w);
			continue;
		}
		cp_batch_counts(&e->reg, id, &c);
		snprintf(rec, sizeof(rec), "%ld/%ld/%ld", c.accepted, c.rejected, c.held);
		snprintf(mail, sizeof(mail), "%ld/%ld/%ld", c.sent, c.deferred, c.failed);
		if (reprints)
			snprintf(type, sizeof(type), "certification + %ld reprints", reprints);
		else
			snprintf(type, sizeof(type), "certification");
		if (json) {
			int f = 1;

			fputs(first ? "{" : ",{", stdout);
			cp_json_field(stdout, &f, "id", id);
			cp_json_field(stdout, &f, "status", w);
			printf(",\"stuck\":%s", stuck ? "true" : "false");
			cp_json_field(stdout, &f, "started", col(st, 2));
			cp_json_field(stdout, &f, "finished", strcmp(w, "done") ? NULL : col(st, 4));
			cp_json_field(stdout, &f, "results", col(st, 3));
			cp_json_field(stdout, &f, "type", type);
			printf(",\"accepted\":%ld,\"rejected\":%ld,\"held\":%ld,\"documents\":%ld,"
			       "\"emails_sent\":%ld,\"emails_deferred\":%ld,\"emails_failed\":%ld}",
			       c.accepted, c.rejected, c.held, c.documents, c.sent, c.deferred,
			       c.failed);
		} else {
			if (first)
				printf("%-20s %-30s %-20s %-20s %-22s %-22s %s\n", "BATCH", "STATUS",
				       "STARTED", "FINISHED", "RECORDS (ok/rej/held)",
				       "EMAILS (sent/def/fail)", "TYPE");
			printf("%-20s %-30s %-20s %-20s %-22s %-22s %s\n", id, w, col(st, 2),
			       strcmp(w, "done") ? "-" : col(st, 4), rec, mail, type);
		}
		first = 0;
		free(w);
	}
	if (json)
		fputs("]\n", stdout);
	sqlite3_finalize(st);
	return CP_EX_OK;
}

/* Rejected or held learners of a batch file, with reasons and lines. */
struct learners {
	bool json;
	int first;
};

static int on_learner(void *ctx, xmlNodePtr l)
{
	struct learners *s = ctx;

	if (xmlStrcmp(l->name, (const xmlChar *)"learner"))
		return 0;
	if (s->json) {
		int f = 1;

		fputs(s->first ? "{" : ",{", stdout);
		cp_json_field(stdout, &f, "enrolment", cp_node_attr(l, "enrolment"));
		cp_json_field(stdout, &f, "line", cp_node_attr(l, "line"));
		cp_json_field(stdout, &f, "course_run", cp_node_attr(l, "course-run"));
		cp_json_field(stdout, &f, "status", cp_node_attr(l, "status"));
		fputs(",\"reasons\":[", stdout);
	} else {
		printf("    %s (line %s, course run %s)\n", cp_node_attr(l, "enrolment"),
		       cp_node_attr(l, "line"), cp_node_attr(l, "course-run"));
	}
	s->first = 0;
	int rf = 1;

	for (xmlNodePtr r = l->children; r; r = r->next) {
		if (r->type != XML_ELEMENT_NODE || xmlStrcmp(r->name, (const xmlChar *)"reason"))
			continue;
		if (s->json) {
			int f = 1;

			fputs(rf ? "{" : ",{", stdout);
			cp_json_field(stdout, &f, "line", cp_node_attr(r, "line"));
			cp_json_field(stdout, &f, "text", cp_node_text(r, "text"));
			fputc('}', stdout);
		} else {
			printf("      line %s: %s\n", cp_node_attr(r, "line"), cp_node_text(r, "text"));
		}
		rf = 0;
	}
	if (s->json)
		fputs("]}", stdout);
	else if (cp_node_attr(l, "status") && strcmp(cp_node_attr(l, "status"), "achieved"))
		printf("      status: %s\n", cp_node_attr(l, "status"));
	return 0;
}

static void learners_of(const struct cp_spool *spool, const char *batch, const char *file,
			bool json)
{
	struct learners s = { json, 1 };
	struct cp_batchfile_handler h = { &s, NULL, NULL, NULL, on_learner };
	char *path = cp_spool_batch_file(spool, batch, file);
	char root[16];

	snprintf(root, sizeof(root), "%.*s", (int)(strlen(file) - 4), file);
	if (json)
		fputs("[", stdout);
	if (access(path, F_OK) == 0)
		cp_batchfile_read(path, root, &h, NULL);
	if (json)
		fputs("]", stdout);
	free(path);
}

static int detail(struct cp_cmd_env *e, const struct cp_spool *spool, const char *batch,
		  bool json)
{
	sqlite3_stmt *st;
	struct cp_batch_counts c;
	char *w;
	int first = 1;
	bool stuck;

	st = cp_registry_prepare(&e->reg, "SELECT status, created, results_name, reason"
					  " FROM batches WHERE id = ?1");
	if (!st)
		return CP_EX_IOERR;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		cp_error("no batch %s in the registry", batch);
		return CP_EX_NOINPUT;
	}
	w = where(&e->reg, spool, batch, col(st, 0), &stuck);
	cp_batch_counts(&e->reg, batch, &c);
	if (json) {
		int f = 1;

		fputs("{", stdout);
		cp_json_field(stdout, &f, "id", batch);
		cp_json_field(stdout, &f, "status", w);
		printf(",\"stuck\":%s", stuck ? "true" : "false");
		cp_json_field(stdout, &f, "started", col(st, 1));
		cp_json_field(stdout, &f, "results", col(st, 2));
		cp_json_field(stdout, &f, "reason", sqlite3_column_text(st, 3) ? col(st, 3) : NULL);
		printf(",\"accepted\":%ld,\"rejected\":%ld,\"held\":%ld,\"documents\":%ld,"
		       "\"emails_sent\":%ld,\"emails_deferred\":%ld,\"emails_failed\":%ld",
		       c.accepted, c.rejected, c.held, c.documents, c.sent, c.deferred, c.failed);
	} else {
		printf("batch %s: %s\n  results file %s, started %s\n", batch, w, col(st, 2),
		       col(st, 1));
		if (sqlite3_column_text(st, 3))
			printf("  reason: %s\n", col(st, 3));
		printf("  learners: %ld accepted, %ld rejected, %ld held; %ld documents issued\n",
		       c.accepted, c.rejected, c.held, c.documents);
	}
	sqlite3_finalize(st);
	free(w);

	st = cp_registry_prepare(&e->reg, "SELECT stage, attempt, started, coalesce(finished, ''),"
					  " coalesce(exit_code, ''), outcome, coalesce(counts, '')"
					  " FROM stage_runs WHERE batch_id = ?1 ORDER BY started,"
					  " CASE stage WHEN 'validate' THEN 0 WHEN 'assign' THEN 1"
					  " WHEN 'render' THEN 2 WHEN 'pack' THEN 3 ELSE 4 END, attempt");
	if (!st)
		return CP_EX_IOERR;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	fputs(json ? ",\"stages\":[" : "  stages:\n", stdout);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (json) {
			int f = 1;

			fputs(first ? "{" : ",{", stdout);
			cp_json_field(stdout, &f, "stage", col(st, 0));
			printf(",\"attempt\":%d", sqlite3_column_int(st, 1));
			cp_json_field(stdout, &f, "started", col(st, 2));
			cp_json_field(stdout, &f, "finished", col(st, 3));
			cp_json_field(stdout, &f, "outcome", col(st, 5));
			printf(",\"exit\":%s,\"counts\":%s}", *col(st, 4) ? col(st, 4) : "null",
			       *col(st, 6) ? col(st, 6) : "null");
		} else {
			printf("    %-8s #%d %s .. %-20s %-7s exit %-3s %s\n", col(st, 0),
			       sqlite3_column_int(st, 1), col(st, 2), col(st, 3), col(st, 5),
			       col(st, 4), col(st, 6));
		}
		first = 0;
	}
	sqlite3_finalize(st);
	if (json) {
		fputs("],\"rejected_learners\":", stdout);
		learners_of(spool, batch, "rejected.xml", true);
		fputs(",\"held_learners\":", stdout);
		learners_of(spool, batch, "held.xml", true);
	} else {
		if (c.rejected)
			puts("  rejected learners:");
		learners_of(spool, batch, "rejected.xml", false);
		if (c.held)
			puts("  held learners:");
		learners_of(spool, batch, "held.xml", false);
	}

	st = cp_registry_prepare(&e->reg, "SELECT centre, file, created, expires, status,"
					  " coalesce(receipt_at, '') FROM exports WHERE batch_id = ?1");
	if (!st)
		return CP_EX_IOERR;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	fputs(json ? ",\"exports\":[" : "  exports:\n", stdout);
	first = 1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (json) {
			int f = 1;

			fputs(first ? "{" : ",{", stdout);
			cp_json_field(stdout, &f, "centre", col(st, 0));
			cp_json_field(stdout, &f, "file", col(st, 1));
			cp_json_field(stdout, &f, "created", col(st, 2));
			cp_json_field(stdout, &f, "expires", col(st, 3));
			cp_json_field(stdout, &f, "status", col(st, 4));
			cp_json_field(stdout, &f, "receipt", *col(st, 5) ? col(st, 5) : NULL);
			fputc('}', stdout);
		} else {
			printf("    %s %s: %s, made %s, expires %s%s%s\n", col(st, 0), col(st, 1),
			       col(st, 4), col(st, 2), col(st, 3), *col(st, 5) ? ", receipt " : "",
			       col(st, 5));
		}
		first = 0;
	}
	sqlite3_finalize(st);

	st = cp_registry_prepare(&e->reg, "SELECT enrolment, status, attempts, coalesce(reply, ''),"
					  " updated FROM notifications WHERE batch_id = ?1 AND status"
					  " IN ('deferred', 'failed', 'intent') ORDER BY enrolment");
	if (!st)
		return CP_EX_IOERR;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	if (json)
		fputs("],\"emails_not_sent\":[", stdout);
	else
		printf("  emails: %ld sent, %ld deferred, %ld failed\n", c.sent, c.deferred,
		       c.failed);
	first = 1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (json) {
			int f = 1;

			fputs(first ? "{" : ",{", stdout);
			cp_json_field(stdout, &f, "recipient", col(st, 0));
			cp_json_field(stdout, &f, "status", col(st, 1));
			printf(",\"attempts\":%d", sqlite3_column_int(st, 2));
			cp_json_field(stdout, &f, "reply", col(st, 3));
			cp_json_field(stdout, &f, "updated", col(st, 4));
			fputc('}', stdout);
		} else {
			printf("    %s %s after %d attempts: %s\n", col(st, 0), col(st, 1),
			       sqlite3_column_int(st, 2), col(st, 3));
		}
		first = 0;
	}
	sqlite3_finalize(st);
	if (json)
		fputs("]}\n", stdout);
	return CP_EX_OK;
}

static int receipts(struct cp_cmd_env *e, bool json)
{
	struct cp_holidays h;
	struct cp_date today = cp_date_today();
	sqlite3_stmt *st;
	int first = 1;

	if (cp_holidays_load(&h, e->conf.holidays) < 0)
		return CP_EX_CONFIG;
	st = cp_registry_prepare(&e->reg, "SELECT batch_id, centre, file, created,"
					  " coalesce(receipt_at, ''), coalesce(receipt_by, ''), status"
					  " FROM exports ORDER BY created, batch_id, centre");
	if (!st) {
		cp_holidays_release(&h);
		return CP_EX_IOERR;
	}
	if (json)
		fputs("[", stdout);
	else
		printf("%-20s %-10s %-20s %-10s %-10s %s\n", "BATCH", "CENTRE", "SENT", "DUE",
		       "RECEIPT", "CONFIRMED");
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct cp_date sent, due;
		char sent_s[11], due_s[11];
		const char *state;

		snprintf(sent_s, sizeof(sent_s), "%.10s", col(st, 3));
		if (!cp_date_parse(sent_s, &sent))
			continue;
		due = cp_workdays_add(sent, (int)e->conf.receipt_days, &h);
		cp_date_format(due, due_s);
		state = *col(st, 4) ? "confirmed" : cp_date_cmp(today, due) > 0 ? "overdue" : "pending";
		if (json) {
			int f = 1;

			fputs(first ? "{" : ",{", stdout);
			cp_json_field(stdout, &f, "batch", col(st, 0));
			cp_json_field(stdout, &f, "centre", col(st, 1));
			cp_json_field(stdout, &f, "file", col(st, 2));
			cp_json_field(stdout, &f, "sent", col(st, 3));
			cp_json_field(stdout, &f, "due", due_s);
			cp_json_field(stdout, &f, "receipt", state);
			cp_json_field(stdout, &f, "confirmed_at", *col(st, 4) ? col(st, 4) : NULL);
			cp_json_field(stdout, &f, "confirmed_by", *col(st, 5) ? col(st, 5) : NULL);
			fputc('}', stdout);
		} else {
			printf("%-20s %-10s %-20s %-10s %-10s %s%s%s\n", col(st, 0), col(st, 1),
			       col(st, 3), due_s, state, col(st, 4), *col(st, 5) ? " by " : "",
			       col(st, 5));
		}
		first = 0;
	}
	if (json)
		fputs("]\n", stdout);
	sqlite3_finalize(st);
	cp_holidays_release(&h);
	return CP_EX_OK;
}

int cp_cmd_status(int argc, char **argv, const char *config)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "receipts", no_argument, NULL, 'r' },
		{ "stuck", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct cp_cmd_env e = { 0 };
	struct cp_spool spool = { 0 };
	char batch[CP_BATCH_ID_MAX];
	bool json = false, rec = false, stuck = false;
	long nstuck = 0;
	int c, rc;

	optind = 0; /* GNU getopt: start afresh after the global options */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 'r')
			rec = true;
		else if (c == 's')
			stuck = true;
		else
			return cp_cmd_usage(STATUS);
	}
	if (argc - optind > 1 || ((rec || stuck) && argc - optind) || (rec && stuck))
		return cp_cmd_usage(STATUS);
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry_read(&e)))
		goto out;
	cp_spool_names(&spool, &e.conf); /* only read: a read-only spool answers too */
	if (rec)
		rc = receipts(&e, json);
	else if (optind == argc)
		rc = list(&e, &spool, json, stuck, &nstuck);
	else if (cp_spool_batch_arg(&spool, argv[optind], batch) < 0)
		rc = CP_EX_NOINPUT;
	else
		rc = detail(&e, &spool, batch, json);
	/* for cron: 1 while a batch is stuck (the list says which) */
	if (stuck && rc == CP_EX_OK && nstuck)
		rc = 1;
out:
	cp_spool_release(&spool);
	cp_cmd_env_release(&e);
	return rc;
}

int cp_cmd_receipt(int argc, char **argv, const char *config)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	struct cp_cmd_env e = { 0 };
	const char *by = NULL;
	char stamp[32];
	sqlite3_stmt *st;
	int c, rc;

	optind = 0; /* GNU getopt: start afresh after the global options */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'b')
			return cp_cmd_usage(RECEIPT);
		by = optarg;
	}
	if (argc - optind != 2 || (by && !cp_cmd_reason_ok(by)))
		return cp_cmd_usage(RECEIPT);
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)))
		goto out;
	st = cp_registry_prepare(&e.reg, "UPDATE exports SET receipt_at = ?3,"
					 " receipt_by = coalesce(?4, receipt_by)"
					 " WHERE batch_id = ?1 AND centre = ?2");
	if (!st) {
		rc = CP_EX_IOERR;
		goto out;
	}
	sqlite3_bind_text(st, 1, argv[optind], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, argv[optind + 1], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, cp_time_stamp(stamp, sizeof(stamp)), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, by, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = CP_EX_IOERR;
	else if (sqlite3_changes(e.reg.db) == 0) {
		cp_error("no export of batch %s for centre %s", argv[optind], argv[optind + 1]);
		rc = CP_EX_NOINPUT;
	} else {
		cp_info("receipt of batch %s by centre %s recorded", argv[optind], argv[optind + 1]);
	}
	sqlite3_finalize(st);
out:
	cp_cmd_env_release(&e);
	return rc;
}
