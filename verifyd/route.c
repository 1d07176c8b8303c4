/* certpress-verifyd's routes (route.h). */
#include "route.h"

#include <stdio.h>
#include <string.h>

#include "page.h"
#include "util/date.h"
#include "util/hex.h"
#include "util/banned.h"

#define MAX_REF_TEXT 64 /* longer is not a reference however typed */

struct req {
	const struct vd_http_conf *cfg;
	const struct vd_request *q;
	struct vd_response *out;
	const struct cp_snap *snap;
	struct vd_site site;
	char prefix[256];
};

static void answer(struct req *r, unsigned code, const char *type)
{
	r->out->code = code;
	r->out->type = type;
}

static void text(struct req *r, unsigned code, const char *msg)
{
	vd_buf_str(&r->out->body, msg);
	answer(r, code, "text/plain; charset=utf-8");
}

static void html(struct req *r, unsigned code)
{
	answer(r, code, "text/html; charset=utf-8");
}

static void json(struct req *r, unsigned code)
{
	answer(r, code, "application/json; charset=utf-8");
}

static void redirect(struct req *r, unsigned code, const char *to)
{
	snprintf(r->out->location, sizeof(r->out->location), "%s", to);
	vd_buf_str(&r->out->body, "See ");
	vd_buf_html(&r->out->body, to);
	vd_buf_str(&r->out->body, "\n");
	answer(r, code, "text/plain; charset=utf-8");
}

static bool wants_json(const char *accept)
{
	return accept && strstr(accept, "application/json") && !strstr(accept, "text/html");
}

/* The path part of verify-url: "/v/" of "https://verify.example.org/v/". */
static void path_prefix(const char *url, char *out, size_t n)
{
	const char *p = strstr(url, "://");

	p = p ? strchr(p + 3, '/') : NULL;
	snprintf(out, n, "%s", p ? p : "/");
}

/* PREFIX + REF[.json]. */
static void document(struct req *r, const char *rest)
{
	char canon[CP_REF_LEN + 1], typed[MAX_REF_TEXT + 1], to[VD_LOCATION_MAX];
	const struct cp_snap_doc *d = NULL;
	bool as_json = wants_json(r->q->accept);
	size_t len = strlen(rest);
	struct vd_buf *b = &r->out->body;
	uint32_t serial;
	unsigned issue;

	if (len > 5 && !strcmp(rest + len - 5, ".json")) {
		as_json = true;
		len -= 5;
	}
	if (len > MAX_REF_TEXT)
		len = MAX_REF_TEXT + 1; /* not a reference: never parsed */
	else {
		memcpy(typed, rest, len);
		typed[len] = '\0';
	}
	if (len > MAX_REF_TEXT || !cp_ref_parse(typed, canon, &serial, &issue)) {
		snprintf(r->out->route, sizeof(r->out->route), "%s-", r->prefix);
		vd_page_not_found(b, &r->site, NULL);
		return html(r, 404);
	}
	snprintf(r->out->route, sizeof(r->out->route), "%s%s%s", r->prefix, canon,
		 as_json && len < strlen(rest) ? ".json" : "");
	if (strcmp(typed, canon)) {
		snprintf(to, sizeof(to), "%s%s%s", r->prefix, canon, len < strlen(rest) ? ".json" : "");
		return redirect(r, 301, to);
	}
	/* wrong check characters: not found. The snapshot's own are compared,
	 * so the host needs no reference key: one who takes it cannot make
	 * references that pass them. */
	d = cp_snap_find(r->snap, serial, issue);
	if (d && memcmp(d->check, canon + strlen(canon) - sizeof(d->check), sizeof(d->check)))
		d = NULL;
	if (as_json) {
		vd_json_document(b, &r->site, canon, d);
		return json(r, d ? 200 : 404);
	}
	if (d)
		vd_page_document(b, &r->site, d);
	else
		vd_page_not_found(b, &r->site, canon);
	html(r, d ? 200 : 404);
}

/* GET /, and the form's answer /?ref=... */
static void form(struct req *r)
{
	const char *typed = r->q->ref_arg;
	char canon[CP_REF_LEN + 1], to[VD_LOCATION_MAX];
	uint32_t serial;
	unsigned issue;

	if (!typed) {
		snprintf(r->out->route, sizeof(r->out->route), "/");
		vd_page_form(&r->out->body, &r->site, false);
		return html(r, 200);
	}
	if (strlen(typed) <= MAX_REF_TEXT && cp_ref_parse(typed, canon, &serial, &issue)) {
		snprintf(r->out->route, sizeof(r->out->route), "/?ref=%s", canon);
		snprintf(to, sizeof(to), "%s%s", r->prefix, canon);
		return redirect(r, 303, to);
	}
	snprintf(r->out->route, sizeof(r->out->route), "/?ref=-");
	vd_page_form(&r->out->body, &r->site, true);
	html(r, 200);
}

static void healthz(struct req *r)
{
	char when[32];

	if (!r->snap)
		return text(r, 503, "no snapshot\n");
	vd_buf_printf(&r->out->body, "%s snapshot %s documents %u\n",
		      r->site.stale ? "stale" : "ok",
		      cp_utc_stamp((time_t)r->snap->h->published, when, sizeof(when)),
		      r->snap->h->ndocs);
	answer(r, r->site.stale ? 503 : 200, "text/plain; charset=utf-8");
}

static void site_of(struct req *r, time_t now)
{
	struct tm tm;

	gmtime_r(&now, &tm);
	r->site = (struct vd_site){
		.snap = r->snap,
		.now = now,
		.today = (uint32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday),
		.stale = now - (time_t)r->snap->h->published > r->cfg->max_age,
		.prefix = r->prefix,
	};
	path_prefix(cp_snap_str(r->snap, r->snap->h->verify_url), r->prefix, sizeof(r->prefix));
}

size_t vd_unescape(char *s)
{
	char *w = s;

	for (const char *r = s; *r;) {
		int hi, lo;

		if (r[0] == '%' && (hi = cp_hex_digit(r[1])) >= 0 && (lo = cp_hex_digit(r[2])) >= 0 &&
		    hi * 16 + lo >= 0x20 && hi * 16 + lo != 0x7f) {
			*w++ = (char)(hi * 16 + lo);
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

void vd_route(const struct vd_http_conf *conf, const struct cp_snap *snap, time_t now,
	      const struct vd_request *q, struct vd_response *out)
{
	struct req r = { .cfg = conf, .q = q, .out = out, .snap = snap };
	const char *url = q->url;
	size_t plen;

	memset(out, 0, sizeof(*out));
	out->method = q->method;
	snprintf(out->route, sizeof(out->route), "other");
	if (strcmp(q->method, "GET") && strcmp(q->method, "HEAD")) {
		out->method = "-"; /* a method no one sends is not echoed into the log */
		snprintf(out->route, sizeof(out->route), "-");
		return text(&r, 405, "only GET and HEAD\n");
	}
	if (snap)
		site_of(&r, now);
	if (!strcmp(url, "/healthz")) {
		snprintf(out->route, sizeof(out->route), "/healthz");
		return healthz(&r);
	}
	if (!strcmp(url, "/publish.pub")) {
		snprintf(out->route, sizeof(out->route), "/publish.pub");
		return text(&r, 200, conf->pem);
	}
	if (!snap) {
		vd_page_unavailable(&out->body);
		return html(&r, 503);
	}
	if (!strcmp(url, "/"))
		return form(&r);
	plen = strlen(r.prefix);
	if (plen > 1 && !strncmp(url, r.prefix, plen) && url[plen])
		return document(&r, url + plen);
	if (plen == 1 && url[0] == '/' && url[1])
		return document(&r, url + 1);
	vd_page_not_found(&out->body, &r.site, NULL);
	html(&r, 404);
}
