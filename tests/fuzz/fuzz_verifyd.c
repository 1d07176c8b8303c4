/* certpress-verifyd's request path (verifyd/route.c, page.c, buf.c, and
 * the reference parser behind them): any request against a fixed small
 * snapshot, built here under a fixed reference key, of every status a
 * page shows (valid, expired, replaced, cancelled both ways, a transcript
 * with units, a letter) and a name that is a script. The input is lines:
 * the method, the path (as libmicrohttpd gives it: percent-decoded, no
 * query), the Accept header and the query's ref argument; a line missing
 * is no header or argument. The path is given as sent: what follows a
 * '?' is dropped and the rest percent-decoded by vd_unescape, as
 * libmicrohttpd does with it before the handler (the ref argument too).
 * Each request is answered fresh and stale.
 * What must hold: a status of the routes' own; a body of valid UTF-8 in
 * which no value of the snapshot or the request is markup; the access log's
 * route only a route and a canonical reference; a redirect only to a
 * canonical reference under the prefix; Not found for a reference the
 * same size whether it is unknown or its check characters are wrong. */
#include "fuzz.h"

#include "verifyd/page.h"
#include "verifyd/route.h"
#include "util/utf8.h"

#define PUBLISHED 1796126400 /* 2026-12-01T12:00:00Z */

static struct cp_ref_key key;
static struct vd_http_conf conf;
static struct cp_snap snap;
static unsigned char *snap_data;
static size_t not_found_len[2]; /* the Not found page of a reference: fresh, stale */

static void doc(struct cp_snap_builder *b, uint32_t serial, unsigned issue, int type, int status,
		uint32_t award, uint32_t expires, uint8_t flags)
{
	struct cp_snap_doc d = { .serial = serial, .issue = (uint8_t)issue, .type = (uint8_t)type,
				 .status = (uint8_t)status, .flags = flags, .award = award,
				 .issued = 20260801, .expires = expires, .changed = 20261001 };
	char ref[CP_REF_LEN + 1];

	cp_ref_format(&key, serial, issue, ref);
	memcpy(d.check, ref + 12, 4);
	cp_ref_format(&key, serial, issue + 1, ref);
	memcpy(d.next_check, ref + 12, 4);
	memset(d.sha256, 0xab, sizeof(d.sha256));
	cp_snap_add_doc(b, &d);
}

static void build_snapshot(void)
{
	struct cp_snap_builder b;
	struct cp_snap_award a = { 0 };
	struct cp_snap_unit u = { 0 };
	char err[128];
	size_t len;

	cp_snap_builder_init(&b, PUBLISHED, "Example Awards & <Co>", "https://verify.example.org/v/");
	u.code = cp_snap_add_string(&b, "U1");
	u.title = cp_snap_add_string(&b, "Health & safety <b>");
	u.grade = cp_snap_add_string(&b, "Pass");
	u.level = 2;
	u.credits = 10;
	a.units = cp_snap_add_unit(&b, &u);
	u.code = cp_snap_add_string(&b, "U2");
	u.title = cp_snap_add_string(&b, "Ffiseg \xe2\x80\x94 ynni");
	cp_snap_add_unit(&b, &u);
	a.nunits = 2;
	a.name = cp_snap_add_string(&b, "<script>alert(1)</script> O'Brien");
	a.qualification = cp_snap_add_string(&b, "601/1234/5");
	a.title = cp_snap_add_string(&b, "Diploma in \"Widgets\"");
	a.grade = cp_snap_add_string(&b, "Distinction");
	a.centre = cp_snap_add_string(&b, "Nant Centre");
	a.awarded = 20260701;
	a.level = 3;
	a.cert_serial = 12345678;
	a.cert_issue = 2;
	cp_snap_add_award(&b, &a);
	a.units = a.nunits = 0;
	a.name = cp_snap_add_string(&b, "Llywelyn ap Gruffudd");
	a.cert_serial = 45678901;
	a.cert_issue = 1;
	cp_snap_add_award(&b, &a);
	doc(&b, 12345678, 1, CP_SNAP_CERTIFICATE, CP_SNAP_REPLACED, 0, 0, CP_SNAP_NEXT_ISSUED);
	doc(&b, 12345678, 2, CP_SNAP_CERTIFICATE, CP_SNAP_VALID, 0, 20300101, CP_SNAP_HAS_SHA);
	doc(&b, 23456789, 1, CP_SNAP_TRANSCRIPT, CP_SNAP_VALID, 0, 0, CP_SNAP_HAS_SHA);
	doc(&b, 23456789, 2, CP_SNAP_TRANSCRIPT, CP_SNAP_REPLACED, 0, 0, 0);
	doc(&b, 34567890, 1, CP_SNAP_LETTER, CP_SNAP_WITHDRAWN, 1, 0, 0);
	doc(&b, 45678901, 1, CP_SNAP_CERTIFICATE, CP_SNAP_VALID, 1, 20250101, 0);
	doc(&b, 56789012, 1, CP_SNAP_CERTIFICATE, CP_SNAP_IN_ERROR, 1, 0, 0);
	cp_snap_builder_finish(&b, &snap_data, &len);
	if (cp_snap_open(&snap, snap_data, len, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz: the harness's snapshot: %s\n", err);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned char bytes[CP_REF_KEY_BYTES];
	struct vd_buf b = { 0 };

	(void)argc;
	(void)argv;
	for (int i = 0; i < CP_REF_KEY_BYTES; i++)
		bytes[i] = (unsigned char)(i * 37 + 11);
	cp_ref_key_set(&key, bytes);
	vd_page_init();
	conf = (struct vd_http_conf){ .pem = "-----BEGIN PUBLIC KEY-----\n",
				      .max_age = 48 * 3600 };
	build_snapshot();
	for (int stale = 0; stale < 2; stale++) {
		struct vd_site site = { .snap = &snap, .stale = stale, .prefix = "/v/" };

		vd_page_not_found(&b, &site, "00000000-01-0000");
		free(vd_buf_take(&b, &not_found_len[stale]));
	}
	if (getenv("FUZZ_VERIFYD_REFS")) /* to write seeds with */
		for (uint32_t i = 0; i < snap.h->ndocs; i++) {
			char ref[VD_REF_LEN + 1];

			vd_ref_of(&snap.docs[i], ref);
			printf("%s\n", ref);
		}
	return 0;
}

static bool route_ok(const char *route)
{
	if (!*route)
		return false;
	for (const char *p = route; *p; p++)
		if (!strchr("/?=.-0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghijklmnopqrstuvwxyz", *p))
			return false;
	return true;
}

/* A canonical reference under the prefix, perhaps .json. */
static bool location_ok(const char *to)
{
	char ref[CP_REF_LEN + 1], canon[CP_REF_LEN + 1];
	size_t len = strlen(to);
	uint32_t serial;
	unsigned issue;

	if (strncmp(to, "/v/", 3) || (len != 3 + CP_REF_LEN && len != 3 + CP_REF_LEN + 5))
		return false;
	if (len > 3 + CP_REF_LEN && strcmp(to + 3 + CP_REF_LEN, ".json"))
		return false;
	memcpy(ref, to + 3, CP_REF_LEN);
	ref[CP_REF_LEN] = '\0';
	return cp_ref_parse(ref, canon, &serial, &issue) && !strcmp(ref, canon);
}

static void one(const struct vd_request *q, bool stale)
{
	time_t now = PUBLISHED + (stale ? 49 : 1) * 3600;
	struct vd_response a;
	bool get = !strcmp(q->method, "GET") || !strcmp(q->method, "HEAD");
	size_t len;
	char *body;

	vd_route(&conf, &snap, now, q, &a);
	body = vd_buf_take(&a.body, &len);
	FUZZ_ASSERT(a.code == 200 || a.code == 301 || a.code == 303 || a.code == 404 ||
		    a.code == 405 || a.code == 503);
	FUZZ_ASSERT(get || (a.code == 405 && !strcmp(a.method, "-")));
	FUZZ_ASSERT(a.type && len > 0 && cp_utf8_valid(body, len) && !memchr(body, '\0', len));
	FUZZ_ASSERT(!strstr(body, "<script>alert") && !strstr(body, "<b>"));
	FUZZ_ASSERT(route_ok(a.route) && (!strcmp(a.method, "-") || get));
	FUZZ_ASSERT((a.code == 301 || a.code == 303) == (a.location[0] != '\0'));
	FUZZ_ASSERT(!a.location[0] || location_ok(a.location));
	/* a well-formed reference not served: the one page, whatever its check */
	if (a.code == 404 && !strncmp(a.type, "text/html", 9) && strlen(a.route) == 3 + CP_REF_LEN)
		FUZZ_ASSERT(len == not_found_len[stale]);
	free(body);
}

/* The next line of the input (NUL-terminated in place), or NULL. */
static char *line(char **p, char *end)
{
	char *s = *p, *nl;

	if (s >= end)
		return NULL;
	nl = memchr(s, '\n', (size_t)(end - s));
	if (!nl)
		nl = end;
	*nl = '\0';
	*p = nl + 1;
	return s;
}

static size_t controls(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += (unsigned char)*s < 0x20 || *s == 0x7f;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_string(data, size), *p = buf, *end = buf + size;
	struct vd_request q = { 0 };
	size_t ctl;

	q.method = line(&p, end);
	q.url = line(&p, end);
	q.accept = line(&p, end);
	q.ref_arg = line(&p, end);
	if (!q.method)
		q.method = "GET";
	if (!q.url)
		q.url = "/";
	else {
		char *url = (char *)q.url, *query = strchr(url, '?');
		size_t len;

		if (query)
			*query = '\0';
		len = strlen(url);
		ctl = controls(url);
		FUZZ_ASSERT(vd_unescape(url) <= len && strlen(url) <= len);
		/* decoding brings in no control character (no NUL above all) */
		FUZZ_ASSERT(controls(url) == ctl);
	}
	if (q.ref_arg)
		vd_unescape((char *)q.ref_arg);
	if (q.accept && !*q.accept)
		q.accept = NULL; /* an empty line: no header */
	if (q.ref_arg && !*q.ref_arg && !strcmp(q.url, "/"))
		q.ref_arg = NULL;
	one(&q, false);
	one(&q, true);
	free(buf);
	return 0;
}
