/* The verification pages (page.h): templates as constants, values escaped
 * by vd_buf_html, the style sheet and the file check's script allowed by
 * their SHA-256 in the Content-Security-Policy. */
#include "page.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/date.h"
#include "util/msg.h"
#include "util/banned.h"

static const char style[] =
	"body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",sans-serif;"
	"margin:0;color:#1b1b1b;background:#f4f4f2;line-height:1.45}"
	"header{background:#1d3557;color:#fff;padding:1rem}"
	"header p{margin:0;font-size:.95rem}header h1{margin:.2rem 0 0;font-size:1.35rem}"
	"main{max-width:42rem;margin:0 auto;padding:1rem}"
	".banner{border-radius:.4rem;padding:1rem 1.2rem;margin:0 0 1rem;border-left:.5rem solid}"
	".banner h2{margin:0;font-size:1.6rem}.banner p{margin:.3rem 0 0}"
	".valid{background:#e3f4e7;border-color:#1e7b34}"
	".expired,.replaced,.unconfirmed{background:#fff4d6;border-color:#a86b00}"
	".cancelled{background:#fbe3e3;border-color:#b3261e}"
	".not-found{background:#ececec;border-color:#666}"
	"dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;background:#fff;"
	"padding:1rem;border-radius:.4rem;margin:0 0 1rem}dt{font-weight:600;color:#444}dd{margin:0}"
	"table{width:100%;border-collapse:collapse;background:#fff;margin:0 0 1rem}"
	"th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}"
	".box,form{background:#fff;padding:1rem;border-radius:.4rem;margin:0 0 1rem}"
	".ok{color:#1e7b34;font-weight:600}.bad{color:#b3261e;font-weight:600}"
	"input[type=text]{font-size:1.1rem;padding:.4rem;width:100%;box-sizing:border-box;"
	"margin:.3rem 0 .6rem}button{font-size:1rem;padding:.45rem 1rem}a{color:#1d3557}"
	".meta{color:#555;font-size:.9rem}"
	"@media (max-width:30rem){dl{grid-template-columns:1fr}dt{margin-top:.4rem}}"
	"@media print{body{background:#fff}header{background:none;color:#000;"
	"border-bottom:2px solid #000}.noprint{display:none}.banner{border:2px solid #000}}";

/* The file check: the visitor's file is hashed here, in the browser
 * (WebCrypto); nothing is sent anywhere. */
static const char script[] =
	"(function(){var s=document.getElementById('filecheck');if(!s)return;"
	"var f=document.getElementById('file'),o=document.getElementById('filecheck-result');"
	"f.addEventListener('change',function(){var file=f.files[0];if(!file)return;"
	"if(!window.crypto||!crypto.subtle){o.dataset.result='unavailable';"
	"o.textContent='This browser cannot check a file here.';return;}"
	"o.dataset.result='checking';o.className='';o.textContent='Checking\\u2026';"
	"file.arrayBuffer().then(function(b){return crypto.subtle.digest('SHA-256',b);})"
	".then(function(h){var x=Array.from(new Uint8Array(h),function(v){"
	"return v.toString(16).padStart(2,'0');}).join('');var ok=x===s.dataset.sha256;"
	"o.dataset.result=ok?'genuine':'not-genuine';o.className=ok?'ok':'bad';"
	"o.textContent=ok?'This file is the digital copy issued for this reference.'"
	":'This file is not the digital copy issued for this reference: it was changed, "
	"or it is another document.';});});})();";

static char csp[512];

static void hash_b64(const char *text, char *out, size_t n)
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2base64(out, n, h, sizeof(h), sodium_base64_VARIANT_ORIGINAL);
}

void vd_page_init(void)
{
	char s[64], j[64];

	if (sodium_init() < 0)
		cp_bug("libsodium cannot start");
	hash_b64(style, s, sizeof(s));
	hash_b64(script, j, sizeof(j));
	snprintf(csp, sizeof(csp),
		 "default-src 'none'; script-src 'sha256-%s'; style-src 'sha256-%s'; "
		 "form-action 'self'; base-uri 'none'; frame-ancestors 'none'", j, s);
}

const char *vd_page_csp(void)
{
	return csp;
}

static const char *const state_names[] = { "valid", "expired", "replaced", "cancelled",
					   "not-found" };
static const char *const state_words[] = { "Valid", "Expired", "Replaced", "Cancelled",
					   "Not found" };

enum vd_state vd_state_of(const struct vd_site *site, const struct cp_snap_doc *d)
{
	switch (d->status) {
	case CP_SNAP_REPLACED:
		return VD_REPLACED;
	case CP_SNAP_WITHDRAWN:
	case CP_SNAP_IN_ERROR:
		return VD_CANCELLED;
	default:
		return d->expires && d->expires < site->today ? VD_EXPIRED : VD_VALID;
	}
}

void vd_ref_of(const struct cp_snap_doc *d, char *out)
{
	snprintf(out, VD_REF_LEN + 1, "%08u-%02u-%.4s", d->serial, d->issue, d->check);
}

static void next_ref(const struct cp_snap_doc *d, char *out)
{
	snprintf(out, VD_REF_LEN + 1, "%08u-%02u-%.4s", d->serial, d->issue + 1u, d->next_check);
}

/* "1 November 2026" */
static void day_words(struct vd_buf *b, uint32_t ymd)
{
	static const char *const months[] = { "January", "February", "March", "April", "May",
		"June", "July", "August", "September", "October", "November", "December" };
	unsigned m = (ymd / 100) % 100;

	if (!ymd || m < 1 || m > 12)
		return;
	vd_buf_printf(b, "%u %s %u", ymd % 100, months[m - 1], ymd / 10000);
}

static const char *body_name(const struct vd_site *site)
{
	return cp_snap_str(site->snap, site->snap->h->awarding_body);
}

static void head(struct vd_buf *b, const char *body, const char *title)
{
	vd_buf_str(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		      "<meta name=\"robots\" content=\"noindex\"><title>");
	vd_buf_html(b, title);
	vd_buf_str(b, " | ");
	vd_buf_html(b, body);
	vd_buf_str(b, "</title><style>");
	vd_buf_str(b, style);
	vd_buf_str(b, "</style></head>\n<body><header><p>");
	vd_buf_html(b, body);
	vd_buf_str(b, "</p><h1>Document verification</h1></header>\n<main>\n");
}

static void foot(struct vd_buf *b, const struct vd_site *site, bool with_script)
{
	char when[32];

	vd_buf_str(b, "<p class=\"meta\">");
	if (site && site->snap) {
		vd_buf_str(b, "Status as published by ");
		vd_buf_html(b, body_name(site));
		vd_buf_str(b, " at <span id=\"snapshot-time\">");
		vd_buf_html(b, cp_utc_stamp((time_t)site->snap->h->published, when, sizeof(when)));
		vd_buf_str(b, "</span>. ");
	}
	vd_buf_str(b, "<a class=\"noprint\" href=\"/\">Check another document</a></p>\n</main>\n");
	if (with_script) {
		vd_buf_str(b, "<script>");
		vd_buf_str(b, script);
		vd_buf_str(b, "</script>\n");
	}
	vd_buf_str(b, "</body></html>\n");
}

static void stale_note(struct vd_buf *b, const struct vd_site *site)
{
	char when[32];

	vd_buf_str(b, "<p>The status could not be confirmed since ");
	vd_buf_html(b, cp_utc_stamp((time_t)site->snap->h->published, when, sizeof(when)));
	vd_buf_str(b, ": this service has had no update from the awarding body since then.</p>");
}

static void banner(struct vd_buf *b, const struct vd_site *site, const struct cp_snap_doc *d,
		   enum vd_state st)
{
	char next[VD_REF_LEN + 1];

	if (site->stale) {
		vd_buf_printf(b, "<section id=\"status\" class=\"banner unconfirmed\" "
			      "data-status=\"unconfirmed\" data-last-known=\"%s\">"
			      "<h2>Not confirmed</h2>", state_names[st]);
		stale_note(b, site);
		vd_buf_printf(b, "<p>Last known status: %s.</p></section>\n", state_words[st]);
		return;
	}
	vd_buf_printf(b, "<section id=\"status\" class=\"banner %s\" data-status=\"%s\"><h2>%s</h2>",
		      state_names[st], state_names[st], state_words[st]);
	switch (st) {
	case VD_VALID:
		vd_buf_str(b, "<p>This document was issued by ");
		vd_buf_html(b, body_name(site));
		vd_buf_str(b, " and is valid.</p>");
		break;
	case VD_EXPIRED:
		vd_buf_str(b, "<p>Expired on ");
		day_words(b, d->expires);
		vd_buf_str(b, ".</p>");
		break;
	case VD_REPLACED:
		next_ref(d, next);
		vd_buf_str(b, "<p>Replaced by ");
		if (d->flags & CP_SNAP_NEXT_ISSUED) {
			vd_buf_str(b, "<a id=\"replaced-by\" href=\"");
			vd_buf_html(b, site->prefix);
			vd_buf_html(b, next);
			vd_buf_str(b, "\">");
			vd_buf_html(b, next);
			vd_buf_str(b, "</a>");
		} else {
			vd_buf_str(b, "<span id=\"replaced-by\">");
			vd_buf_html(b, next);
			vd_buf_str(b, "</span> (being issued)");
		}
		vd_buf_str(b, " on ");
		day_words(b, d->changed);
		vd_buf_str(b, ".</p>");
		break;
	case VD_CANCELLED:
		vd_buf_str(b, "<p>Cancelled on ");
		day_words(b, d->changed);
		vd_buf_str(b, d->status == CP_SNAP_IN_ERROR ? ": issued in error.</p>"
							    : ": withdrawn by the awarding body.</p>");
		break;
	case VD_NOT_FOUND:
		break;
	}
	vd_buf_str(b, "</section>\n");
}

static void row(struct vd_buf *b, const char *id, const char *label, const char *value)
{
	vd_buf_str(b, "<dt>");
	vd_buf_str(b, label);
	vd_buf_printf(b, "</dt><dd id=\"%s\">", id);
	vd_buf_html(b, value);
	vd_buf_str(b, "</dd>");
}

static void row_day(struct vd_buf *b, const char *id, const char *label, uint32_t ymd)
{
	vd_buf_printf(b, "<dt>%s</dt><dd id=\"%s\">", label, id);
	if (ymd)
		day_words(b, ymd);
	else
		vd_buf_str(b, "none");
	vd_buf_str(b, "</dd>");
}

/* What the page calls the document: the snapshot's title for its type, or
 * a proof of qualification letter's own. */
static const char *doc_title(const struct cp_snap *s, const struct cp_snap_doc *d)
{
	if (d->type == CP_SNAP_LETTER && (d->flags & CP_SNAP_PROOF_LETTER))
		return "Proof of qualification letter";
	return cp_snap_str(s, s->h->type_title[d->type]);
}

static void card(struct vd_buf *b, const struct vd_site *site, const struct cp_snap_doc *d,
		 const char *ref)
{
	const struct cp_snap *s = site->snap;
	const struct cp_snap_award *a = &s->awards[d->award];
	char level[8];

	snprintf(level, sizeof(level), "%u", a->level);
	vd_buf_str(b, "<dl class=\"card\">");
	row(b, "reference", "Reference", ref);
	row(b, "document", "Document", doc_title(s, d));
	row(b, "name", "Name", cp_snap_str(s, a->name));
	row(b, "qualification", "Qualification number", cp_snap_str(s, a->qualification));
	row(b, "title", "Qualification", cp_snap_str(s, a->title));
	if (a->level)
		row(b, "level", "Level", level);
	row(b, "grade", "Grade", cp_snap_str(s, a->grade));
	row_day(b, "awarded", "Awarded", a->awarded);
	row_day(b, "issued", "Issued", d->issued);
	row_day(b, "expires", "Expires", d->expires);
	row(b, "centre", "Centre", cp_snap_str(s, a->centre));
	row(b, "awarding-body", "Awarding body", body_name(site));
	/* a paper copy whose serial is not this one is not the one we printed */
	if (*cp_snap_str(s, d->paper_serial))
		row(b, "paper-serial", "Printed on security paper serial",
		    cp_snap_str(s, d->paper_serial));
	vd_buf_str(b, "</dl>\n");
}

static void units(struct vd_buf *b, const struct cp_snap *s, const struct cp_snap_award *a)
{
	if (!a->nunits)
		return;
	vd_buf_str(b, "<h2>Units</h2><table id=\"units\"><thead><tr><th>Unit</th><th>Title</th>"
		      "<th>Level</th><th>Credits</th><th>Grade</th></tr></thead><tbody>");
	for (uint32_t i = 0; i < a->nunits; i++) {
		const struct cp_snap_unit *u = &s->units[a->units + i];

		vd_buf_str(b, "<tr><td>");
		vd_buf_html(b, cp_snap_str(s, u->code));
		vd_buf_str(b, "</td><td>");
		vd_buf_html(b, cp_snap_str(s, u->title));
		vd_buf_str(b, "</td><td>");
		if (u->level)
			vd_buf_printf(b, "%u", u->level);
		vd_buf_str(b, "</td><td>");
		if (u->credits)
			vd_buf_printf(b, "%u", u->credits);
		vd_buf_str(b, "</td><td>");
		vd_buf_html(b, cp_snap_str(s, u->grade));
		vd_buf_str(b, "</td></tr>");
	}
	vd_buf_str(b, "</tbody></table>\n");
}

/* A transcript's or letter's page: its award's certificate and its status. */
static void certificate_of(struct vd_buf *b, const struct vd_site *site,
			   const struct cp_snap_award *a)
{
	const struct cp_snap_doc *c;
	char ref[VD_REF_LEN + 1];
	enum vd_state st;

	if (!a->cert_issue || !(c = cp_snap_find(site->snap, a->cert_serial, a->cert_issue)))
		return;
	vd_ref_of(c, ref);
	st = vd_state_of(site, c);
	vd_buf_str(b, "<p class=\"box\">The certificate of this award, <a href=\"");
	vd_buf_html(b, site->prefix);
	vd_buf_html(b, ref);
	vd_buf_str(b, "\">");
	vd_buf_html(b, ref);
	vd_buf_printf(b, "</a>, is <strong id=\"certificate-status\" data-status=\"%s\">%s</strong>.</p>\n",
		      site->stale ? "unconfirmed" : state_names[st],
		      site->stale ? "not confirmed" : state_words[st]);
}

static void linkedin(struct vd_buf *b, const struct vd_site *site, const struct cp_snap_doc *d,
		     const char *ref)
{
	const struct cp_snap *s = site->snap;
	const struct cp_snap_award *a = &s->awards[d->award];
	struct vd_buf url = { 0 };
	char cert[600];

	snprintf(cert, sizeof(cert), "%s%s", cp_snap_str(s, s->h->verify_url), ref);
	vd_buf_str(&url, "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=");
	vd_buf_url(&url, cp_snap_str(s, a->title));
	vd_buf_str(&url, "&organizationName=");
	vd_buf_url(&url, body_name(site));
	vd_buf_printf(&url, "&issueYear=%u&issueMonth=%u", d->issued / 10000, d->issued / 100 % 100);
	if (d->expires)
		vd_buf_printf(&url, "&expirationYear=%u&expirationMonth=%u", d->expires / 10000,
			      d->expires / 100 % 100);
	vd_buf_str(&url, "&certUrl=");
	vd_buf_url(&url, cert);
	vd_buf_str(&url, "&certId=");
	vd_buf_url(&url, ref);
	vd_buf_str(b, "<p class=\"noprint\"><a id=\"linkedin\" rel=\"noopener\" href=\"");
	vd_buf_html(b, url.sb.s);
	vd_buf_str(b, "\">Add to LinkedIn</a></p>\n");
	vd_buf_release(&url);
}

static void sha_hex(const struct cp_snap_doc *d, char sha[65])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		sha[2 * i] = hex[d->sha256[i] >> 4];
		sha[2 * i + 1] = hex[d->sha256[i] & 15];
	}
	sha[64] = '\0';
}

static void file_check(struct vd_buf *b, const struct cp_snap_doc *d)
{
	char sha[65];

	sha_hex(d, sha);
	vd_buf_str(b, "<section id=\"filecheck\" class=\"box noprint\" data-sha256=\"");
	vd_buf_html(b, sha);
	vd_buf_str(b, "\"><h2>Check a PDF you were given</h2><p>Choose the file: it is checked "
		      "in this browser and never sent anywhere.</p>"
		      "<input type=\"file\" id=\"file\" accept=\"application/pdf,.pdf\">"
		      "<p id=\"filecheck-result\" role=\"status\" data-result=\"\"></p></section>\n");
}

void vd_page_document(struct vd_buf *b, const struct vd_site *site, const struct cp_snap_doc *d)
{
	const struct cp_snap_award *a = &site->snap->awards[d->award];
	enum vd_state st = vd_state_of(site, d);
	char ref[VD_REF_LEN + 1], title[64];

	vd_ref_of(d, ref);
	snprintf(title, sizeof(title), "%s: %s", site->stale ? "Not confirmed" : state_words[st],
		 ref);
	head(b, body_name(site), title);
	banner(b, site, d, st);
	card(b, site, d, ref);
	if (d->type == CP_SNAP_TRANSCRIPT)
		units(b, site->snap, a);
	if (d->type != CP_SNAP_CERTIFICATE)
		certificate_of(b, site, a);
	if (d->type == CP_SNAP_CERTIFICATE && st == VD_VALID && !site->stale)
		linkedin(b, site, d, ref);
	if (d->flags & CP_SNAP_HAS_SHA)
		file_check(b, d);
	foot(b, site, (d->flags & CP_SNAP_HAS_SHA) != 0);
}

void vd_page_not_found(struct vd_buf *b, const struct vd_site *site, const char *ref)
{
	head(b, body_name(site), "Not found");
	vd_buf_str(b, "<section id=\"status\" class=\"banner not-found\" data-status=\"not-found\">"
		      "<h2>Not found</h2><p>");
	if (ref) {
		vd_buf_str(b, "No document issued by ");
		vd_buf_html(b, body_name(site));
		vd_buf_str(b, " has the reference <span id=\"reference\">");
		vd_buf_html(b, ref);
		vd_buf_str(b, "</span>. Check that it was typed as printed.</p>");
	} else {
		vd_buf_str(b, "There is no page at this address.</p>");
	}
	if (site->stale)
		stale_note(b, site);
	vd_buf_str(b, "</section>\n");
	foot(b, site, false);
}

void vd_page_form(struct vd_buf *b, const struct vd_site *site, bool not_a_reference)
{
	head(b, body_name(site), "Check a document");
	vd_buf_str(b, "<form id=\"check\" method=\"get\" action=\"/\"><h2>Check a document</h2>"
		      "<label for=\"ref\">The document's reference, as printed under its QR code"
		      " (for example 12345678-01-ABCD)</label>"
		      "<input type=\"text\" id=\"ref\" name=\"ref\" maxlength=\"40\" required "
		      "autocomplete=\"off\" spellcheck=\"false\" autocapitalize=\"characters\">");
	if (not_a_reference)
		vd_buf_str(b, "<p id=\"form-error\" class=\"bad\">That is not a reference: it has "
			      "8 digits, 2 digits and 4 letters or digits, as 12345678-01-ABCD.</p>");
	vd_buf_str(b, "<button type=\"submit\" id=\"submit\">Check</button></form>\n");
	foot(b, site, false);
}

void vd_page_unavailable(struct vd_buf *b)
{
	head(b, "Verification", "Unavailable");
	vd_buf_str(b, "<section id=\"status\" class=\"banner unconfirmed\" "
		      "data-status=\"unavailable\"><h2>Unavailable</h2><p>This service has no "
		      "verified record to answer from yet. Please try again later.</p></section>\n");
	foot(b, NULL, false);
}

static void json_day(struct vd_buf *b, const char *key, uint32_t ymd)
{
	char day[11];

	vd_buf_printf(b, ",\"%s\":", key);
	vd_buf_json(b, ymd ? cp_snap_date(ymd, day) : NULL);
}

static void json_field(struct vd_buf *b, const char *key, const char *value)
{
	vd_buf_printf(b, ",\"%s\":", key);
	vd_buf_json(b, value);
}

void vd_json_document(struct vd_buf *b, const struct vd_site *site, const char *ref,
		      const struct cp_snap_doc *d)
{
	const struct cp_snap *s = site->snap;
	enum vd_state st = d ? vd_state_of(site, d) : VD_NOT_FOUND;
	char when[32], next[VD_REF_LEN + 1];

	vd_buf_str(b, "{\"reference\":");
	vd_buf_json(b, ref);
	json_field(b, "status", site->stale && d ? "unconfirmed" : state_names[st]);
	if (site->stale && d)
		json_field(b, "last_known_status", state_names[st]);
	vd_buf_printf(b, ",\"confirmed\":%s", site->stale ? "false" : "true");
	json_field(b, "snapshot", cp_utc_stamp((time_t)s->h->published, when, sizeof(when)));
	json_field(b, "awarding_body", body_name(site));
	if (!d) {
		vd_buf_str(b, ",\"document\":null}\n");
		return;
	}
	const struct cp_snap_award *a = &s->awards[d->award];

	vd_buf_str(b, ",\"document\":{\"type\":");
	vd_buf_json(b, d->type == CP_SNAP_CERTIFICATE		? "certificate"
		       : d->type == CP_SNAP_TRANSCRIPT		? "transcript"
		       : (d->flags & CP_SNAP_PROOF_LETTER) ? "proof-letter"
							    : "letter");
	json_field(b, "title", doc_title(s, d));
	json_field(b, "full_name", cp_snap_str(s, a->name));
	json_field(b, "qualification", cp_snap_str(s, a->qualification));
	json_field(b, "qualification_title", cp_snap_str(s, a->title));
	vd_buf_printf(b, ",\"level\":%u", a->level);
	json_field(b, "grade", cp_snap_str(s, a->grade));
	json_day(b, "awarded", a->awarded);
	json_day(b, "issued", d->issued);
	json_day(b, "expires", d->expires);
	json_field(b, "centre", cp_snap_str(s, a->centre));
	json_day(b, "status_date", st == VD_REPLACED || st == VD_CANCELLED ? d->changed : 0);
	json_field(b, "reason", st == VD_REPLACED ? "replaced"
		       : d->status == CP_SNAP_IN_ERROR ? "issued in error"
		       : d->status == CP_SNAP_WITHDRAWN ? "withdrawn by the awarding body" : NULL);
	if (st == VD_REPLACED)
		next_ref(d, next);
	json_field(b, "replaced_by", st == VD_REPLACED ? next : NULL);
	if (d->flags & CP_SNAP_HAS_SHA) {
		char sha[65];

		sha_hex(d, sha);
		json_field(b, "digital_sha256", sha);
	} else {
		json_field(b, "digital_sha256", NULL);
	}
	if (d->type != CP_SNAP_LETTER) {
		vd_buf_str(b, ",\"units\":[");
		for (uint32_t i = 0; i < a->nunits; i++) {
			const struct cp_snap_unit *u = &s->units[a->units + i];

			vd_buf_str(b, i ? ",{\"code\":" : "{\"code\":");
			vd_buf_json(b, cp_snap_str(s, u->code));
			json_field(b, "title", cp_snap_str(s, u->title));
			vd_buf_printf(b, ",\"level\":%u,\"credits\":%u", u->level, u->credits);
			json_field(b, "grade", cp_snap_str(s, u->grade));
			vd_buf_str(b, "}");
		}
		vd_buf_str(b, "]");
	}
	if (d->type != CP_SNAP_CERTIFICATE) {
		const struct cp_snap_doc *c = a->cert_issue ? cp_snap_find(s, a->cert_serial,
									   a->cert_issue) : NULL;
		char cref[VD_REF_LEN + 1];

		if (c) {
			vd_ref_of(c, cref);
			vd_buf_str(b, ",\"certificate\":{\"reference\":");
			vd_buf_json(b, cref);
			json_field(b, "status", site->stale ? "unconfirmed"
							    : state_names[vd_state_of(site, c)]);
			vd_buf_str(b, "}");
		}
	}
	vd_buf_str(b, "}}\n");
}
