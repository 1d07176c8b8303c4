/* A render worker: its share of the learners (every n-th, from k), each
 * document drawn twice (digital copy, print copy), written atomically, then
 * recorded in the worker's journal. A document already in a journal with
 * both files present is not drawn again. */
#include "render.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/atomicgroup.h"
#include "batchfile.h"
#include "util/digest.h"
#include "docrender.h"
#include "engine/draw.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "journal.h"
#include "util/banned.h"

#define SYNC_EVERY 64

struct worker {
	const struct cp_render *r;
	struct cp_journal *journal; /* what earlier attempts made */
	struct cp_pdf pdf; /* every PDF of this worker */
	struct cp_doc_output output; /* its profile and signing key, loaded once */
	struct cp_atomic_group files; /* written, durable at the next checkpoint */
	char *lines;                  /* their journal lines, written then */
	size_t nlines, alines;
	int k, n, fd, rc;
	long index, unsynced;
	struct cp_record_place place;
};

/* Draw one copy and write it; fills bytes and sha. */
static int one_copy(struct worker *w, const struct cp_layout *l, struct cp_values *v,
		    int digital, int *pages, size_t *bytes, char sha[CP_SHA256_HEX])
{
	unsigned char *buf;
	char *path;
	int rc;

	if (cp_doc_pdf(&w->pdf, l, v, &w->output, digital, &buf, bytes, pages, sha) < 0) {
		if (cp_doc_output_unavailable(&w->output))
			w->rc = CP_EX_UNAVAILABLE;
		return -1;
	}
	path = cp_doc_copy_path(w->r->dir, digital, v->v[CP_B_REFERENCE]);
	rc = cp_atomic_group_write(&w->files, path, buf, *bytes, 0640);
	if (rc < 0)
		w->rc = CP_EX_IOERR; /* disk full, file too large, EIO: a retry can cure it */
	free(path);
	free(buf);
	return rc;
}

static bool both_files(const struct worker *w, const char *ref)
{
	char *d = cp_doc_copy_path(w->r->dir, 1, ref), *p = cp_doc_copy_path(w->r->dir, 0, ref);
	struct stat st;
	bool ok = stat(d, &st) == 0 && stat(p, &st) == 0;

	free(d);
	free(p);
	return ok;
}

static int checkpoint(struct worker *w);

static int document(struct worker *w, xmlNodePtr l, xmlNodePtr doc, struct cp_record *rec)
{
	const char *type = cp_node_attr(doc, "type"), *ref = cp_node_attr(doc, "reference");
	const struct cp_layout *layout = cp_render_layout(w->r, cp_doc_template(cp_node_child(l, "award"),
									       type ? type : ""));
	char dsha[CP_SHA256_HEX], psha[CP_SHA256_HEX], *line;
	struct cp_journal_entry done;
	size_t dbytes, pbytes;
	int pages, ppages;
	ssize_t len;

	if (!type || !ref || !layout)
		return cp_error("learner '%s': a document without its type, reference or template",
				cp_node_attr(l, "enrolment"));
	if (cp_render_left_out(w->r, ref))
		return 0; /* revoked or superseded: not issued, not drawn */
	if (cp_journal_find(w->journal, w->index - 1, ref, &done) && both_files(w, ref))
		return 0;
	cp_record_document(rec, w->r->conf, ref, type, cp_node_attr(doc, "issued"),
			   cp_node_attr(doc, "expires"));
	if (one_copy(w, layout, &rec->v, 1, &pages, &dbytes, dsha) < 0 ||
	    one_copy(w, layout, &rec->v, 0, &ppages, &pbytes, psha) < 0)
		return -1;
	line = cp_xasprintf("%ld %s %s %d %zu %s %zu %s\n", w->index - 1, ref, type, pages, dbytes,
			    dsha, pbytes, psha);
	len = (ssize_t)strlen(line);
	w->lines = cp_xgrow(w->lines, &w->alines, w->nlines + (size_t)len, 1);
	memcpy(w->lines + w->nlines, line, (size_t)len);
	w->nlines += (size_t)len;
	free(line);
	if (++w->unsynced >= SYNC_EVERY)
		return checkpoint(w);
	return 0;
}

/* The files written since the last checkpoint onto disk and renamed, the
 * journal lines that record them written, the renames made durable, then
 * the lines. A line that reaches the disk before its renames is harmless: a
 * document is skipped only if both its files are there too. */
static int checkpoint(struct worker *w)
{
	char *d = cp_xasprintf("%s/digital", w->r->dir), *p = cp_xasprintf("%s/print", w->r->dir);
	int rc = 0;

	if (cp_atomic_group_commit(&w->files) < 0 ||
	    (w->nlines && write(w->fd, w->lines, w->nlines) != (ssize_t)w->nlines) ||
	    cp_fsync_dir(d) < 0 || cp_fsync_dir(p) < 0 || fdatasync(w->fd) < 0) {
		rc = cp_error("%s: cannot sync the rendered documents", w->r->dir);
		w->rc = CP_EX_IOERR;
	}
	w->unsynced = 0;
	w->nlines = 0;
	free(d);
	free(p);
	return rc;
}

static int on_header(void *ctx, xmlNodePtr n)
{
	cp_record_place_header(&((struct worker *)ctx)->place, n);
	return 0;
}

static int on_run(void *ctx, xmlNodePtr run)
{
	cp_record_place_run(&((struct worker *)ctx)->place, run);
	return 0;
}

static int on_learner(void *ctx, xmlNodePtr l)
{
	struct worker *w = ctx;
	struct cp_record rec;
	int rc = 0;

	if (xmlStrcmp(l->name, (const xmlChar *)"learner") || w->index++ % w->n != w->k ||
	    cp_render_skipped(w->r, w->index - 1))
		return 0;
	cp_record_values(&rec, l, w->r->conf, &w->place);
	for (xmlNodePtr d = l->children; d && rc == 0; d = d->next)
		if (d->type == XML_ELEMENT_NODE && !xmlStrcmp(d->name, (const xmlChar *)"document"))
			rc = document(w, l, d, &rec);
	cp_record_release(&rec);
	if (w->r->progress)
		cp_progress_tick(w->r->progress, 1);
	if (rc < 0 && !w->rc)
		w->rc = CP_EX_SOFTWARE;
	return rc;
}

int cp_render_worker(const struct cp_render *r, int k, int n)
{
	struct cp_journal earlier;
	struct worker w = { .r = r, .journal = &earlier, .k = k, .n = n };
	struct cp_batchfile_handler h = { &w, on_header, on_run, NULL, on_learner };
	char *journal = cp_xasprintf("%s/" CP_RENDER_JOURNAL_PREFIX "%d", r->dir, k);
	char *assigned = cp_xasprintf("%s/assigned.xml", r->dir);

	/* read before this worker appends to its own journal */
	if (cp_journal_open(&earlier, r->dir) < 0) {
		w.rc = CP_EX_IOERR;
		goto out;
	}
	if (cp_pdf_new(&w.pdf, &r->fonts, r->subset) < 0) {
		w.rc = CP_EX_SOFTWARE;
		goto out;
	}
	if ((w.rc = cp_doc_output_open(&w.output, r->conf, &w.pdf)) != CP_EX_OK)
		goto out;
	w.fd = open(journal, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (w.fd < 0) {
		cp_error("%s: cannot open", journal);
		w.rc = CP_EX_CANTCREAT;
		goto out;
	}
	if (cp_batchfile_read(assigned, "assigned", &h, NULL) < 0 && !w.rc)
		w.rc = CP_EX_DATAERR;
	if (checkpoint(&w) < 0 && !w.rc)
		w.rc = CP_EX_IOERR;
	close(w.fd);
out:
	cp_atomic_group_abort(&w.files);
	free(w.lines);
	cp_doc_output_close(&w.output);
	cp_pdf_free(&w.pdf);
	cp_journal_close(&earlier);
	cp_record_place_release(&w.place);
	free(journal);
	free(assigned);
	return w.rc;
}
