/* certpress run's closing summary, as text for an operator or JSON. */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "util/exitcode.h"
#include "util/json.h"
#include "stage.h"
#include "util/xalloc.h"
#include "util/banned.h"


void cp_summary_start(struct cp_summary *s)
{
	memset(s, 0, sizeof(*s));
}

void cp_summary_time(struct cp_summary *s, int stage, const struct timespec *t0)
{
	struct timespec t1;

	if (!s)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s->seconds[stage] += (double)(t1.tv_sec - t0->tv_sec) +
			     (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

void cp_summary_add(struct cp_summary *s, const char *batch, int code)
{
	s->batch = cp_xrealloc(s->batch, (s->n + 1) * sizeof(*s->batch));
	s->code = cp_xrealloc(s->code, (s->n + 1) * sizeof(*s->code));
	snprintf(s->batch[s->n], sizeof(*s->batch), "%s", batch);
	s->code[s->n++] = code;
}

/* A centre that cannot be told its export is ready (its address in the
 * results file unusable, or the server refused it) is for the operator to
 * tell some other way: said in the summary, which a nightly run logs. */
struct centre_failed {
	char centre[64], reply[256];
};

static int centre_row(void *ctx, const struct cp_notification_row *n)
{
	struct centre_failed *c = ctx;
	const char *prefix = "centre:";

	if (!*c->centre && !strcmp(n->status, "failed") &&
	    !strncmp(n->key, prefix, strlen(prefix))) {
		snprintf(c->centre, sizeof(c->centre), "%s", n->key + strlen(prefix));
		snprintf(c->reply, sizeof(c->reply), "%s", n->reply ? n->reply : "");
	}
	return 0;
}

static void add(struct cp_batch_counts *t, const struct cp_batch_counts *c)
{
	t->accepted += c->accepted;
	t->rejected += c->rejected;
	t->held += c->held;
	t->documents += c->documents;
	t->sent += c->sent;
	t->deferred += c->deferred;
	t->failed += c->failed;
}

void cp_summary_json_counts(FILE *f, const struct cp_batch_counts *c)
{
	fprintf(f, "\"accepted\":%ld,\"rejected\":%ld,\"held\":%ld,\"documents\":%ld,"
		   "\"emails_sent\":%ld,\"emails_deferred\":%ld,\"emails_failed\":%ld",
		c->accepted, c->rejected, c->held, c->documents, c->sent, c->deferred, c->failed);
}

void cp_summary_print(const struct cp_summary *s, struct cp_registry *reg, bool json, FILE *f)
{
	struct cp_batch_counts t = { 0 };
	size_t done = 0;

	if (json)
		fputs("{\"batches\":[", f);
	for (size_t i = 0; i < s->n; i++) {
		struct cp_batch_counts c;
		struct centre_failed cf = { "", "" };

		cp_registry_batch_counts(reg, s->batch[i], &c);
		cp_notifications_unsent_each(reg, s->batch[i], centre_row, &cf);
		add(&t, &c);
		done += s->code[i] == CP_EX_OK;
		if (json) {
			fprintf(f, "%s{\"id\":\"%s\",\"exit\":%d,\"outcome\":\"%s\",", i ? "," : "",
				s->batch[i], s->code[i], s->code[i] ? cp_exit_name(s->code[i]) : "ok");
			cp_summary_json_counts(f, &c);
			if (*cf.centre) {
				int first = 0;

				cp_json_field(f, &first, "centre_not_emailed", cf.reply);
			}
			fputc('}', f);
		} else {
			fprintf(f, "%-20s %-12s %ld accepted, %ld rejected, %ld held; %ld documents;"
				   " emails %ld sent, %ld deferred, %ld failed\n",
				s->batch[i], s->code[i] ? cp_exit_name(s->code[i]) : "done",
				c.accepted, c.rejected, c.held, c.documents, c.sent, c.deferred,
				c.failed);
			if (*cf.centre)
				fprintf(f, "%-20s centre %s not emailed: %s\n", "", cf.centre,
					cf.reply);
		}
	}
	if (json) {
		fputs("],\"totals\":{", f);
		cp_summary_json_counts(f, &t);
		fputs("},\"seconds\":{", f);
		for (int i = 0; i < CP_NSTAGES; i++)
			fprintf(f, "%s\"%s\":%.3f", i ? "," : "", cp_stage_names[i], s->seconds[i]);
		fputs("}}\n", f);
		return;
	}
	fprintf(f, "%zu batches: %zu done, %zu stopped; learners %ld accepted, %ld rejected,"
		   " %ld held; %ld documents issued; emails %ld sent, %ld deferred, %ld failed\n",
		s->n, done, s->n - done, t.accepted, t.rejected, t.held, t.documents, t.sent,
		t.deferred, t.failed);
	fputs("time:", f);
	for (int i = 0; i < CP_NSTAGES; i++)
		fprintf(f, " %s %.1f s%s", cp_stage_names[i], s->seconds[i], i < CP_NSTAGES - 1 ? "," : "\n");
}

void cp_summary_release(struct cp_summary *s)
{
	free(s->batch);
	free(s->code);
	memset(s, 0, sizeof(*s));
}
