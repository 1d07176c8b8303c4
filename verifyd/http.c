/* certpress-verifyd's routes (http.h). */
#include "http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "page.h"
#include "ratelimit.h"
#include "store.h"
#include "util/date.h"
#include "util/msg.h"
#include "util/banned.h"

#define MAX_REF_TEXT 64 /* longer is not a reference however typed */

static struct vd_http_conf cfg;

void vd_http_init(const struct vd_http_conf *conf)
{
	cfg = *conf;
	vd_page_init();
}

/* What the access log says of a request: its route and reference only,
 * never what else a visitor typed. */
struct req {
	struct MHD_Connection *c;
	const char *method;
	char route[300];
	struct vd_snapshot *snap;
	struct vd_site site;
	char prefix[256];
};

static void client(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, n, "-");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)n);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
			  (socklen_t)n);
}

static void access_log(const struct req *r, unsigned code, size_t bytes)
{
	char addr[INET6_ADDRSTRLEN + 1], when[32], line[512];
	int n;

	if (!cfg.access_log)
		return;
	client(r->c, addr, sizeof(addr));
	n = snprintf(line, sizeof(line), "%s: access: %s %s %s %s %u %zu\n", cp_msg_progname(),
		     cp_utc_stamp(time(NULL), when, sizeof(when)), addr, r->method, r->route, code,
		     bytes);
	if (n > 0 && write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1) < 0)
		return; /* a log that cannot be written is no reason to fail a request */
}

static enum MHD_Result respond(struct req *r, unsigned code, const char *type, struct vd_buf *b,
			       const char *location, long retry_after)
{
	size_t len;
	char *body = vd_buf_take(b, &len), num[24];
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ok;

	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Content-Security-Policy", vd_page_csp());
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	MHD_add_response_header(resp, "Vary", "Accept");
	if (!strncmp(type, "application/json", 16))
		MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
	if (location)
		MHD_add_response_header(resp, "Location", location);
	if (retry_after > 0) {
		snprintf(num, sizeof(num), "%ld", retry_after);
		MHD_add_response_header(resp, "Retry-After", num);
	}
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, "Allow", "GET, HEAD");
	ok = MHD_queue_response(r->c, code, resp);
	MHD_destroy_response(resp);
	access_log(r, code, len);
	return ok;
}

static enum MHD_Result text(struct req *r, unsigned code, const char *msg, long retry_after)
{
	struct vd_buf b = { 0 };

	vd_buf_str(&b, msg);
	return respond(r, code, "text/plain; charset=utf-8", &b, NULL, retry_after);
}

static enum MHD_Result html(struct req *r, unsigned code, struct vd_buf *b)
{
	return respond(r, code, "text/html; charset=utf-8", b, NULL, 0);
}

static enum MHD_Result json(struct req *r, unsigned code, struct vd_buf *b)
{
	return respond(r, code, "application/json; charset=utf-8", b, NULL, 0);
}

static enum MHD_Result redirect(struct req *r, unsigned code, const char *to)
{
	struct vd_buf b = { 0 };

	vd_buf_str(&b, "See ");
	vd_buf_html(&b, to);
	vd_buf_str(&b, "\n");
	return respond(r, code, "text/plain; charset=utf-8", &b, to, 0);
}

static bool wants_json(struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");

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
static enum MHD_Result document(struct req *r, const char *rest)
{
	char canon[CP_REF_LEN + 1], text[MAX_REF_TEXT + 1], to[CP_REF_LEN + 300];
	const struct cp_snap_doc *d = NULL;
	bool as_json = wants_json(r->c);
	size_t len = strlen(rest);
	struct vd_buf b = { 0 };
	uint32_t serial;
	unsigned issue;

	if (len > 5 && !strcmp(rest + len - 5, ".json")) {
		as_json = true;
		len -= 5;
	}
	if (len > MAX_REF_TEXT)
		len = MAX_REF_TEXT + 1; /* not a reference: never parsed */
	else {
		memcpy(text, rest, len);
		text[len] = '\0';
	}
	if (len > MAX_REF_TEXT || !cp_ref_parse(text, canon, &serial, &issue)) {
		snprintf(r->route, sizeof(r->route), "%s-", r->prefix);
		vd_page_not_found(&b, &r->site, NULL);
		return html(r, MHD_HTTP_NOT_FOUND, &b);
	}
	snprintf(r->route, sizeof(r->route), "%s%s%s", r->prefix, canon, as_json && len < strlen(rest) ? ".json" : "");
	if (strcmp(text, canon)) {
		snprintf(to, sizeof(to), "%s%s%s", r->prefix, canon, len < strlen(rest) ? ".json" : "");
		return redirect(r, MHD_HTTP_MOVED_PERMANENTLY, to);
	}
	/* wrong check characters: not found, without looking */
	if (cp_ref_verify(cfg.key, canon))
		d = cp_snap_find(&r->snap->s, serial, issue);
	if (as_json) {
		vd_json_document(&b, &r->site, canon, d);
		return json(r, d ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND, &b);
	}
	if (d)
		vd_page_document(&b, &r->site, d);
	else
		vd_page_not_found(&b, &r->site, canon);
	return html(r, d ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND, &b);
}

/* GET /, and the form's answer /?ref=... */
static enum MHD_Result form(struct req *r)
{
	const char *typed = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "ref");
	char canon[CP_REF_LEN + 1], to[CP_REF_LEN + 300];
	struct vd_buf b = { 0 };
	uint32_t serial;
	unsigned issue;

	if (!typed) {
		snprintf(r->route, sizeof(r->route), "/");
		vd_page_form(&b, &r->site, false);
		return html(r, MHD_HTTP_OK, &b);
	}
	if (strlen(typed) <= MAX_REF_TEXT && cp_ref_parse(typed, canon, &serial, &issue)) {
		snprintf(r->route, sizeof(r->route), "/?ref=%s", canon);
		snprintf(to, sizeof(to), "%s%s", r->prefix, canon);
		return redirect(r, MHD_HTTP_SEE_OTHER, to);
	}
	snprintf(r->route, sizeof(r->route), "/?ref=-");
	vd_page_form(&b, &r->site, true);
	return html(r, MHD_HTTP_OK, &b);
}

static enum MHD_Result healthz(struct req *r)
{
	struct vd_buf b = { 0 };
	char when[32];

	if (!r->snap)
		return text(r, MHD_HTTP_SERVICE_UNAVAILABLE, "no snapshot\n", 0);
	vd_buf_printf(&b, "%s snapshot %s documents %u\n", r->site.stale ? "stale" : "ok",
		      cp_utc_stamp((time_t)r->snap->s.h->published, when, sizeof(when)),
		      r->snap->s.h->ndocs);
	return respond(r, r->site.stale ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_OK,
		       "text/plain; charset=utf-8", &b, NULL, 0);
}

static void site_of(struct req *r)
{
	struct tm tm;
	time_t now = cp_clock_now();

	gmtime_r(&now, &tm);
	r->site = (struct vd_site){
		.snap = &r->snap->s,
		.now = now,
		.today = (uint32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday),
		.stale = now - (time_t)r->snap->s.h->published > cfg.max_age,
		.prefix = r->prefix,
	};
	path_prefix(cp_snap_str(&r->snap->s, r->snap->s.h->verify_url), r->prefix, sizeof(r->prefix));
}

static enum MHD_Result route(struct req *r, const char *url)
{
	size_t plen;

	snprintf(r->route, sizeof(r->route), "other");
	if (!strcmp(url, "/healthz")) {
		snprintf(r->route, sizeof(r->route), "/healthz");
		return healthz(r);
	}
	if (!strcmp(url, "/publish.pub")) {
		snprintf(r->route, sizeof(r->route), "/publish.pub");
		return text(r, MHD_HTTP_OK, cfg.pem, 0);
	}
	if (!r->snap) {
		struct vd_buf b = { 0 };

		vd_page_unavailable(&b);
		return html(r, MHD_HTTP_SERVICE_UNAVAILABLE, &b);
	}
	if (!strcmp(url, "/"))
		return form(r);
	plen = strlen(r->prefix);
	if (plen > 1 && !strncmp(url, r->prefix, plen) && url[plen])
		return document(r, url + plen);
	if (plen == 1 && url[0] == '/' && url[1])
		return document(r, url + 1);
	{
		struct vd_buf b = { 0 };

		vd_page_not_found(&b, &r->site, NULL);
		return html(r, MHD_HTTP_NOT_FOUND, &b);
	}
}

enum MHD_Result vd_http_handle(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls)
{
	const union MHD_ConnectionInfo *ci;
	struct req r = { .c = c, .method = method };
	enum MHD_Result rc;
	long retry = 0;

	(void)cls;
	(void)version;
	(void)upload_data;
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		r.method = "-"; /* a method no one sends is not echoed into the log */
		snprintf(r.route, sizeof(r.route), "-");
		return text(&r, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n", 0);
	}
	/* answered once the whole request is in (the second call): a response
	 * queued on the first call makes libmicrohttpd close the connection */
	if (!*con_cls) {
		*con_cls = c;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0; /* a GET's body: read and ignored */
		return MHD_YES;
	}
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!vd_rate_take(ci ? ci->client_addr : NULL, &retry)) {
		snprintf(r.route, sizeof(r.route), "-");
		return text(&r, MHD_HTTP_TOO_MANY_REQUESTS, "too many requests: try again later\n",
			    retry);
	}
	r.snap = vd_store_get();
	if (r.snap)
		site_of(&r);
	rc = route(&r, url);
	vd_store_put(r.snap);
	return rc;
}
