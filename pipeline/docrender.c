/* A learner's record as template values, and one copy of a document. */
#include "docrender.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batchfile.h"
#include "doctype.h"
#include "engine/draw.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/readfile.h"
#include "util/cmssign.h"
#include "engine/pdf.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define U(b) ((b) - CP_B_FIRST_UNIT)

void cp_record_place_header(struct cp_record_place *p, xmlNodePtr node)
{
	if (xmlStrcmp(node->name, (const xmlChar *)"centre"))
		return;
	free(p->centre_name);
	free(p->centre_number);
	p->centre_name = cp_xstrdup(cp_node_attr(node, "name"));
	p->centre_number = cp_xstrdup(cp_node_attr(node, "number"));
}

void cp_record_place_run(struct cp_record_place *p, xmlNodePtr run)
{
	free(p->run_id);
	p->run_id = cp_xstrdup(cp_node_attr(run, "id"));
}

void cp_record_place_release(struct cp_record_place *p)
{
	free(p->centre_name);
	free(p->centre_number);
	free(p->run_id);
	memset(p, 0, sizeof(*p));
}

void cp_record_values(struct cp_record *r, xmlNodePtr l, const struct cp_conf *conf,
		      const struct cp_record_place *place)
{
	xmlNodePtr award = cp_node_child(l, "award");
	const char *middle = cp_node_text(l, "middle-names");
	long credits = 0;
	size_t n = 0;

	memset(r, 0, sizeof(*r));
	r->full = cp_bind_full_name(cp_node_text(l, "first-name"), middle,
				    cp_node_text(l, "last-name"));
	for (xmlNodePtr u = l->children; u; u = u->next)
		if (u->type == XML_ELEMENT_NODE && !xmlStrcmp(u->name, (const xmlChar *)"unit")) {
			r->units = cp_xrealloc(r->units, (n + 1) * sizeof(*r->units));
			memset(&r->units[n], 0, sizeof(r->units[n]));
			r->units[n].v[U(CP_B_UNIT_REF)] = cp_node_attr(u, "ref");
			r->units[n].v[U(CP_B_UNIT_TITLE)] = cp_node_text(u, "title");
			r->units[n].v[U(CP_B_UNIT_LEVEL)] = cp_node_attr(u, "level");
			r->units[n].v[U(CP_B_UNIT_CREDITS)] = cp_node_attr(u, "credits");
			r->units[n].v[U(CP_B_UNIT_GRADE)] = cp_node_attr(u, "grade");
			credits += cp_node_attr_long(u, "credits", 0);
			n++;
		}
	snprintf(r->credits, sizeof(r->credits), "%ld", credits);
	snprintf(r->count, sizeof(r->count), "%zu", n);
	r->v.v[CP_B_AWARDING_BODY] = conf->awarding_body;
	r->v.v[CP_B_FULL_NAME] = r->full;
	r->v.v[CP_B_FIRST_NAME] = cp_node_text(l, "first-name");
	r->v.v[CP_B_MIDDLE_NAMES] = middle;
	r->v.v[CP_B_LAST_NAME] = cp_node_text(l, "last-name");
	r->v.v[CP_B_ENROLMENT] = cp_node_attr(l, "enrolment");
	r->v.v[CP_B_CANDIDATE] = cp_node_attr(l, "candidate");
	r->v.v[CP_B_QUAL_TITLE] = cp_node_text(award, "title");
	r->v.v[CP_B_QUAL_NUMBER] = cp_node_attr(award, "qualification");
	r->v.v[CP_B_QUAL_LEVEL] = cp_node_attr(award, "level");
	r->v.v[CP_B_GRADE] = cp_node_attr(award, "grade");
	r->v.v[CP_B_AWARDED] = cp_node_attr(award, "awarded");
	r->v.v[CP_B_CENTRE_NAME] = place->centre_name;
	r->v.v[CP_B_CENTRE_NUMBER] = place->centre_number;
	r->v.v[CP_B_COURSE_RUN] = place->run_id;
	r->v.v[CP_B_CREDITS_TOTAL] = r->credits;
	r->v.v[CP_B_UNITS_COUNT] = r->count;
	r->v.units = r->units;
	r->v.nunits = n;
}

void cp_record_document(struct cp_record *r, const struct cp_conf *conf, const char *ref,
			const char *type, const char *issued, const char *expires)
{
	snprintf(r->url, sizeof(r->url), "%s%s", conf->verify_url, ref);
	r->v.v[CP_B_REFERENCE] = ref;
	r->v.v[CP_B_DOC_TYPE] = type;
	r->v.v[CP_B_ISSUED] = issued;
	r->v.v[CP_B_EXPIRES] = expires;
	r->v.v[CP_B_VERIFY_URL] = r->url;
	r->v.v[CP_B_FIRST_ISSUE] = "yes";
	r->v.v[CP_B_REPLACES] = NULL;
}

void cp_record_replaces(struct cp_record *r, const char *original)
{
	r->v.v[CP_B_FIRST_ISSUE] = NULL;
	r->v.v[CP_B_REPLACES] = original;
}

void cp_record_release(struct cp_record *r)
{
	free(r->units);
	free(r->full);
	memset(r, 0, sizeof(*r));
}

const char *cp_doc_template(xmlNodePtr award, const char *type)
{
	const struct cp_doctype *t = cp_doctype_find(type);

	return t ? cp_node_attr(award, t->template_attr) : NULL;
}

char *cp_doc_copy_path(const char *dir, int digital, const char *ref)
{
	return cp_xasprintf("%s/%s/%s.pdf", dir, digital ? "digital" : "print", ref);
}

int cp_doc_output_open(struct cp_doc_output *o, const struct cp_conf *conf, struct cp_pdf *pdf)
{
	const struct cp_cms_conf sc = {
		conf->sign_certificate, conf->sign_chain, conf->sign_key,
		conf->sign_pin_file, conf->sign_pkcs11_module, conf->sign_tsa_url,
	};
	bool down;

	memset(o, 0, sizeof(*o));
	o->conf = conf;
	if (conf->protection == CP_PROTECT_ENCRYPT)
		return CP_EX_OK;
	if (cp_read_file(conf->icc_profile, &o->icc, &o->icc_len, 1 << 22) < 0)
		return cp_error("%s: cannot read the ICC profile of PDF/A ([render] icc-profile; "
				"Debian's icc-profiles-free has sRGB.icc): %s", conf->icc_profile,
				strerror(errno)),
		       CP_EX_CONFIG;
	if (o->icc_len < 132 || memcmp(o->icc + 16, "RGB ", 4) || memcmp(o->icc + 36, "acsp", 4)) {
		cp_error("%s: not an RGB ICC profile ([render] icc-profile)", conf->icc_profile);
		cp_doc_output_close(o);
		return CP_EX_CONFIG;
	}
	cp_pdf_set_icc(pdf, (const unsigned char *)o->icc, o->icc_len);
	if (conf->protection == CP_PROTECT_SIGN && !(o->signer = cp_cms_signer_open(&sc, &down))) {
		cp_doc_output_close(o);
		return down ? CP_EX_UNAVAILABLE : CP_EX_CONFIG;
	}
	return CP_EX_OK;
}

bool cp_doc_output_unavailable(const struct cp_doc_output *o)
{
	return o->signer && cp_cms_tsa_down(o->signer);
}

void cp_doc_output_close(struct cp_doc_output *o)
{
	cp_cms_signer_free(o->signer);
	free(o->icc);
	memset(o, 0, sizeof(*o));
}

int cp_doc_pdf(struct cp_pdf *pdf, const struct cp_layout *l, struct cp_values *v,
	       const struct cp_doc_output *o, int digital, unsigned char **buf, size_t *len,
	       int *pages, char *sha)
{
	const struct cp_conf *conf = o->conf;
	const char *ref = v->v[CP_B_REFERENCE], *type = v->v[CP_B_DOC_TYPE];
	struct cp_pdf_info info = { 0 };
	char subject[64];

	if (cp_pdf_begin(pdf) < 0)
		return -1;
	*pages = cp_draw(pdf, l, v, digital);
	if (*pages < 0) {
		HPDF_STATUS e = pdf->error, d = pdf->detail;

		return cp_error("%s: cannot lay out the %s (libharu error 0x%04lX, detail %lu)", ref,
				type, (unsigned long)e, (unsigned long)d);
	}
	snprintf(subject, sizeof(subject), "Reference %s", ref);
	info.title = cp_doctype_of(type)->title;
	info.subject = subject;
	info.author = conf->awarding_body;
	info.keywords = ref;
	if (digital && conf->protection == CP_PROTECT_ENCRYPT)
		info.owner_password = conf->owner_password;
	info.pdfa = digital && conf->protection != CP_PROTECT_ENCRYPT;
	info.signer = digital ? o->signer : NULL;
	info.sha256 = sha;
	info.pdfx_condition = digital ? NULL : conf->print_output_condition;
	if (cp_pdf_save(pdf, &info, buf, len) < 0)
		return cp_error("%s: cannot make the %s copy of the %s", ref,
				digital ? "digital" : "print", type);
	return 0;
}
