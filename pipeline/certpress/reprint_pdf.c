/* The replacement's copies, made when the reprint is ordered: the learner's
 * record is read back from the original batch's assigned.xml, laid out by
 * render's document code (docrender.c) from the template the batch used,
 * with fonts subset for it, and written to spool/reprints/{digital,print}/
 * REF.pdf, where the next pack stage takes the print copy into its print
 * file. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/digest.h"
#include "batchfile.h"
#include "docrender.h"
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

/* Both copies of the replacement into spool/reprints/{digital,print}/. */
static int write_copies(struct cp_cmd_env *e, const struct cp_spool *spool,
			const struct cp_layout *layout, struct cp_fontset *fonts, char **subset,
			struct cp_record *rec)
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
		char *path = cp_doc_copy_path(spool->reprints, digital, rec->v.v[CP_B_REFERENCE]);

		if (cp_mkdirs(dir) < 0 ||
		    cp_doc_pdf(&pdf, layout, &rec->v, &out, digital, &buf, &len, &pages, NULL) < 0)
			rc = cp_doc_output_unavailable(&out) ? CP_EX_UNAVAILABLE : CP_EX_CANTCREAT;
		else {
			if (cp_atomic_write_file(path, buf, len, 0640) < 0)
				rc = CP_EX_CANTCREAT;
			else if (digital && record_digest(e, rec->v.v[CP_B_REFERENCE], buf, len) < 0)
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

int cp_reprint_render(struct cp_cmd_env *e, const char *ref)
{
	struct cp_spool spool = { 0 };
	struct find f = { 0 };
	struct cp_fontset fonts = { 0 };
	struct cp_layout layout = { 0 };
	struct cp_record rec;
	char *subset[CP_MAX_FONTS] = { 0 }, *assigned = NULL, *fontdir = NULL, award_id[24];
	struct cp_document_source src;
	const char *tmpl;
	int rc = CP_EX_SOFTWARE, got;

	if ((got = cp_document_source(&e->reg, ref, &src)) < 0)
		return CP_EX_IOERR;
	snprintf(award_id, sizeof(award_id), "%lld", src.award_id);
	f.award_id = award_id;
	if (!got || !cp_batch_id_valid(src.batch) || cp_spool_open(&spool, &e->conf) < 0)
		goto out;
	cp_spool_sweep_reprints(&spool); /* what a killed reprint left */
	assigned = cp_spool_batch_file(&spool, src.batch, "assigned.xml");
	if ((rc = find_record(&f, ref, assigned)) != CP_EX_OK)
		goto out;
	tmpl = cp_doc_template(cp_node_child(f.learner, "award"), src.type);
	if (!tmpl || cp_layout_load(&layout, e->conf.layouts, tmpl, &fonts) < 0) {
		rc = CP_EX_CONFIG;
		goto out;
	}
	fontdir = cp_spool_reprint_fonts(&spool, ref);
	if (cp_fontset_subset(&fonts, (const char *const[]){ assigned, layout.path }, 2, fontdir,
			      subset) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	cp_record_values(&rec, f.learner, &e->conf, &f.place);
	cp_record_document(&rec, &e->conf, ref, src.type, src.issued,
			   *src.expires ? src.expires : NULL);
	rc = write_copies(e, &spool, &layout, &fonts, subset, &rec);
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
	cp_spool_release(&spool);
	return rc;
}
