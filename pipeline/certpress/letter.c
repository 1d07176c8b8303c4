/* certpress order letter ENROLMENT: a proof of qualification letter (the
 * learner guide's confirmation letter, "all achievement held on record for
 * you"), a document of its own type and reference listing every award the
 * registry holds for the learner with a valid document, laid out from the
 * registry alone (layouts/proof-letter.xml) into the spool's reprints
 * folder, verifiable like every document, and printed by the next print
 * file. No order is recorded without its PDFs. */
#include "change.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docrender.h"
#include "engine/bind.h"
#include "engine/subset.h"
#include "spool.h"
#include "util/atomic.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define R(b) ((b) - CP_B_FIRST_UNIT)
#define TEMPLATE "proof-letter"

/* As the results schema has identifiers: [A-Za-z0-9][A-Za-z0-9_-]{0,39}. */
static bool enrolment_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 40 || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
				 (*s >= '0' && *s <= '9')))
		return false;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* The learner's awards, copied out of the registry's walk. */
struct awards {
	struct cp_learner_award *a;
	size_t n;
};

static char *dup(const char *s)
{
	return s ? cp_xstrdup(s) : NULL;
}

static int add_award(void *ctx, const struct cp_learner_award *a)
{
	struct awards *l = ctx;
	struct cp_learner_award *c;

	l->a = cp_xrealloc(l->a, (l->n + 1) * sizeof(*l->a));
	c = &l->a[l->n++];
	*c = (struct cp_learner_award){
		a->id, dup(a->first_name), dup(a->middle_names), dup(a->last_name),
		dup(a->candidate), dup(a->qualification), dup(a->title), dup(a->level),
		dup(a->grade), dup(a->awarded), dup(a->centre), dup(a->centre_name),
		dup(a->references),
	};
	return 0;
}

static void awards_release(struct awards *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct cp_learner_award *a = &l->a[i];
		const char *f[] = { a->first_name, a->middle_names, a->last_name, a->candidate,
				    a->qualification, a->title, a->level, a->grade, a->awarded,
				    a->centre, a->centre_name, a->references };

		for (size_t k = 0; k < sizeof(f) / sizeof(*f); k++)
			free((char *)f[k]);
	}
	free(l->a);
}

/* Every text the letter draws, in one file: the fonts are subset for it. */
static char *text_file(const char *dir, const struct cp_values *v, const struct cp_unit_values *rows,
		       size_t n)
{
	char *path = cp_xasprintf("%s/text.txt", dir);
	struct cp_atomic f;
	int rc = -1;

	if (cp_mkdirs(dir) == 0 && cp_atomic_open(&f, path, 0640) == 0) {
		for (int b = 0; b < CP_B_FIRST_UNIT; b++)
			if (v->v[b])
				fprintf(f.fp, "%s\n", v->v[b]);
		for (size_t i = 0; i < n; i++)
			for (int b = 0; b < CP_NBINDINGS - CP_B_FIRST_UNIT; b++)
				if (rows[i].v[b])
					fprintf(f.fp, "%s\n", rows[i].v[b]);
		rc = cp_atomic_commit(&f);
	}
	if (rc < 0) {
		free(path);
		return NULL;
	}
	return path;
}

/* Both copies of the letter: its values from the awards, then laid out. */
static int render(struct cp_cmd_env *e, const struct awards *l, const char *enrolment,
		  const char *ref, const char *today)
{
	const struct cp_learner_award *last = &l->a[l->n - 1];
	struct cp_spool spool = { 0 };
	struct cp_fontset fonts = { 0 };
	struct cp_layout layout = { 0 };
	struct cp_values v = { 0 };
	struct cp_unit_values *rows = cp_xcalloc(l->n, sizeof(*rows));
	char *subset[CP_MAX_FONTS] = { 0 }, *fontdir = NULL, *text = NULL, url[512], count[16];
	char *full = cp_bind_full_name(last->first_name, last->middle_names, last->last_name);
	int rc = CP_EX_CANTCREAT;

	for (size_t i = 0; i < l->n; i++) {
		rows[i].v[R(CP_B_ROW_QUAL_NUMBER)] = l->a[i].qualification;
		rows[i].v[R(CP_B_ROW_QUAL_TITLE)] = l->a[i].title;
		rows[i].v[R(CP_B_ROW_GRADE)] = l->a[i].grade;
		rows[i].v[R(CP_B_ROW_AWARDED)] = l->a[i].awarded;
		rows[i].v[R(CP_B_ROW_CENTRE)] = l->a[i].centre_name;
		rows[i].v[R(CP_B_ROW_REFERENCES)] = l->a[i].references;
	}
	snprintf(url, sizeof(url), "%s%s", e->conf.verify_url, ref);
	snprintf(count, sizeof(count), "%zu", l->n);
	v.v[CP_B_AWARDING_BODY] = e->conf.awarding_body;
	v.v[CP_B_FULL_NAME] = full;
	v.v[CP_B_FIRST_NAME] = last->first_name;
	v.v[CP_B_MIDDLE_NAMES] = last->middle_names;
	v.v[CP_B_LAST_NAME] = last->last_name;
	v.v[CP_B_ENROLMENT] = enrolment;
	v.v[CP_B_CANDIDATE] = last->candidate;
	v.v[CP_B_CENTRE_NAME] = last->centre_name;
	v.v[CP_B_CENTRE_NUMBER] = last->centre;
	v.v[CP_B_REFERENCE] = ref;
	v.v[CP_B_DOC_TYPE] = TEMPLATE;
	v.v[CP_B_ISSUED] = today;
	v.v[CP_B_VERIFY_URL] = url;
	v.v[CP_B_UNITS_COUNT] = count;
	v.v[CP_B_FIRST_ISSUE] = "yes";
	v.units = rows;
	v.nunits = l->n;
	if (cp_spool_open(&spool, &e->conf) < 0)
		goto out;
	if (cp_layout_load(&layout, e->conf.layouts, TEMPLATE, &fonts) < 0) {
		rc = CP_EX_CONFIG;
		goto out;
	}
	cp_order_sweep(e, &spool); /* what a killed order left */
	fontdir = cp_spool_reprint_fonts(&spool, ref);
	if (!(text = text_file(fontdir, &v, rows, l->n)) ||
	    cp_fontset_subset(&fonts, (const char *const[]){ text, layout.path }, 2, fontdir,
			      subset) < 0)
		goto out;
	rc = cp_order_write_copies(e, &spool, &layout, &fonts, subset, &v);
out:
	if (fontdir)
		cp_remove_files_dir(fontdir);
	free(fontdir);
	free(text);
	for (int i = 0; i < CP_MAX_FONTS; i++)
		free(subset[i]);
	cp_layout_release(&layout);
	cp_fontset_release(&fonts);
	cp_spool_release(&spool);
	free(rows);
	free(full);
	return rc;
}

/* A fresh serial, never drawn before, as issue 01. */
static int draw_reference(struct cp_cmd_env *e, uint32_t *serial, char ref[CP_REF_LEN + 1])
{
	int fresh;

	do {
		*serial = cp_ref_draw_serial(&e->key);
		if ((fresh = cp_serial_claim(&e->reg, *serial)) < 0)
			return -1;
	} while (!fresh);
	cp_ref_format(&e->key, *serial, 1, ref);
	return 0;
}

/* The learner has had a letter for this award: the new one is its next
 * issue (one serial per award and type), superseding it, unless its order
 * is still open. A sysexits code; the new reference in next. */
static int next_letter(struct cp_cmd_env *e, const char *prev, const struct cp_order_args *a,
		       const char *today, const char *stamp, char next[CP_REF_LEN + 1])
{
	struct cp_card card = { 0 };
	const char *reason;
	char why[700];
	int rc;

	if ((rc = cp_order_refuse_open(e, prev)) != CP_EX_OK)
		return rc;
	if (cp_card_find(&e->reg, prev, &card) <= 0)
		return CP_EX_IOERR;
	if (card.issue >= 99) {
		cp_error("%s: no issue number is left after 99", prev);
		cp_card_release(&card);
		return CP_EX_DATAERR;
	}
	cp_ref_format(&e->key, (uint32_t)card.serial, (unsigned)card.issue + 1, next);
	cp_card_release(&card);
	reason = a->reason ? a->reason : "a new proof of qualification letter";
	snprintf(why, sizeof(why), "replaced by %s: %s", next, reason);
	if (cp_reprint_order(&e->reg, prev, next, today, reason, why, stamp) < 0 ||
	    cp_change_record(&e->reg, prev, "superseded", a->by, stamp, why) < 0)
		return CP_EX_IOERR;
	return CP_EX_OK;
}

/* The letter in the registry: its reference (the next issue of the
 * learner's last letter for the latest award, else a fresh serial), the
 * awards it lists and its order. In the ordering transaction; a sysexits
 * code. */
static int record_letter(struct cp_cmd_env *e, const struct awards *l,
			 const struct cp_order_args *a, const char *today, const char *stamp,
			 char ref[CP_REF_LEN + 1], long long *id)
{
	char prev[CP_REF_LEN + 1] = "";
	long long anchor = l->a[l->n - 1].id; /* it belongs to the latest award */
	uint32_t serial;
	int rc, got = cp_award_latest(&e->reg, anchor, TEMPLATE, prev, sizeof(prev));

	if (got < 0)
		return CP_EX_IOERR;
	if (got) {
		if ((rc = next_letter(e, prev, a, today, stamp, ref)) != CP_EX_OK)
			return rc;
	} else if (draw_reference(e, &serial, ref) < 0 ||
		   cp_award_issue(&e->reg, ref, serial, anchor, TEMPLATE, today, NULL, NULL,
				  TEMPLATE) < 0) {
		return CP_EX_IOERR;
	}
	for (size_t i = 0; i < l->n; i++)
		if (cp_letter_award_add(&e->reg, ref, (long)i, l->a[i].id) < 0)
			return CP_EX_IOERR;
	if (cp_order_add(&e->reg,
			 &(struct cp_order_new){ "letter", ref, got ? prev : NULL, a->by, a->reason,
						 a->delivery, a->address },
			 stamp, id) < 0)
		return CP_EX_IOERR;
	return CP_EX_OK;
}

int cp_order_letter(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_order_args a;
	struct awards l = { 0 };
	char ref[CP_REF_LEN + 1], today[11], stamp[32];
	long long id;
	int rc;

	if ((rc = cp_order_args(&cp_order_letter_line, argc, argv, &a)) != CP_CMD_GO)
		return rc;
	if (!enrolment_ok(a.operand)) {
		cp_error("'%s' is not an enrolment number", a.operand);
		return CP_EX_USAGE;
	}
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_key(&e)) || (rc = cp_cmd_registry(&e)))
		goto out;
	if (cp_registry_begin(&e.reg) < 0) {
		rc = CP_EX_TEMPFAIL;
		goto out;
	}
	if (cp_learner_awards_each(&e.reg, a.operand, add_award, &l) < 0) {
		rc = CP_EX_IOERR;
		goto rollback;
	}
	if (!l.n) {
		cp_error("enrolment '%s': no award with a valid document is on record", a.operand);
		rc = CP_EX_NOINPUT;
		goto rollback;
	}
	cp_date_format(cp_date_today(), today);
	cp_time_stamp(stamp, sizeof(stamp));
	if ((rc = record_letter(&e, &l, &a, today, stamp, ref, &id)) != CP_EX_OK ||
	    (rc = render(&e, &l, a.operand, ref, today)) != CP_EX_OK)
		goto rollback;
	if (cp_registry_commit(&e.reg) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	cp_info("order %lld: proof of qualification letter %s for enrolment '%s', %zu award%s; "
		"its copies are in the spool's reprints folder, to be generated into the next "
		"print file", id, ref, a.operand, l.n, l.n == 1 ? "" : "s");
	rc = cp_order_finish(&e, config, ref);
	goto out;
rollback:
	cp_registry_rollback(&e.reg);
out:
	awards_release(&l);
	cp_cmd_env_release(&e);
	return rc;
}
