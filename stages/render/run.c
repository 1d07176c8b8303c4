/* The render stage's flow: prepare once, fork the workers (one per
 * processor unless the config says otherwise), then gather their journals
 * into rendered.xml, which is written last: its presence means done. */
#include "render.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../pipeline/atomic.h"
#include "../../pipeline/batchfile.h"
#include "../../pipeline/exitcode.h"
#include "../../pipeline/msg.h"
#include "../../pipeline/pdftext.h"
#include "../../pipeline/registry.h"
#include "../../pipeline/spool.h"
#include "../../pipeline/stage.h"
#include "../../pipeline/xalloc.h"
#include "../../pipeline/xmlout.h"
#include "../../pipeline/banned.h"

void cp_render_journal_read(const char *dir, struct cp_strmap *done, char ***lines, long *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	*lines = NULL;
	*n = 0;
	if (!d)
		return;
	while ((e = readdir(d))) {
		char *path, *line = NULL;
		size_t cap = 0;
		ssize_t len;
		FILE *f;

		if (strncmp(e->d_name, "render.journal.", 15))
			continue;
		path = cp_xasprintf("%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		free(path);
		if (!f)
			continue;
		while ((len = getline(&line, &cap, f)) > 0) {
			char ref[32];

			/* a line cut short by a crash has no newline: not done */
			if (line[len - 1] != '\n' || sscanf(line, "%31s", ref) != 1)
				continue;
			*lines = cp_xrealloc(*lines, (size_t)(*n + 1) * sizeof(**lines));
			(*lines)[*n] = cp_xstrdup(line);
			if (!cp_strmap_get(done, ref, NULL))
				cp_strmap_add(done, ref, *n, NULL);
			(*n)++;
		}
		free(line);
		fclose(f);
	}
	closedir(d);
}

struct gather {
	struct cp_xmlout xml;
	struct cp_strmap *done;
	char **lines;
	long learners, documents, pages, missing;
	unsigned long long bytes;
};

static int gather_learner(void *ctx, xmlNodePtr l)
{
	struct gather *g = ctx;

	if (xmlStrcmp(l->name, (const xmlChar *)"learner"))
		return 0;
	g->learners++;
	cp_xmlout_start(&g->xml, "learner");
	cp_xmlout_attr(&g->xml, "line", cp_node_attr(l, "line"));
	cp_xmlout_attr(&g->xml, "enrolment", cp_node_attr(l, "enrolment"));
	for (xmlNodePtr d = l->children; d; d = d->next) {
		char ref[32], type[16], dsha[65], psha[65], *path;
		int pages;
		unsigned long long db, pb;
		long at;

		if (d->type != XML_ELEMENT_NODE || xmlStrcmp(d->name, (const xmlChar *)"document"))
			continue;
		if (!cp_strmap_get(g->done, cp_node_attr(d, "reference"), &at) ||
		    sscanf(g->lines[at], "%31s %15s %d %llu %64s %llu %64s", ref, type, &pages, &db,
			   dsha, &pb, psha) != 7) {
			cp_error("%s: no rendering recorded", cp_node_attr(d, "reference"));
			g->missing++;
			continue;
		}
		cp_xmlout_start(&g->xml, "document");
		cp_xmlout_attr(&g->xml, "type", type);
		cp_xmlout_attr(&g->xml, "reference", ref);
		cp_xmlout_attr_long(&g->xml, "pages", pages);
		path = cp_xasprintf("digital/%s.pdf", ref);
		cp_xmlout_attr(&g->xml, "digital", path);
		free(path);
		cp_xmlout_attr_long(&g->xml, "digital-bytes", (long)db);
		cp_xmlout_attr(&g->xml, "digital-sha256", dsha);
		path = cp_xasprintf("print/%s.pdf", ref);
		cp_xmlout_attr(&g->xml, "print", path);
		free(path);
		cp_xmlout_attr_long(&g->xml, "print-bytes", (long)pb);
		cp_xmlout_attr(&g->xml, "print-sha256", psha);
		cp_xmlout_end(&g->xml);
		g->documents++;
		g->pages += pages;
		g->bytes += db + pb;
	}
	cp_xmlout_end(&g->xml);
	return 0;
}

static int write_rendered(struct cp_render *r, char **counts)
{
	struct gather g = { 0 };
	struct cp_batchfile_handler h = { &g, NULL, NULL, NULL, gather_learner };
	struct cp_strmap done = { 0 };
	struct cp_atomic out;
	char *path = cp_xasprintf("%s/rendered.xml", r->dir);
	char *assigned = cp_xasprintf("%s/assigned.xml", r->dir);
	long n;
	int rc = CP_EX_SOFTWARE;

	cp_render_journal_read(r->dir, &done, &g.lines, &n);
	g.done = &done;
	if (cp_atomic_open(&out, path, 0640) < 0) {
		rc = CP_EX_CANTCREAT;
		goto free;
	}
	cp_xmlout_open(&g.xml, out.fp);
	cp_xmlout_start(&g.xml, "rendered");
	cp_xmlout_attr(&g.xml, "xmlns", "urn:certpress:batch:1");
	cp_xmlout_attr(&g.xml, "batch", r->batch);
	if (cp_batchfile_read(assigned, "assigned", &h, NULL) < 0 || g.missing) {
		cp_xmlout_finish(&g.xml);
		cp_atomic_abort(&out);
		goto free;
	}
	cp_xmlout_start(&g.xml, "end");
	cp_xmlout_attr_long(&g.xml, "count", g.learners);
	cp_xmlout_attr_long(&g.xml, "documents", g.documents);
	cp_xmlout_attr_long(&g.xml, "pages", g.pages);
	cp_xmlout_end(&g.xml);
	cp_xmlout_end(&g.xml);
	if (cp_xmlout_finish(&g.xml) < 0) {
		cp_atomic_abort(&out);
		rc = CP_EX_IOERR;
		goto free;
	}
	if (cp_atomic_commit(&out) < 0) {
		rc = CP_EX_IOERR;
		goto free;
	}
	*counts = cp_xasprintf("{\"learners\":%ld,\"documents\":%ld,\"pages\":%ld,\"bytes\":%llu}",
			       g.learners, g.documents, g.pages, g.bytes);
	cp_info("%ld learners: %ld documents, %ld pages, %llu KB of PDF (digital and print)",
		g.learners, g.documents, g.pages, g.bytes / 1024);
	rc = CP_EX_OK;
free:
	for (long i = 0; i < n; i++)
		free(g.lines[i]);
	free(g.lines);
	cp_strmap_release(&done);
	free(path);
	free(assigned);
	return rc;
}

static void remove_journals(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "render.journal.", 15)) {
			char *p = cp_xasprintf("%s/%s", dir, e->d_name);

			unlink(p);
			free(p);
		}
	closedir(d);
}

/* Run n workers; the worst of their exit codes. */
static int run_workers(struct cp_render *r, int n, struct cp_strmap *done)
{
	pid_t pids[64];
	int rc = CP_EX_OK;

	if (n <= 1)
		return cp_render_worker(r, 0, 1, done);
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
			int code = cp_render_worker(r, k, n, done);

			cp_render_release(r);
			cp_strmap_release(done);
			exit(code);
		}
	}
	for (int k = 0; k < n; k++) {
		int status;

		if (waitpid(pids[k], &status, 0) < 0)
			rc = cp_exit_worst(rc, CP_EX_SOFTWARE);
		else if (WIFEXITED(status))
			rc = cp_exit_worst(rc, WEXITSTATUS(status));
		else
			rc = cp_exit_worst(rc, CP_EX_SOFTWARE);
	}
	return rc;
}

int cp_render_run(const struct cp_conf *conf, const char *batch_arg, FILE *out)
{
	struct cp_render r;
	struct cp_stage st;
	struct cp_strmap done = { 0 };
	char **lines = NULL, *counts = NULL, *sub;
	long nlines = 0, jobs;
	int rc;

	memset(&r, 0, sizeof(r));
	r.conf = conf;
	if ((rc = cp_stage_open(&st, "render", conf, batch_arg)) != 0)
		goto out;
	snprintf(r.batch, sizeof(r.batch), "%s", st.batch);
	r.dir = cp_xstrdup(st.dir);
	if (cp_stage_has(&st, "rendered.xml")) {
		cp_stage_already_done(&st);
		cp_info("batch %s is rendered already", r.batch);
		goto done;
	}
	if (!cp_stage_has(&st, "assigned.xml")) {
		cp_error("batch %s has no references yet: no assigned.xml", r.batch);
		rc = CP_EX_NOINPUT;
		goto out;
	}
	if ((rc = cp_stage_begin(&st)) != 0)
		goto out;
	cp_atomic_sweep(r.dir);
	for (int i = 0; i < 3; i++) {
		sub = cp_xasprintf("%s/%s", r.dir, i == 0 ? "digital" : i == 1 ? "print" : "fonts");
		cp_atomic_sweep(sub);
		if (cp_mkdirs(sub) < 0)
			rc = CP_EX_CANTCREAT;
		free(sub);
	}
	if (rc == CP_EX_OK && cp_pdftext_init() < 0)
		rc = CP_EX_SOFTWARE;
	if (rc == CP_EX_OK)
		rc = cp_render_prepare(&r);
	if (rc == CP_EX_OK) {
		cp_render_journal_read(r.dir, &done, &lines, &nlines);
		jobs = conf->render_jobs ? conf->render_jobs : sysconf(_SC_NPROCESSORS_ONLN);
		if (jobs > 64)
			jobs = 64;
		if (jobs > r.learners)
			jobs = r.learners;
		rc = run_workers(&r, (int)jobs, &done);
	}
	if (rc == CP_EX_OK && (rc = write_rendered(&r, &counts)) == CP_EX_OK)
		remove_journals(r.dir);
	cp_stage_end(&st, rc, counts);
done:
	if (rc == CP_EX_OK)
		fprintf(out, "%s %s\n", st.batch, st.dir);
out:
	for (long i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
	free(counts);
	cp_strmap_release(&done);
	cp_render_release(&r);
	cp_stage_close(&st);
	return rc;
}
