/* certpress-verifyd's libmicrohttpd glue (http.h). */
#include "http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "page.h"
#include "proxy.h"
#include "ratelimit.h"
#include "store.h"
#include "util/date.h"
#include "util/msg.h"
#include "util/banned.h"

static struct vd_http_conf cfg;

void vd_http_init(const struct vd_http_conf *conf)
{
	cfg = *conf;
	vd_page_init();
}

size_t vd_http_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return vd_unescape(s);
}

static enum MHD_Result framing(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	int *seen = cls;

	(void)kind;
	(void)value;
	if (!strcasecmp(key, "Content-Length"))
		seen[0]++;
	else if (!strcasecmp(key, "Transfer-Encoding"))
		seen[1]++;
	return MHD_YES;
}

/* Where the body ends is plain: one Content-Length, or Transfer-Encoding
 * alone. */
static bool framing_ok(struct MHD_Connection *c)
{
	int seen[2] = { 0, 0 };

	MHD_get_connection_values(c, MHD_HEADER_KIND, framing, seen);
	return seen[0] + seen[1] <= 1;
}

/* The address a request is counted and logged by: its peer's, or behind a
 * trusted proxy the one X-Forwarded-For names (proxy.h). */
static const struct sockaddr *client_addr(struct MHD_Connection *c, struct sockaddr_storage *buf)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	return vd_proxy_client(ci ? ci->client_addr : NULL,
			       MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For"), buf);
}

static void client(struct MHD_Connection *c, char *out, size_t n)
{
	struct sockaddr_storage buf;
	const struct sockaddr *sa = client_addr(c, &buf);

	snprintf(out, n, "-");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)n);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
			  (socklen_t)n);
}

static void access_log(struct MHD_Connection *c, const struct vd_response *a, size_t bytes)
{
	char addr[INET6_ADDRSTRLEN + 1], when[32], line[512];
	int n;

	if (!cfg.access_log)
		return;
	client(c, addr, sizeof(addr));
	n = snprintf(line, sizeof(line), "%s: access: %s %s %s %s %u %zu\n", cp_msg_progname(),
		     cp_utc_stamp(time(NULL), when, sizeof(when)), addr, a->method, a->route,
		     a->code, bytes);
	if (n > 0 && write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1) < 0)
		return; /* a log that cannot be written is no reason to fail a request */
}

static enum MHD_Result respond(struct MHD_Connection *c, struct vd_response *a, long retry_after)
{
	size_t len;
	char *body = vd_buf_take(&a->body, &len), num[24];
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ok;

	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", a->type);
	MHD_add_response_header(resp, "Content-Security-Policy", vd_page_csp());
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	MHD_add_response_header(resp, "Vary", "Accept");
	if (!strncmp(a->type, "application/json", 16))
		MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
	if (a->location[0])
		MHD_add_response_header(resp, "Location", a->location);
	if (retry_after > 0) {
		snprintf(num, sizeof(num), "%ld", retry_after);
		MHD_add_response_header(resp, "Retry-After", num);
	}
	if (a->code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, "Allow", "GET, HEAD");
	ok = MHD_queue_response(c, a->code, resp);
	MHD_destroy_response(resp);
	access_log(c, a, len);
	return ok;
}

static enum MHD_Result answer(struct MHD_Connection *c, const char *url, const char *method)
{
	struct vd_request q = {
		.method = method,
		.url = url,
		.accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept"),
		.ref_arg = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "ref"),
	};
	struct vd_snapshot *snap = vd_store_get();
	struct vd_response a;
	enum MHD_Result rc;

	vd_route(&cfg, snap ? &snap->s : NULL, cp_clock_now(), &q, &a);
	rc = respond(c, &a, 0);
	vd_store_put(snap);
	return rc;
}

enum MHD_Result vd_http_handle(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls)
{
	struct sockaddr_storage buf;
	long retry = 0;

	(void)cls;
	(void)version;
	(void)upload_data;
	if (!*con_cls && !framing_ok(c)) {
		struct vd_response a = { .code = MHD_HTTP_BAD_REQUEST,
					 .type = "text/plain; charset=utf-8", .method = "-" };

		snprintf(a.route, sizeof(a.route), "-");
		vd_buf_str(&a.body, "the request's length is ambiguous\n");
		return respond(c, &a, 0);
	}
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return answer(c, url, method); /* 405 at once */
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
	if (!vd_rate_take(client_addr(c, &buf), &retry)) {
		struct vd_response a = { .code = MHD_HTTP_TOO_MANY_REQUESTS,
					 .type = "text/plain; charset=utf-8", .method = method };

		snprintf(a.route, sizeof(a.route), "-");
		vd_buf_str(&a.body, "too many requests: try again later\n");
		return respond(c, &a, retry);
	}
	return answer(c, url, method);
}
