/* The render stage's flow: prepare once, fork the workers (one per
 * processor unless the config says otherwise), then gather their journals
 * into rendered.xml, which is written last: its presence means done. */
#include "render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/atomic.h"
#include "batchfile.h"
#include "util/child.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "registry.h"
#include "spool.h"
#include "stage.h"
#include "util/xalloc.h"
#include "xmlout.h"
#include "journal.h"
#include "util/banned.h"

struct gather {
	const struct cp_render *r;
	struct cp_registry *reg;
	long index; /* the learner's place in assigned.xml */
	struct cp_xmlout xml;
	struct cp_journal journal;
	long learners, documents, pages, missing, left_out;
	unsigned long long bytes;
};

static int gather_learner(void *ctx, xmlNodePtr l)
{
	struct gather *g = ctx;
	const char *status;

	if (xmlStrcmp(l->name, (const xmlChar *)"learner"))
		return 0;
	if (cp_render_skipped(g->r, g->index++))
		return 0;
	g->learners++;
	cp_xmlout_start(&g->xml, "learner");
	cp_xmlout_attr(&g->xml, "line", cp_node_attr(l, "line"));
	cp_xmlout_attr(&g->xml, "enrolment", cp_node_attr(l, "enrolment"));
	for (xmlNodePtr d = l->children; d; d = d->next) {
		struct cp_journal_entry x;
		char *path;

		if (d->type != XML_ELEMENT_NODE || xmlStrcmp(d->name, (const xmlChar *)"document"))
			continue;
		if ((status = cp_render_left_out(g->r, cp_node_attr(d, "reference")))) {
			cp_xmlout_start(&g->xml, "left-out");
			cp_xmlout_attr(&g->xml, "type", cp_node_attr(d, "type"));
			cp_xmlout_attr(&g->xml, "reference", cp_node_attr(d, "reference"));
			cp_xmlout_attr(&g->xml, "status", status);
			cp_xmlout_end(&g->xml);
			g->left_out++;
			continue;
		}
		if (!cp_journal_find(&g->journal, g->index - 1, cp_node_attr(d, "reference"), &x)) {
			cp_error("%s: no rendering recorded", cp_node_attr(d, "reference"));
			g->missing++;
			continue;
		}
		cp_xmlout_start(&g->xml, "document");
		cp_xmlout_attr(&g->xml, "type", x.type);
		cp_xmlout_attr(&g->xml, "reference", x.ref);
		cp_xmlout_attr_long(&g->xml, "pages", x.pages);
		path = cp_xasprintf("digital/%s.pdf", x.ref);
		cp_xmlout_attr(&g->xml, "digital", path);
		free(path);
		cp_xmlout_attr_long(&g->xml, "digital-bytes", (long)x.dbytes);
		cp_xmlout_attr(&g->xml, "digital-sha256", x.dsha);
		if (cp_document_set_digest(g->reg, x.ref, x.dsha) < 0)
			return -1;
		path = cp_xasprintf("print/%s.pdf", x.ref);
		cp_xmlout_attr(&g->xml, "print", path);
		free(path);
		cp_xmlout_attr_long(&g->xml, "print-bytes", (long)x.pbytes);
		cp_xmlout_attr(&g->xml, "print-sha256", x.psha);
		cp_xmlout_end(&g->xml);
		g->documents++;
		g->pages += x.pages;
		g->bytes += x.dbytes + x.pbytes;
	}
	cp_xmlout_end(&g->xml);
	return 0;
}

static int write_rendered(struct cp_render *r, struct cp_registry *reg, char **counts)
{
	struct gather g = { .r = r, .reg = reg };
	struct cp_batchfile_handler h = { &g, NULL, NULL, NULL, gather_learner };
	struct cp_atomic out;
	char *path = cp_xasprintf("%s/rendered.xml", r->dir);
	char *assigned = cp_xasprintf("%s/assigned.xml", r->dir);
	int rc = CP_EX_SOFTWARE;

	if (cp_journal_open(&g.journal, r->dir) < 0) {
		rc = CP_EX_IOERR;
		goto free;
	}
	if (cp_xmlout_create(&g.xml, &out, path, "rendered", r->batch) < 0) {
		rc = CP_EX_CANTCREAT;
		goto free;
	}
	/* the digital copies' digests (for the verification page) are
	 * committed before rendered.xml: once it exists nothing is redone */
	if (cp_registry_begin(reg) < 0 || cp_batchfile_read(assigned, "assigned", &h, NULL) < 0 ||
	    g.missing || cp_registry_commit(reg) < 0) {
		cp_registry_rollback(reg);
		cp_xmlout_finish(&g.xml);
		cp_atomic_abort(&out);
		goto free;
	}
	cp_xmlout_start(&g.xml, "end");
	cp_xmlout_attr_long(&g.xml, "count", g.learners);
	cp_xmlout_attr_long(&g.xml, "documents", g.documents);
	cp_xmlout_attr_long(&g.xml, "pages", g.pages);
	if (g.left_out)
		cp_xmlout_attr_long(&g.xml, "left-out", g.left_out);
	cp_xmlout_end(&g.xml);
	cp_xmlout_end(&g.xml);
	if (cp_xmlout_finish(&g.xml) < 0) {
		cp_error("%s: cannot write: %s", path, strerror(errno));
		cp_atomic_abort(&out);
		rc = CP_EX_IOERR;
		goto free;
	}
	if (cp_atomic_commit(&out) < 0) {
		rc = CP_EX_IOERR;
		goto free;
	}
	*counts = cp_xasprintf("{\"learners\":%ld,\"refused\":%ld,\"documents\":%ld,"
			       "\"left_out\":%ld,\"pages\":%ld,\"bytes\":%llu}", g.learners,
			       r->refused, g.documents, g.left_out, g.pages, g.bytes);
	cp_info("%ld learners: %ld documents, %ld pages, %llu KB of PDF (digital and print)",
		g.learners, g.documents, g.pages, g.bytes / 1024);
	rc = CP_EX_OK;
free:
	cp_journal_close(&g.journal);
	free(path);
	free(assigned);
	return rc;
}

/* Run n workers; the worst of their exit codes. A worker holds the batch's
 * lock through the fd it inherits and dies with this process, so none goes
 * on after the stage is killed; one that is killed fails the stage with the
 * code of its signal (SIGKILL from the OOM killer: a retry resumes), and
 * *killed says which signal and worker, for the attempt's record. */
static int run_workers(struct cp_render *r, int n, char **killed)
{
	pid_t pids[64], self = getpid();
	int rc = CP_EX_OK;

	if (n <= 1)
		return cp_render_worker(r, 0, 1);
	cp_progress_share(r->progress); /* the workers count the whole batch together */
	fflush(NULL);
	for (int k = 0; k < n; k++) {
		pids[k] = fork();
		if (pids[k] < 0) {
			cp_error("cannot start a render worker");
			n = k;
			rc = CP_EX_TEMPFAIL;
			break;
		}
		if (pids[k] == 0) {
			int code;

			if (cp_child_bind(self) < 0)
				_exit(CP_EX_TEMPFAIL);
			code = cp_render_worker(r, k, n);
			cp_render_release(r);
			exit(cp_exit_for_errno(code, cp_output_errno())); /* a full disk: 74 */
		}
	}
	for (int k = 0; k < n; k++) {
		int status;

		if (waitpid(pids[k], &status, 0) < 0) {
			rc = cp_exit_worst(rc, CP_EX_SOFTWARE);
		} else if (WIFEXITED(status)) {
			rc = cp_exit_worst(rc, WEXITSTATUS(status));
		} else {
			cp_error("render worker %d was killed by %s", k,
				 cp_signal_name(WTERMSIG(status)));
			rc = cp_exit_worst(rc, cp_exit_from_signal(WTERMSIG(status)));
			if (!*killed)
				*killed = cp_xasprintf("{\"signal\":\"%s\",\"worker\":%d}",
						       cp_signal_name(WTERMSIG(status)), k);
		}
	}
	return rc;
}

static int render_batch(struct cp_stage *st, void *ctx, char **counts)
{
	struct cp_render *r = ctx;
	struct cp_progress progress;
	char *sub;
	long jobs;
	int rc = CP_EX_OK;

	snprintf(r->batch, sizeof(r->batch), "%s", st->batch);
	r->dir = cp_xstrdup(st->dir);
	for (int i = 0; i < 3; i++) { /* swept already, by cp_stage_start */
		sub = cp_xasprintf("%s/%s", r->dir, i == 0 ? "digital" : i == 1 ? "print" : "fonts");
		if (cp_mkdirs(sub) < 0)
			rc = CP_EX_CANTCREAT;
		free(sub);
	}
	if (rc == CP_EX_OK && cp_render_select(r, &st->reg) < 0)
		rc = CP_EX_IOERR;
	if (rc == CP_EX_OK)
		rc = cp_render_prepare(r, &st->reg);
	if (rc == CP_EX_OK) {
		jobs = r->conf->render_jobs ? r->conf->render_jobs : sysconf(_SC_NPROCESSORS_ONLN);
		if (jobs > 64)
			jobs = 64;
		if (jobs > r->learners)
			jobs = r->learners;
		cp_progress_start(&progress, "render", "learners", r->learners);
		r->progress = &progress;
		rc = run_workers(r, (int)jobs, counts);
		cp_progress_end(&progress);
		r->progress = NULL;
	}
	/* before rendered.xml: a rendered batch awaiting approval has its proof */
	if (rc == CP_EX_OK && r->conf->approval_required)
		rc = cp_render_proof(r);
	if (rc == CP_EX_OK && (rc = write_rendered(r, &st->reg, counts)) == CP_EX_OK)
		cp_journal_remove(r->dir);
	return cp_exit_for_errno(rc, cp_output_errno()); /* a full disk is 74 */
}

int cp_render_run(const struct cp_conf *conf, const char *batch_arg, FILE *out)
{
	struct cp_render r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.conf = conf;
	rc = cp_stage_run("render", conf, batch_arg, out, render_batch, &r);
	cp_render_release(&r);
	return rc;
}
