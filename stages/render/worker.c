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

#include "../../pipeline/atomic.h"
#include "../../pipeline/batchfile.h"
#include "../../pipeline/digest.h"
#include "../../pipeline/draw.h"
#include "../../pipeline/exitcode.h"
#include "../../pipeline/msg.h"
#include "../../pipeline/progress.h"
#include "../../pipeline/xalloc.h"
#include "journal.h"
#include "../../pipeline/banned.h"

#define SYNC_EVERY 64

struct worker {
	const struct cp_render *r;
	struct cp_journal *journal; /* what earlier attempts made */
	int k, n, fd, rc;
	long index, unsynced;
	char *centre_name, *centre_number, *run_id;
	struct cp_progress progress;
};

static const char *title_of(const char *type)
{
	return !strcmp(type, "certificate") ? "Certificate"
	       : !strcmp(type, "transcript") ? "Unit transcript" : "Letter";
}

static const char *template_of(xmlNodePtr award, const char *type)
{
	return cp_node_attr(award, !strcmp(type, "certificate") ? "layout" : type);
}

/* Draw one copy and write it; fills bytes and sha. */
static int one_copy(struct worker *w, const struct cp_layout *l, struct cp_values *v,
		    const char *type, const char *ref, int digital, int *pages, size_t *bytes,
		    char sha[CP_SHA256_HEX])
{
	struct cp_pdf pdf;
	struct cp_pdf_info info = { 0 };
	struct cp_sha256 h;
	unsigned char *buf;
	char subject[64], *path;
	int rc;

	if (cp_pdf_new(&pdf, &w->r->fonts, w->r->subset) < 0)
		return -1;
	*pages = cp_draw(&pdf, l, v, digital);
	if (*pages < 0) {
		HPDF_STATUS e = pdf.error, d = pdf.detail;

		cp_pdf_free(&pdf);
		return cp_error("%s: cannot lay out the %s (libharu error 0x%04lX, detail %lu)", ref,
				type, (unsigned long)e, (unsigned long)d);
	}
	snprintf(subject, sizeof(subject), "Reference %s", ref);
	info.title = title_of(type);
	info.subject = subject;
	info.author = w->r->conf->awarding_body;
	info.keywords = ref;
	info.owner_password = digital ? w->r->conf->owner_password : NULL;
	if (cp_pdf_save(&pdf, &info, &buf, bytes) < 0)
		return cp_error("%s: cannot make the %s copy of the %s", ref,
				digital ? "digital" : "print", type);
	cp_sha256_init(&h);
	cp_sha256_update(&h, buf, *bytes);
	cp_sha256_final_hex(&h, sha);
	path = cp_xasprintf("%s/%s/%s.pdf", w->r->dir, digital ? "digital" : "print", ref);
	/* the folders are synced once per journal checkpoint, not per file */
	rc = cp_atomic_write_file_deferred(path, buf, *bytes, 0640);
	free(path);
	free(buf);
	return rc;
}

static bool both_files(const struct worker *w, const char *ref)
{
	char *d = cp_xasprintf("%s/digital/%s.pdf", w->r->dir, ref);
	char *p = cp_xasprintf("%s/print/%s.pdf", w->r->dir, ref);
	struct stat st;
	bool ok = stat(d, &st) == 0 && stat(p, &st) == 0;

	free(d);
	free(p);
	return ok;
}

static int checkpoint(struct worker *w);

static int document(struct worker *w, xmlNodePtr l, xmlNodePtr doc, struct cp_values *v)
{
	const char *type = cp_node_attr(doc, "type"), *ref = cp_node_attr(doc, "reference");
	const struct cp_layout *layout = cp_render_layout(w->r, template_of(cp_node_child(l, "award"),
									   type ? type : ""));
	char dsha[CP_SHA256_HEX], psha[CP_SHA256_HEX], url[512], *line;
	struct cp_journal_entry done;
	size_t dbytes, pbytes;
	int pages, ppages;
	ssize_t len;

	if (!type || !ref || !layout)
		return cp_error("learner '%s': a document without its type, reference or template",
				cp_node_attr(l, "enrolment"));
	if (cp_journal_find(w->journal, w->index - 1, ref, &done) && both_files(w, ref))
		return 0;
	snprintf(url, sizeof(url), "%s%s", w->r->conf->verify_url, ref);
	v->v[CP_B_REFERENCE] = ref;
	v->v[CP_B_DOC_TYPE] = type;
	v->v[CP_B_ISSUED] = cp_node_attr(doc, "issued");
	v->v[CP_B_EXPIRES] = cp_node_attr(doc, "expires");
	v->v[CP_B_VERIFY_URL] = url;
	if (one_copy(w, layout, v, type, ref, 1, &pages, &dbytes, dsha) < 0 ||
	    one_copy(w, layout, v, type, ref, 0, &ppages, &pbytes, psha) < 0)
		return -1;
	line = cp_xasprintf("%ld %s %s %d %zu %s %zu %s\n", w->index - 1, ref, type, pages, dbytes,
			    dsha, pbytes, psha);
	len = (ssize_t)strlen(line);
	if (write(w->fd, line, (size_t)len) != len) {
		free(line);
		return cp_error("%s: cannot write the render journal", w->r->dir);
	}
	free(line);
	if (++w->unsynced >= SYNC_EVERY)
		return checkpoint(w);
	return 0;
}

/* Make the renames durable, then the journal lines that record them. A
 * journal line that reaches the disk earlier on its own is harmless: a
 * document is skipped only if both its files are there too. */
static int checkpoint(struct worker *w)
{
	char *d = cp_xasprintf("%s/digital", w->r->dir), *p = cp_xasprintf("%s/print", w->r->dir);
	int rc = 0;

	if (cp_fsync_dir(d) < 0 || cp_fsync_dir(p) < 0 || fdatasync(w->fd) < 0)
		rc = cp_error("%s: cannot sync the rendered documents", w->r->dir);
	w->unsynced = 0;
	free(d);
	free(p);
	return rc;
}

static int on_header(void *ctx, xmlNodePtr n)
{
	struct worker *w = ctx;

	if (!xmlStrcmp(n->name, (const xmlChar *)"centre")) {
		free(w->centre_name);
		free(w->centre_number);
		w->centre_name = cp_xstrdup(cp_node_attr(n, "name"));
		w->centre_number = cp_xstrdup(cp_node_attr(n, "number"));
	}
	return 0;
}

static int on_run(void *ctx, xmlNodePtr run)
{
	struct worker *w = ctx;

	free(w->run_id);
	w->run_id = cp_xstrdup(cp_node_attr(run, "id"));
	return 0;
}

static int on_learner(void *ctx, xmlNodePtr l)
{
	struct worker *w = ctx;
	xmlNodePtr award = cp_node_child(l, "award");
	struct cp_values v;
	struct cp_unit_values *units = NULL;
	const char *middle = cp_node_text(l, "middle-names");
	char *full, credits_s[16], count_s[16];
	long credits = 0;
	size_t nunits = 0;
	int rc = 0;

	if (xmlStrcmp(l->name, (const xmlChar *)"learner") || w->index++ % w->n != w->k)
		return 0;
	memset(&v, 0, sizeof(v));
	full = cp_xasprintf("%s%s%s %s", cp_node_text(l, "first-name"), middle ? " " : "",
			    middle ? middle : "", cp_node_text(l, "last-name"));
	for (xmlNodePtr u = l->children; u; u = u->next)
		if (u->type == XML_ELEMENT_NODE && !xmlStrcmp(u->name, (const xmlChar *)"unit")) {
			units = cp_xrealloc(units, (nunits + 1) * sizeof(*units));
			units[nunits].v[CP_B_UNIT_REF - CP_B_FIRST_UNIT] = cp_node_attr(u, "ref");
			units[nunits].v[CP_B_UNIT_TITLE - CP_B_FIRST_UNIT] = cp_node_text(u, "title");
			units[nunits].v[CP_B_UNIT_LEVEL - CP_B_FIRST_UNIT] = cp_node_attr(u, "level");
			units[nunits].v[CP_B_UNIT_CREDITS - CP_B_FIRST_UNIT] = cp_node_attr(u, "credits");
			units[nunits].v[CP_B_UNIT_GRADE - CP_B_FIRST_UNIT] = cp_node_attr(u, "grade");
			credits += cp_node_attr_long(u, "credits", 0);
			nunits++;
		}
	snprintf(credits_s, sizeof(credits_s), "%ld", credits);
	snprintf(count_s, sizeof(count_s), "%zu", nunits);
	v.v[CP_B_AWARDING_BODY] = w->r->conf->awarding_body;
	v.v[CP_B_FULL_NAME] = full;
	v.v[CP_B_FIRST_NAME] = cp_node_text(l, "first-name");
	v.v[CP_B_MIDDLE_NAMES] = middle;
	v.v[CP_B_LAST_NAME] = cp_node_text(l, "last-name");
	v.v[CP_B_ENROLMENT] = cp_node_attr(l, "enrolment");
	v.v[CP_B_CANDIDATE] = cp_node_attr(l, "candidate");
	v.v[CP_B_QUAL_TITLE] = cp_node_text(award, "title");
	v.v[CP_B_QUAL_NUMBER] = cp_node_attr(award, "qualification");
	v.v[CP_B_QUAL_LEVEL] = cp_node_attr(award, "level");
	v.v[CP_B_GRADE] = cp_node_attr(award, "grade");
	v.v[CP_B_AWARDED] = cp_node_attr(award, "awarded");
	v.v[CP_B_CENTRE_NAME] = w->centre_name;
	v.v[CP_B_CENTRE_NUMBER] = w->centre_number;
	v.v[CP_B_COURSE_RUN] = w->run_id;
	v.v[CP_B_CREDITS_TOTAL] = credits_s;
	v.v[CP_B_UNITS_COUNT] = count_s;
	v.units = units;
	v.nunits = nunits;
	for (xmlNodePtr d = l->children; d && rc == 0; d = d->next)
		if (d->type == XML_ELEMENT_NODE && !xmlStrcmp(d->name, (const xmlChar *)"document"))
			rc = document(w, l, d, &v);
	free(units);
	free(full);
	cp_progress_tick(&w->progress, 1);
	if (rc < 0)
		w->rc = CP_EX_SOFTWARE;
	return rc;
}

int cp_render_worker(const struct cp_render *r, int k, int n)
{
	struct cp_journal earlier;
	struct worker w = { .r = r, .journal = &earlier, .k = k, .n = n };
	struct cp_batchfile_handler h = { &w, on_header, on_run, NULL, on_learner };
	char *journal = cp_xasprintf("%s/render.journal.%d", r->dir, k);
	char *assigned = cp_xasprintf("%s/assigned.xml", r->dir);

	/* read before this worker appends to its own journal */
	if (cp_journal_open(&earlier, r->dir) < 0) {
		w.rc = CP_EX_IOERR;
		goto out;
	}
	w.fd = open(journal, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (w.fd < 0) {
		cp_error("%s: cannot open", journal);
		w.rc = CP_EX_CANTCREAT;
		goto out;
	}
	if (k == 0)
		cp_progress_start(&w.progress, "render", "learners", r->learners / n);
	if (cp_batchfile_read(assigned, "assigned", &h, NULL) < 0 && !w.rc)
		w.rc = CP_EX_DATAERR;
	cp_progress_end(&w.progress);
	if (checkpoint(&w) < 0 && !w.rc)
		w.rc = CP_EX_IOERR;
	close(w.fd);
out:
	cp_journal_close(&earlier);
	free(w.centre_name);
	free(w.centre_number);
	free(w.run_id);
	free(journal);
	free(assigned);
	return w.rc;
}
