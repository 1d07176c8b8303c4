/* The proof a checker reads before a batch is approved ([run] approval =
 * required): every certificate of the batch drawn small by the layout
 * engine on a contact sheet (engine/sheet.h), each with its reference and
 * learner line under it, in assigned.xml's order; written atomically as
 * proof.pdf before rendered.xml, so a rendered batch that awaits approval
 * always has its proof. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "util/atomic.h"
#include "batchfile.h"
#include "docrender.h"
#include "engine/sheet.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct proof {
	const struct cp_render *r;
	struct cp_pdf pdf;
	struct cp_sheet sheet;
	struct cp_record_place place;
	long index;
};

static int tile(struct proof *f, const struct cp_layout *l, struct cp_record *rec,
		const char *ref)
{
	char *line = cp_xasprintf("%s, %s, %s, %s", rec->full, rec->v.v[CP_B_ENROLMENT],
				  rec->v.v[CP_B_QUAL_TITLE] ? rec->v.v[CP_B_QUAL_TITLE] : "",
				  rec->v.v[CP_B_GRADE] ? rec->v.v[CP_B_GRADE] : "");
	int rc = cp_sheet_add(&f->sheet, l, &rec->v, 0, ref, line);

	free(line);
	return rc;
}

static int on_header(void *ctx, xmlNodePtr n)
{
	cp_record_place_header(&((struct proof *)ctx)->place, n);
	return 0;
}

static int on_run(void *ctx, xmlNodePtr run)
{
	cp_record_place_run(&((struct proof *)ctx)->place, run);
	return 0;
}

static int on_learner(void *ctx, xmlNodePtr l)
{
	struct proof *f = ctx;
	struct cp_record rec;
	int rc = 0;

	if (xmlStrcmp(l->name, (const xmlChar *)"learner") ||
	    cp_render_skipped(f->r, f->index++))
		return 0;
	cp_record_values(&rec, l, f->r->conf, &f->place);
	for (xmlNodePtr d = l->children; d && !rc; d = d->next) {
		const char *type = cp_node_attr(d, "type"), *ref = cp_node_attr(d, "reference");
		const struct cp_layout *layout;

		if (d->type != XML_ELEMENT_NODE || xmlStrcmp(d->name, (const xmlChar *)"document") ||
		    !type || strcmp(type, "certificate") || !ref || cp_render_left_out(f->r, ref))
			continue;
		layout = cp_render_layout(f->r, cp_doc_template(cp_node_child(l, "award"), type));
		if (!layout)
			continue; /* the workers said why */
		cp_record_document(&rec, f->r->conf, ref, type, cp_node_attr(d, "issued"),
				   cp_node_attr(d, "expires"));
		rc = tile(f, layout, &rec, ref);
	}
	cp_record_release(&rec);
	return rc;
}

int cp_render_proof(struct cp_render *r)
{
	struct proof f = { .r = r };
	struct cp_batchfile_handler h = { &f, on_header, on_run, NULL, on_learner };
	struct cp_pdf_info info = { .title = "Proof", .author = r->conf->awarding_body };
	char *assigned = cp_xasprintf("%s/assigned.xml", r->dir);
	char *path = cp_xasprintf("%s/" CP_PROOF_FILE, r->dir), subject[64], title[160];
	unsigned char *buf = NULL;
	size_t len = 0;
	int rc = CP_EX_OK;

	snprintf(subject, sizeof(subject), "Batch %s: every certificate, for approval", r->batch);
	snprintf(title, sizeof(title), "%s   proof of batch %s", r->conf->awarding_body, r->batch);
	info.subject = subject;
	cp_sheet_init(&f.sheet, &f.pdf, title);
	if (cp_pdf_new(&f.pdf, &r->fonts, r->subset) < 0 || cp_pdf_begin(&f.pdf) < 0) {
		rc = CP_EX_SOFTWARE;
	} else if (cp_batchfile_read(assigned, "assigned", &h, NULL) < 0) {
		rc = CP_EX_SOFTWARE;
	} else {
		cp_sheet_finish(&f.sheet); /* no certificate: one sheet says so */
		if (cp_pdf_save(&f.pdf, &info, &buf, &len) < 0)
			rc = CP_EX_SOFTWARE;
		else if (cp_atomic_write_file(path, buf, len, 0640) < 0)
			rc = CP_EX_IOERR;
		else
			cp_info("proof.pdf: %ld certificates on %ld sheets, for approval",
				f.sheet.tiles, f.sheet.pages);
	}
	free(buf);
	cp_pdf_free(&f.pdf);
	cp_record_place_release(&f.place);
	free(assigned);
	free(path);
	return rc;
}
