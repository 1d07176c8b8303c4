/* The centre's reports, laid out by the layout engine from templates in
 * layouts/: certification-report.pdf (the course runs certificated in the
 * batch with learners achieved, held and rejected) and summary-RUN.pdf per
 * course run (each learner and the references of their documents). The
 * fonts are subset once for both from the templates' and the batch's text. */
#include "pack.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/date.h"
#include "engine/draw.h"
#include "engine/subset.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "workdays.h"
#include "util/banned.h"

#define REPORT "certification-report"
#define SUMMARY "course-summary"
#define ROW(b) ((b) - CP_B_FIRST_UNIT)

struct reports {
	struct cp_pack *p;
	struct cp_fontset fonts;
	char *subset[CP_MAX_FONTS];
	struct cp_layout report, summary;
	char today[11];
	char receipt_days[24], receipt_due[11]; /* as the centre's email states them */
	int rc;
	/* the course run being gathered for its summary */
	char *run;
	struct cp_unit_values *rows;
	char **owned;           /* strings the rows point at */
	size_t nrows, nowned;
	char *last_enrolment;
};

static const char *keep(struct reports *r, char *s)
{
	r->owned = cp_xrealloc(r->owned, (r->nowned + 1) * sizeof(*r->owned));
	r->owned[r->nowned++] = s;
	return s;
}

static void base_values(struct reports *r, struct cp_values *v)
{
	memset(v, 0, sizeof(*v));
	v->v[CP_B_AWARDING_BODY] = r->p->conf->awarding_body;
	v->v[CP_B_CENTRE_NAME] = r->p->centre_name;
	v->v[CP_B_CENTRE_NUMBER] = r->p->centre;
	v->v[CP_B_BATCH] = r->p->batch;
	v->v[CP_B_ISSUED] = r->today;
	v->v[CP_B_RECEIPT_DAYS] = r->receipt_days;
	v->v[CP_B_RECEIPT_DUE] = r->receipt_due;
}

/* One report as file: encrypted under the owner password for the zip
 * (as the digital copies), and as print-FILE for the print file, where it
 * is posted with its centre's consignment: laid out as a print copy
 * (unencrypted, DeviceCMYK, its page boxes; the logo, an RGB image, is
 * the digital copy's only, as on certificates). */
static int write_one(struct reports *r, const struct cp_layout *l, struct cp_values *v,
		     const char *title, const char *file, bool print)
{
	struct cp_pdf pdf;
	struct cp_pdf_info info = { 0 };
	unsigned char *buf;
	size_t len;
	char subject[96], *path;
	int rc;

	if (cp_pdf_new(&pdf, &r->fonts, r->subset) < 0)
		return -1;
	/* the print copy as print copies are: CMYK, trimmed, no RGB logo */
	if (cp_pdf_begin(&pdf) < 0 || cp_draw(&pdf, l, v, !print) < 0) {
		cp_pdf_free(&pdf);
		return cp_error("%s: cannot lay out %s", r->p->batch, file);
	}
	snprintf(subject, sizeof(subject), "Batch %s, centre %s", r->p->batch, r->p->centre);
	info.title = title;
	info.subject = subject;
	info.author = r->p->conf->awarding_body;
	info.owner_password = print ? NULL : r->p->conf->owner_password;
	info.pdfx_condition = print ? r->p->conf->print_output_condition : NULL;
	rc = cp_pdf_save(&pdf, &info, &buf, &len);
	cp_pdf_free(&pdf);
	if (rc < 0)
		return cp_error("%s: cannot make %s", r->p->batch, file);
	path = cp_xasprintf("%s/%s%s", r->p->work, print ? "print-" : "", file);
	rc = cp_atomic_write_file(path, buf, len, 0640);
	free(path);
	free(buf);
	return rc;
}

static int write_pdf(struct reports *r, const struct cp_layout *l, struct cp_values *v,
		     const char *title, const char *file)
{
	if (write_one(r, l, v, title, file, false) < 0)
		return -1;
	return write_one(r, l, v, title, file, true);
}

static int certification_report(struct reports *r)
{
	struct cp_pack *p = r->p;
	struct cp_values v;
	struct cp_unit_values *rows = cp_xcalloc(p->nruns ? p->nruns : 1, sizeof(*rows));
	char (*n)[3][24] = cp_xcalloc(p->nruns ? p->nruns : 1, sizeof(*n));
	char totals[3][24];
	int rc;

	base_values(r, &v);
	snprintf(totals[0], sizeof(totals[0]), "%ld", p->achieved);
	snprintf(totals[1], sizeof(totals[1]), "%ld", p->held);
	snprintf(totals[2], sizeof(totals[2]), "%ld", p->rejected);
	v.v[CP_B_TOTAL_ACHIEVED] = totals[0];
	v.v[CP_B_TOTAL_HELD] = totals[1];
	v.v[CP_B_TOTAL_REJECTED] = totals[2];
	for (size_t i = 0; i < p->nruns; i++) {
		snprintf(n[i][0], sizeof(n[i][0]), "%ld", p->runs[i].achieved);
		snprintf(n[i][1], sizeof(n[i][1]), "%ld", p->runs[i].held);
		snprintf(n[i][2], sizeof(n[i][2]), "%ld", p->runs[i].rejected);
		rows[i].v[ROW(CP_B_ROW_COURSE_RUN)] = p->runs[i].id;
		rows[i].v[ROW(CP_B_ROW_QUAL_NUMBER)] = p->runs[i].qualification;
		rows[i].v[ROW(CP_B_ROW_QUAL_TITLE)] = p->runs[i].title;
		rows[i].v[ROW(CP_B_ROW_ACHIEVED)] = n[i][0];
		rows[i].v[ROW(CP_B_ROW_HELD)] = n[i][1];
		rows[i].v[ROW(CP_B_ROW_REJECTED)] = n[i][2];
	}
	v.units = rows;
	v.nunits = p->nruns;
	rc = write_pdf(r, &r->report, &v, "Certification Report", "certification-report.pdf");
	free(n);
	free(rows);
	return rc;
}

static const struct cp_pack_run *run_named(const struct cp_pack *p, const char *id)
{
	for (size_t i = 0; i < p->nruns; i++)
		if (!strcmp(p->runs[i].id, id))
			return &p->runs[i];
	return NULL;
}

static void drop_rows(struct reports *r)
{
	for (size_t i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	free(r->owned);
	free(r->rows);
	free(r->run);
	free(r->last_enrolment);
	r->owned = NULL;
	r->rows = NULL;
	r->run = r->last_enrolment = NULL;
	r->nowned = r->nrows = 0;
}

/* The summary of the course run gathered so far. */
static int summary(struct reports *r)
{
	const struct cp_pack_run *run;
	struct cp_values v;
	char *file;
	int rc;

	if (!r->run)
		return 0;
	if (!cp_spool_name_ok(r->run))
		return cp_error("course run '%s' cannot name a file", r->run);
	run = run_named(r->p, r->run);
	base_values(r, &v);
	v.v[CP_B_COURSE_RUN] = r->run;
	v.v[CP_B_QUAL_NUMBER] = run ? run->qualification : NULL;
	v.v[CP_B_QUAL_TITLE] = run ? run->title : NULL;
	v.units = r->rows;
	v.nunits = r->nrows;
	file = cp_xasprintf("summary-%s.pdf", r->run);
	rc = write_pdf(r, &r->summary, &v, "Certificate Summary", file);
	free(file);
	drop_rows(r);
	return rc;
}

static int on_doc(void *ctx, const struct cp_batch_doc *d)
{
	struct reports *r = ctx;
	struct cp_unit_values *row;
	int b;

	if (strcmp(d->centre, r->p->centre))
		return 0;
	if (r->run && strcmp(r->run, d->course_run) && summary(r) < 0)
		return -1;
	if (!r->run)
		r->run = cp_xstrdup(d->course_run);
	if (!r->last_enrolment || strcmp(r->last_enrolment, d->enrolment)) {
		r->rows = cp_xrealloc(r->rows, (r->nrows + 1) * sizeof(*r->rows));
		row = &r->rows[r->nrows++];
		memset(row, 0, sizeof(*row));
		row->v[ROW(CP_B_ROW_LEARNER)] =
			keep(r, cp_bind_full_name(d->first_name, d->middle_names, d->last_name));
		row->v[ROW(CP_B_ROW_ENROLMENT)] = keep(r, cp_xstrdup(d->enrolment));
		row->v[ROW(CP_B_ROW_CANDIDATE)] = keep(r, cp_xstrdup(d->candidate));
		row->v[ROW(CP_B_ROW_GRADE)] = keep(r, cp_xstrdup(d->grade));
		free(r->last_enrolment);
		r->last_enrolment = cp_xstrdup(d->enrolment);
	}
	row = &r->rows[r->nrows - 1];
	b = cp_doctype_of(d->type)->report_column;
	row->v[ROW(b)] = keep(r, cp_xstrdup(d->reference));
	return 0;
}

static int load(struct reports *r)
{
	const struct cp_conf *conf = r->p->conf;
	char *assigned, *fontdir;
	const char *files[3];
	int rc = 0;

	if (cp_layout_load(&r->report, conf->layouts, REPORT, &r->fonts) < 0 ||
	    cp_layout_load(&r->summary, conf->layouts, SUMMARY, &r->fonts) < 0)
		return CP_EX_CONFIG;
	assigned = cp_xasprintf("%s/assigned.xml", r->p->dir);
	files[0] = assigned;
	files[1] = r->report.path;
	files[2] = r->summary.path;
	fontdir = cp_xasprintf("%s/fonts", r->p->work);
	if (cp_fontset_subset(&r->fonts, files, 3, fontdir, r->subset) < 0)
		rc = CP_EX_CANTCREAT;
	free(fontdir);
	free(assigned);
	return rc;
}

/* An earlier attempt's summaries go: a course run whose documents were all
 * revoked since has none now, and the zip takes whichever are there. */
static void remove_summaries(const struct cp_pack *p)
{
	for (size_t i = 0; i < p->nruns; i++)
		if (cp_spool_name_ok(p->runs[i].id)) {
			char *path = cp_xasprintf("%s/summary-%s.pdf", p->work, p->runs[i].id);
			char *print = cp_xasprintf("%s/print-summary-%s.pdf", p->work,
						   p->runs[i].id);

			unlink(path);
			unlink(print);
			free(path);
			free(print);
		}
}

int cp_pack_reports(struct cp_pack *p)
{
	struct reports r;
	int rc;

	remove_summaries(p);
	memset(&r, 0, sizeof(r));
	r.p = p;
	cp_date_format(cp_date_today(), r.today);
	snprintf(r.receipt_days, sizeof(r.receipt_days), "%ld", p->conf->receipt_days);
	/* counted from the report's own date, the export's day (and, as its
	 * text is, the same for the same inputs and clock) */
	if (cp_receipt_due(p->conf, r.today, r.receipt_due) < 0)
		return CP_EX_CONFIG;
	if ((rc = load(&r)) == CP_EX_OK) {
		if (certification_report(&r) < 0 ||
		    cp_documents_chosen_each(p->reg, p->batch, false, on_doc, &r) < 0 || summary(&r) < 0)
			rc = CP_EX_CANTCREAT;
	}
	drop_rows(&r);
	cp_layout_release(&r.report);
	cp_layout_release(&r.summary);
	for (int i = 0; i < CP_MAX_FONTS; i++)
		free(r.subset[i]);
	cp_fontset_release(&r.fonts);
	return rc;
}
