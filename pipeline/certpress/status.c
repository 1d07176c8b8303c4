/* certpress status: what an operator asks about batches. The list shows
 * each batch like the portals' print-batch lists (id, status, started,
 * finished, records, emails, type); one batch in detail shows its stages,
 * its rejected and held learners with reasons and lines, documents,
 * exports, the learners not emailed and why, and the addresses operators
 * set; --receipts is receipt.c's list of exports. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approval.h"
#include "batchfile.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "spool.h"
#include "stage.h"
#include "util/xalloc.h"
#include "summary.h"
#include "util/banned.h"

struct status_args {
	bool json, receipts, pending, stuck;
};

static const struct cp_opt opts[] = {
	CP_OPT_FLAG_OF(struct status_args, json, "json", "JSON, for scripts"),
	{ .kind = CP_OPT_FLAG, .name = "receipts", .group = 1,
	  .help = "each course run sent with its receipt's due date and state",
	  .at = CP_OPT_AT(struct status_args, receipts, bool) },
	CP_OPT_FLAG_OF(struct status_args, pending, "pending",
		       "with --receipts: only those still to confirm"),
	{ .kind = CP_OPT_FLAG, .name = "stuck", .group = 1,
	  .help = "only the stuck batches (exit 1 if there is one)",
	  .at = CP_OPT_AT(struct status_args, stuck, bool) },
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_status_line = { "status", NULL, opts, "[BATCH]", 0, 1, 0 };

/* A registry string for printing: "" where there is none. */
static const char *str(const char *s)
{
	return s ? s : "";
}

/* The last attempt of a stage: "crashed", "failed at STAGE (why)" or NULL
 * (none, or it went well). A failed attempt without an exit code died
 * without a word; one run saw killed carries the signal in its counts. */
static char *last_attempt(struct cp_registry *reg, const char *batch, const char *stage)
{
	struct cp_stage_attempt a;

	if (cp_registry_stage_last(reg, batch, stage, &a) != 1)
		return NULL;
	if (!strcmp(a.outcome, "running") || (!strcmp(a.outcome, "failed") && !a.has_exit))
		return cp_xasprintf("crashed at %s", stage);
	if (!strcmp(a.outcome, "failed") && *a.signal)
		return cp_xasprintf("failed at %s (killed by %s)", stage, a.signal);
	if (!strcmp(a.outcome, "failed"))
		return cp_xasprintf("failed at %s (%s)", stage, cp_exit_name(a.exit_code));
	return NULL;
}

/* Where a batch stands: "done", "refused", "running STAGE" (a process holds
 * its lock), "crashed at STAGE" (its last attempt died: recorded running
 * with the lock free, or closed so), "failed at STAGE (why)" or "waiting at
 * STAGE". *stuck: not done, not refused, and nobody at work on it. With the
 * lock free the attempts a dead process left "running" are closed first
 * (cp_stage_reconcile), unless the registry is read-only. */
static char *where(const struct cp_conf *conf, struct cp_registry *reg,
		   const struct cp_spool *spool, const char *batch, const char *db_status,
		   bool *stuck)
{
	char *dir = cp_spool_batch_dir(spool, batch), *out;
	int next = cp_stage_next(dir), held = 0, fd = -1;
	bool refused = cp_stage_refused(dir) || (next == 0 && !strcmp(db_status, "failed"));
	long running = cp_registry_stage_running_count(reg, batch);

	*stuck = false;
	if (running || (next < CP_NSTAGES && !refused))
		held = cp_batch_lock_probe(dir, running && !reg->readonly ? &fd : NULL);
	if (fd >= 0) {
		cp_stage_reconcile(reg, dir, batch);
		close(fd);
	}
	if (next == CP_NSTAGES) {
		free(dir);
		return cp_xstrdup("done");
	}
	if (refused) {
		free(dir);
		return cp_xstrdup("refused");
	}
	if (held == 1) {
		free(dir);
		return cp_xasprintf("running %s", cp_stage_names[next]);
	}
	/* waiting for a person, not stuck: approve or hold says what to do */
	if (next == CP_STAGE_PACK) {
		char why[512];
		enum cp_approval_state a = cp_approval_state(conf, dir, why, sizeof(why));

		if (a != CP_APPROVAL_FREE) {
			free(dir);
			return a == CP_APPROVAL_HELD ? cp_xasprintf("held (%s)", why)
						     : cp_xstrdup("awaiting approval");
		}
	}
	free(dir);
	*stuck = true;
	out = last_attempt(reg, batch, cp_stage_names[next]);
	return out ? out : cp_xasprintf("waiting at %s", cp_stage_names[next]);
}

/* The batch list being printed. */
struct listing {
	struct cp_cmd_env *e;
	const struct cp_spool *spool;
	bool json, stuck_only;
	int first;
	long nstuck;
	const struct cp_held *held; /* --json: each batch's held consignments */
};

static void list_row(struct listing *l, const struct cp_batch_row *b)
{
	char rec[48], mail[48], type[48], *w;
	struct cp_batch_counts c;
	bool stuck;

	w = where(&l->e->conf, &l->e->reg, l->spool, b->id, b->status, &stuck);
	l->nstuck += stuck;
	if (l->stuck_only && !stuck) {
		free(w);
		return;
	}
	cp_registry_batch_counts(&l->e->reg, b->id, &c);
	snprintf(rec, sizeof(rec), "%ld/%ld/%ld", c.accepted, c.rejected, c.held);
	snprintf(mail, sizeof(mail), "%ld/%ld/%ld", c.sent, c.deferred, c.failed);
	if (b->reprints)
		snprintf(type, sizeof(type), "certification + %ld reprints", b->reprints);
	else
		snprintf(type, sizeof(type), "certification");
	if (l->json) {
		int f = 1;

		fputs(l->first ? "{" : ",{", stdout);
		cp_json_field(stdout, &f, "id", b->id);
		cp_json_field(stdout, &f, "status", w);
		printf(",\"stuck\":%s", stuck ? "true" : "false");
		cp_json_field(stdout, &f, "started", str(b->created));
		cp_json_field(stdout, &f, "started_by", b->started_by);
		cp_json_field(stdout, &f, "finished", strcmp(w, "done") ? NULL : str(b->finished));
		cp_json_field(stdout, &f, "results", str(b->results_name));
		cp_json_field(stdout, &f, "type", type);
		putchar(',');
		cp_summary_json_counts(stdout, &c);
		fputs(",\"held_consignments\":", stdout);
		cp_held_print(l->held, b->id, true);
		putchar('}');
	} else {
		if (l->first)
			printf("%-20s %-30s %-20s %-20s %-22s %-22s %-30s %s\n", "BATCH", "STATUS",
			       "STARTED", "FINISHED", "RECORDS (ok/rej/held)",
			       "EMAILS (sent/def/fail)", "TYPE", "STARTED BY");
		printf("%-20s %-30s %-20s %-20s %-22s %-22s %-30s %s\n", b->id, w, str(b->created),
		       strcmp(w, "done") ? "-" : str(b->finished), rec, mail, type,
		       b->started_by ? b->started_by : "-");
	}
	l->first = 0;
	free(w);
}

/* Every batch, or (stuck_only) those nobody is at work on that are not
 * finished; *nstuck counts those. The list is read whole first: then a
 * batch's attempts a dead process left running are closed (where) with
 * no statement of the registry's open. */
static int list(struct cp_cmd_env *e, const struct cp_spool *spool, bool json, bool stuck_only,
		long *nstuck)
{
	struct listing l = { e, spool, json, stuck_only, 1, 0, NULL };
	struct cp_batch_row *rows;
	struct cp_held held;
	size_t n;
	int rc;

	if (json && (rc = cp_held_open(e, &held)))
		return rc;
	l.held = &held;
	if (cp_registry_batches_list(&e->reg, &rows, &n) < 0) {
		if (json)
			cp_held_close(&held);
		return CP_EX_IOERR;
	}
	if (json)
		fputs("[", stdout);
	for (size_t i = 0; i < n; i++)
		list_row(&l, &rows[i]);
	if (json)
		fputs("]\n", stdout);
	cp_batch_rows_free(rows, n);
	if (json)
		cp_held_close(&held);
	*nstuck = l.nstuck;
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

/* The batch's header: where it stands, its results file, its counts. */
static int detail_header(struct cp_cmd_env *e, const struct cp_spool *spool, const char *batch,
			 bool json, struct cp_batch_counts *c)
{
	struct cp_batch_info b;
	bool stuck;
	char *w;
	int got = cp_registry_batch_find(&e->reg, batch, &b);

	if (got <= 0) {
		if (got == 0)
			cp_error("no batch %s in the registry", batch);
		return got < 0 ? CP_EX_IOERR : CP_EX_NOINPUT;
	}
	w = where(&e->conf, &e->reg, spool, batch, b.status, &stuck);
	cp_registry_batch_counts(&e->reg, batch, c);
	if (json) {
		int f = 1;

		fputs("{", stdout);
		cp_json_field(stdout, &f, "id", batch);
		cp_json_field(stdout, &f, "status", w);
		printf(",\"stuck\":%s", stuck ? "true" : "false");
		cp_json_field(stdout, &f, "started", str(b.created));
		cp_json_field(stdout, &f, "started_by", b.started_by);
		cp_json_field(stdout, &f, "results", str(b.results_name));
		cp_json_field(stdout, &f, "reason", b.reason);
		putchar(',');
		cp_summary_json_counts(stdout, c);
		printf(",\"emails_not_notifiable\":%ld", c->not_notifiable);
	} else {
		printf("batch %s: %s\n  results file %s, started %s by %s\n", batch, w,
		       str(b.results_name), str(b.created), b.started_by ? b.started_by : "-");
		if (b.reason)
			printf("  reason: %s\n", b.reason);
		printf("  learners: %ld accepted, %ld rejected, %ld held; %ld documents issued\n",
		       c->accepted, c->rejected, c->held, c->documents);
	}
	free(w);
	cp_batch_info_release(&b);
	return CP_EX_OK;
}

/* One list of a batch's detail being printed. */
struct rows {
	bool json;
	int first;
};

static int stage_row(void *ctx, const struct cp_stage_run_row *r)
{
	struct rows *p = ctx;

	if (p->json) {
		int f = 1;

		fputs(p->first ? "{" : ",{", stdout);
		cp_json_field(stdout, &f, "stage", r->stage);
		printf(",\"attempt\":%d", r->attempt);
		cp_json_field(stdout, &f, "started", r->started);
		cp_json_field(stdout, &f, "finished", r->finished);
		cp_json_field(stdout, &f, "outcome", r->outcome);
		cp_json_field(stdout, &f, "by", *r->by ? r->by : NULL);
		printf(",\"exit\":%s,\"counts\":%s}", *r->exit_code ? r->exit_code : "null",
		       *r->counts ? r->counts : "null");
	} else {
		printf("    %-8s #%d %s .. %-20s %-7s exit %-3s %s by %s\n", r->stage, r->attempt,
		       r->started, r->finished, r->outcome, r->exit_code, r->counts,
		       *r->by ? r->by : "-");
	}
	p->first = 0;
	return 0;
}

static int export_row(void *ctx, const struct cp_export_row *x)
{
	struct rows *p = ctx;

	if (p->json) {
		int f = 1;

		fputs(p->first ? "{" : ",{", stdout);
		cp_json_field(stdout, &f, "centre", x->centre);
		cp_json_field(stdout, &f, "file", x->file);
		cp_json_field(stdout, &f, "created", x->created);
		cp_json_field(stdout, &f, "expires", x->expires);
		cp_json_field(stdout, &f, "status", x->status);
		cp_json_field(stdout, &f, "receipt", *x->receipt_at ? x->receipt_at : NULL);
		fputc('}', stdout);
	} else {
		printf("    %s %s: %s, made %s, expires %s%s%s\n", x->centre, x->file, x->status,
		       x->created, x->expires, *x->receipt_at ? ", receipt " : "", x->receipt_at);
	}
	p->first = 0;
	return 0;
}

static int receipt_row(void *ctx, const struct cp_receipt_row *c)
{
	struct rows *p = ctx;

	if (p->json) {
		int f = 1;

		fputs(p->first ? "{" : ",{", stdout);
		cp_json_field(stdout, &f, "centre", c->centre);
		cp_json_field(stdout, &f, "course_run", *c->course_run ? c->course_run : NULL);
		cp_json_field(stdout, &f, "received", c->received);
		cp_json_field(stdout, &f, "confirmed_by", c->by);
		cp_json_field(stdout, &f, "recorded", c->recorded);
		cp_json_field(stdout, &f, "note", *c->note ? c->note : NULL);
		fputc('}', stdout);
	} else {
		if (p->first)
			puts("  receipts:");
		printf("    %s %s: received %s, confirmed by %s, recorded %s%s%s\n", c->centre,
		       *c->course_run ? c->course_run : "all course runs", c->received, c->by,
		       c->recorded, *c->note ? ": " : "", c->note);
	}
	p->first = 0;
	return 0;
}

static int approval_row(void *ctx, const struct cp_approval_row *a)
{
	struct rows *p = ctx;

	if (p->json) {
		int f = 1;

		fputs(p->first ? "{" : ",{", stdout);
		cp_json_field(stdout, &f, "action", a->action);
		cp_json_field(stdout, &f, "by", a->by);
		cp_json_field(stdout, &f, "at", a->at);
		cp_json_field(stdout, &f, "reason", *a->reason ? a->reason : NULL);
		fputc('}', stdout);
	} else {
		if (p->first)
			puts("  approval:");
		printf("    %s by %s at %s%s%s\n", a->action, a->by, a->at, *a->reason ? ": " : "",
		       a->reason);
	}
	p->first = 0;
	return 0;
}

static int unsent_row(void *ctx, const struct cp_notification_row *n)
{
	struct rows *p = ctx;

	if (p->json) {
		int f = 1;

		fputs(p->first ? "{" : ",{", stdout);
		cp_json_field(stdout, &f, "recipient", n->key);
		cp_json_field(stdout, &f, "status", n->status);
		printf(",\"attempts\":%d", n->attempts);
		cp_json_field(stdout, &f, "reply", n->reply);
		cp_json_field(stdout, &f, "updated", n->updated);
		fputc('}', stdout);
	} else if (!strcmp(n->status, "not-notifiable")) {
		printf("    %s not notifiable: %s\n", n->key, n->reply);
	} else {
		printf("    %s %s after %d attempts: %s\n", n->key, n->status, n->attempts,
		       n->reply);
	}
	p->first = 0;
	return 0;
}

static int address_row(void *ctx, const struct cp_address_change_row *c)
{
	struct rows *p = ctx;

	if (p->json) {
		int f = 1;

		fputs(p->first ? "{" : ",{", stdout);
		cp_json_field(stdout, &f, "enrolment", c->enrolment);
		cp_json_field(stdout, &f, "set_by", c->set_by);
		cp_json_field(stdout, &f, "set_at", c->set_at);
		fputc('}', stdout);
	} else {
		if (p->first)
			puts("  addresses set:");
		printf("    %s by %s at %s\n", c->enrolment, c->set_by, c->set_at);
	}
	p->first = 0;
	return 0;
}

/* Its rejected and held learners, with reasons and lines. */
static void detail_learners(const struct cp_spool *spool, const char *batch, bool json,
			    const struct cp_batch_counts *c)
{
	if (json) {
		fputs("],\"rejected_learners\":", stdout);
		learners_of(spool, batch, "rejected.xml", true);
		fputs(",\"held_learners\":", stdout);
		learners_of(spool, batch, "held.xml", true);
		return;
	}
	if (c->rejected)
		puts("  rejected learners:");
	learners_of(spool, batch, "rejected.xml", false);
	if (c->held)
		puts("  held learners:");
	learners_of(spool, batch, "held.xml", false);
}

/* All of the detail but the held consignments. */
static int detail_body(struct cp_cmd_env *e, const struct cp_spool *spool, const char *batch,
		       bool json)
{
	struct cp_batch_counts c;
	struct rows rows = { json, 1 };
	int rc = detail_header(e, spool, batch, json, &c);

	if (rc != CP_EX_OK)
		return rc;
	fputs(json ? ",\"stages\":[" : "  stages:\n", stdout);
	if (cp_registry_stage_runs_each(&e->reg, batch, stage_row, &rows) < 0)
		return CP_EX_IOERR;
	if (json)
		fputs("],\"approvals\":[", stdout);
	rows.first = 1;
	if (cp_approvals_each(&e->reg, batch, approval_row, &rows) < 0)
		return CP_EX_IOERR;
	detail_learners(spool, batch, json, &c);
	fputs(json ? ",\"exports\":[" : "  exports:\n", stdout);
	rows.first = 1;
	if (cp_exports_of_batch(&e->reg, batch, export_row, &rows) < 0)
		return CP_EX_IOERR;
	if (json)
		fputs("],\"receipts\":[", stdout);
	rows.first = 1;
	if (cp_receipts_of_batch(&e->reg, batch, receipt_row, &rows) < 0)
		return CP_EX_IOERR;
	if (json)
		fputs("],\"emails_not_sent\":[", stdout);
	else
		printf("  emails: %ld sent, %ld deferred, %ld failed, %ld not notifiable\n",
		       c.sent, c.deferred, c.failed, c.not_notifiable);
	rows.first = 1;
	if (cp_notifications_unsent_each(&e->reg, batch, unsent_row, &rows) < 0)
		return CP_EX_IOERR;
	if (json)
		fputs("],\"addresses_set\":[", stdout);
	rows.first = 1;
	if (cp_address_changes_of_batch(&e->reg, batch, address_row, &rows) < 0)
		return CP_EX_IOERR;
	if (json)
		putchar(']');
	return CP_EX_OK;
}

/* One batch in detail: its header, stages, learners not accepted,
 * exports, the recipients not emailed (why: no address, an address that
 * cannot be used, the server's reply, deferred), who set addresses and
 * (--json) its print batch's held consignments. */
static int detail(struct cp_cmd_env *e, const struct cp_spool *spool, const char *batch,
		  bool json)
{
	struct cp_held held;
	int rc;

	/* the register read first: a bad one stops before any JSON is out */
	if (json && (rc = cp_held_open(e, &held)))
		return rc;
	rc = detail_body(e, spool, batch, json);
	if (json && rc == CP_EX_OK) {
		fputs(",\"held_consignments\":", stdout);
		rc = cp_held_print(&held, batch, true);
		fputs("}\n", stdout);
	}
	if (json)
		cp_held_close(&held);
	return rc;
}

int cp_cmd_status(int argc, char **argv, const char *config)
{
	struct status_args a = { false, false, false, false };
	struct cp_cmd_env e = { 0 };
	struct cp_spool spool = { 0 };
	char batch[CP_BATCH_ID_MAX];
	long nstuck = 0;
	int first, rc;

	if ((rc = cp_cmd_args(&cp_status_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if (((a.receipts || a.stuck) && first < argc) || (a.pending && !a.receipts))
		return cp_cmd_usage(&cp_status_line);
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry_read(&e)))
		goto out;
	cp_spool_names(&spool, &e.conf); /* only read: a read-only spool answers too */
	if (a.receipts)
		rc = cp_cmd_receipts(&e, a.pending, a.json);
	else if (first == argc) {
		rc = list(&e, &spool, a.json, a.stuck, &nstuck);
		if (rc == CP_EX_OK && !a.json && !a.stuck)
			rc = cp_cmd_held_consignments(&e);
	}
	else if (cp_spool_batch_arg(&spool, argv[first], batch) < 0)
		rc = CP_EX_NOINPUT;
	else
		rc = detail(&e, &spool, batch, a.json);
	/* for cron: 1 while a batch is stuck (the list says which) */
	if (a.stuck && rc == CP_EX_OK && nstuck)
		rc = 1;
out:
	cp_spool_release(&spool);
	cp_cmd_env_release(&e);
	return rc;
}

