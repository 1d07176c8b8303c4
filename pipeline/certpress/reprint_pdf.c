/* The replacement's copies, made when the reprint is ordered: the learner's
 * record is read from the registry (award, units, the document's template:
 * no batch folder is needed), or, for a document assigned before the
 * registry kept its template, from the original batch's assigned.xml; laid
 * out by render's document code (docrender.c) with fonts subset for it,
 * the digital copy made as [render] protection says (PDF/A-2b, signed) and
 * its SHA-256 recorded, and written to spool/reprints/{digital,print}/REF.pdf,
 * where the next pack stage takes the print copy into its print file. */
#include "cmd.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/digest.h"
#include "batchfile.h"
#include "docrender.h"
#include "doctype.h"
#include "engine/subset.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "spool.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The learner of the award, found in its batch's assigned.xml, and its
 * place there, as render read it. */
struct find {
	const char *award_id;
	struct cp_record_place place;
	xmlNodePtr learner; /* a copy, once found */
};

static int on_header(void *ctx, xmlNodePtr n)
{
	struct find *f = ctx;

	if (!f->place.centre_number) /* the file's one centre */
		cp_record_place_header(&f->place, n);
	return 0;
}

static int on_run(void *ctx, xmlNodePtr run)
{
	struct find *f = ctx;

	if (!f->learner)
		cp_record_place_run(&f->place, run);
	return 0;
}

static int on_learner(void *ctx, xmlNodePtr l)
{
	struct find *f = ctx;
	const char *id = cp_node_attr(l, "award-id");

	if (!f->learner && id && !strcmp(id, f->award_id))
		f->learner = xmlCopyNode(l, 1);
	return 0;
}

/* Read the learner's record back from assigned: 0, or 66 with a message. */
static int find_record(struct find *f, const char *ref, const char *assigned)
{
	struct cp_batchfile_handler h = { f, on_header, on_run, NULL, on_learner };

	if (access(assigned, R_OK) < 0 || cp_batchfile_read(assigned, "assigned", &h, NULL) < 0 ||
	    !f->learner) {
		cp_error("%s: the learner's record is not in %s: the replacement cannot be laid out",
			 ref, assigned);
		return CP_EX_NOINPUT;
	}
	return CP_EX_OK;
}

#define X(s) ((const xmlChar *)(s))

static void set_long(xmlNodePtr n, const char *name, long v)
{
	char buf[24];

	if (v > 0) {
		snprintf(buf, sizeof(buf), "%ld", v);
		xmlSetProp(n, X(name), X(buf));
	}
}

static void set_opt(xmlNodePtr n, const char *name, const char *v)
{
	if (v)
		xmlSetProp(n, X(name), X(v));
}

/* The learner's record in assigned.xml's shape, from the registry's. */
static xmlNodePtr record_node(const struct cp_doc_record *d, const char *template_attr)
{
	xmlNodePtr l = xmlNewNode(NULL, X("learner")), award;
	char id[24];

	snprintf(id, sizeof(id), "%lld", d->award_id);
	set_opt(l, "enrolment", d->f[CP_REC_ENROLMENT]);
	set_opt(l, "candidate", d->f[CP_REC_CANDIDATE]);
	xmlSetProp(l, X("award-id"), X(id));
	xmlNewTextChild(l, NULL, X("first-name"), X(d->f[CP_REC_FIRST_NAME]));
	if (d->f[CP_REC_MIDDLE_NAMES] && *d->f[CP_REC_MIDDLE_NAMES])
		xmlNewTextChild(l, NULL, X("middle-names"), X(d->f[CP_REC_MIDDLE_NAMES]));
	xmlNewTextChild(l, NULL, X("last-name"), X(d->f[CP_REC_LAST_NAME]));
	award = xmlNewChild(l, NULL, X("award"), NULL);
	set_opt(award, "qualification", d->f[CP_REC_QUALIFICATION]);
	set_opt(award, "level", d->f[CP_REC_LEVEL]);
	set_opt(award, "grade", d->f[CP_REC_GRADE]);
	set_opt(award, "awarded", d->f[CP_REC_AWARDED]);
	set_opt(award, "expires", d->f[CP_REC_EXPIRES]);
	set_opt(award, template_attr, d->f[CP_REC_TEMPLATE]);
	xmlNewTextChild(award, NULL, X("title"), X(d->f[CP_REC_TITLE]));
	for (size_t i = 0; i < d->nunits; i++) {
		xmlNodePtr u = xmlNewChild(l, NULL, X("unit"), NULL);

		set_opt(u, "ref", d->units[i].code);
		set_opt(u, "grade", d->units[i].grade);
		set_long(u, "credits", d->units[i].credits);
		set_long(u, "level", d->units[i].level);
		xmlNewTextChild(u, NULL, X("title"), X(d->units[i].title));
	}
	return l;
}

/* The record as a file in dir, whose characters the fonts are subset for. */
static char *record_file(xmlNodePtr l, const char *dir)
{
	char *path = cp_xasprintf("%s/record.xml", dir);
	xmlBufferPtr b = xmlBufferCreate();
	int rc = -1;

	if (b && xmlNodeDump(b, NULL, l, 0, 0) >= 0 && cp_mkdirs(dir) == 0)
		rc = cp_atomic_write_file(path, xmlBufferContent(b), (size_t)xmlBufferLength(b),
					  0640);
	if (b)
		xmlBufferFree(b);
	if (rc < 0) {
		free(path);
		return NULL;
	}
	return path;
}

/* Remove dir/NAME if NAME is REF.pdf of a reference the registry does not
 * hold. */
static void remove_unrecorded(struct cp_cmd_env *e, const char *dir, const char *name)
{
	struct cp_document_source src;
	char ref[CP_REF_LEN + 1], *path;

	if (strlen(name) != CP_REF_LEN + 4 || strcmp(name + CP_REF_LEN, ".pdf"))
		return;
	memcpy(ref, name, CP_REF_LEN);
	ref[CP_REF_LEN] = '\0';
	if (cp_document_source(&e->reg, ref, &src) != 0)
		return; /* recorded, or the registry cannot say: kept */
	path = cp_xasprintf("%s/%s", dir, name);
	if (unlink(path) == 0)
		cp_info("%s: removed, a copy of an order that was never recorded", path);
	free(path);
}

void cp_order_sweep(struct cp_cmd_env *e, const struct cp_spool *spool)
{
	cp_spool_sweep_reprints(spool);
	for (int digital = 0; digital < 2; digital++) {
		char *dir = cp_xasprintf("%s/%s", spool->reprints, digital ? "digital" : "print");
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d && (de = readdir(d)))
			remove_unrecorded(e, dir, de->d_name);
		if (d)
			closedir(d);
		free(dir);
	}
}

/* The digital copy's SHA-256, for the verification page's file check; in
 * the reprint's transaction. */
static int record_digest(struct cp_cmd_env *e, const char *ref, const unsigned char *buf,
			 size_t len)
{
	struct cp_sha256 h;
	char hex[CP_SHA256_HEX];

	cp_sha256_init(&h);
	cp_sha256_update(&h, buf, len);
	cp_sha256_final_hex(&h, hex);
	return cp_document_set_digest(&e->reg, ref, hex);
}

int cp_order_write_copies(struct cp_cmd_env *e, const struct cp_spool *spool,
			  const struct cp_layout *layout, struct cp_fontset *fonts, char **subset,
			  struct cp_values *v)
{
	struct cp_pdf pdf;
	struct cp_doc_output out = { 0 };
	int rc = cp_pdf_new(&pdf, fonts, subset) < 0 ? CP_EX_SOFTWARE : CP_EX_OK;

	if (rc == CP_EX_OK)
		rc = cp_doc_output_open(&out, &e->conf, &pdf);

	for (int digital = 1; digital >= 0 && rc == CP_EX_OK; digital--) {
		unsigned char *buf;
		size_t len;
		int pages;
		char *dir = cp_xasprintf("%s/%s", spool->reprints, digital ? "digital" : "print");
		char *path = cp_doc_copy_path(spool->reprints, digital, v->v[CP_B_REFERENCE]);

		if (cp_mkdirs(dir) < 0 ||
		    cp_doc_pdf(&pdf, layout, v, &out, digital, &buf, &len, &pages, NULL) < 0)
			rc = cp_doc_output_unavailable(&out) ? CP_EX_UNAVAILABLE : CP_EX_CANTCREAT;
		else {
			if (cp_atomic_write_file(path, buf, len, 0640) < 0)
				rc = CP_EX_CANTCREAT;
			else if (digital && record_digest(e, v->v[CP_B_REFERENCE], buf, len) < 0)
				rc = CP_EX_IOERR;
			free(buf);
		}
		free(dir);
		free(path);
	}
	cp_doc_output_close(&out);
	cp_pdf_free(&pdf);
	return rc;
}

/* The learner's record into f, and *assigned the file the fonts are
 * subset for: from the registry where it holds all of it (the batch's
 * folder may be gone), else from the original batch's assigned.xml. */
static int read_record(const struct cp_spool *spool, const char *ref,
		       const struct cp_document_source *src, const struct cp_doc_record *d,
		       struct find *f, const char *fontdir, char **assigned)
{
	if (!d->f[CP_REC_TEMPLATE]) {
		*assigned = cp_spool_batch_file(spool, src->batch, "assigned.xml");
		return find_record(f, ref, *assigned);
	}
	f->learner = record_node(d, cp_doctype_of(src->type)->template_attr);
	f->place.centre_name = cp_xstrdup(d->f[CP_REC_CENTRE_NAME]);
	f->place.centre_number = cp_xstrdup(d->f[CP_REC_CENTRE]);
	f->place.run_id = cp_xstrdup(d->f[CP_REC_COURSE_RUN]);
	return (*assigned = record_file(f->learner, fontdir)) ? CP_EX_OK : CP_EX_CANTCREAT;
}

int cp_reprint_render(struct cp_cmd_env *e, const char *ref)
{
	struct cp_spool spool = { 0 };
	struct find f = { 0 };
	struct cp_fontset fonts = { 0 };
	struct cp_layout layout = { 0 };
	struct cp_record rec;
	struct cp_doc_record d = { 0 };
	char *subset[CP_MAX_FONTS] = { 0 }, *assigned = NULL, *fontdir = NULL, award_id[24];
	struct cp_document_source src;
	const char *tmpl;
	int rc = CP_EX_SOFTWARE, got;

	if ((got = cp_document_source(&e->reg, ref, &src)) < 0 ||
	    cp_doc_record_read(&e->reg, ref, &d) < 0)
		return CP_EX_IOERR;
	snprintf(award_id, sizeof(award_id), "%lld", src.award_id);
	f.award_id = award_id;
	if (!got || !cp_batch_id_valid(src.batch) || cp_spool_open(&spool, &e->conf) < 0)
		goto out;
	cp_order_sweep(e, &spool); /* what a killed order left */
	fontdir = cp_spool_reprint_fonts(&spool, ref);
	if ((rc = read_record(&spool, ref, &src, &d, &f, fontdir, &assigned)) != CP_EX_OK)
		goto out;
	tmpl = cp_doc_template(cp_node_child(f.learner, "award"), src.type);
	if (!tmpl || cp_layout_load(&layout, e->conf.layouts, tmpl, &fonts) < 0) {
		rc = CP_EX_CONFIG;
		goto out;
	}
	if (cp_fontset_subset(&fonts, (const char *const[]){ assigned, layout.path }, 2, fontdir,
			      subset) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	cp_record_values(&rec, f.learner, &e->conf, &f.place);
	cp_record_document(&rec, &e->conf, ref, src.type, src.issued,
			   *src.expires ? src.expires : NULL);
	if (d.f[CP_REC_REPLACES])
		cp_record_replaces(&rec, d.f[CP_REC_REPLACES]);
	rc = cp_order_write_copies(e, &spool, &layout, &fonts, subset, &rec.v);
	cp_record_release(&rec);
out:
	if (fontdir)
		cp_remove_files_dir(fontdir);
	free(fontdir);
	for (int i = 0; i < CP_MAX_FONTS; i++)
		free(subset[i]);
	cp_layout_release(&layout);
	cp_fontset_release(&fonts);
	if (f.learner)
		xmlFreeNode(f.learner);
	cp_record_place_release(&f.place);
	free(assigned);
	cp_doc_record_release(&d);
	cp_spool_release(&spool);
	return rc;
}
