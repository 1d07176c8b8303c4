/* The client's address behind trusted proxies (proxy.h). */
#include "proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "util/msg.h"
#include "util/banned.h"

#define XFF_MAX 1024 /* a longer header is not a proxy's: it is ignored */

static struct sockaddr_storage proxies[VD_PROXIES_MAX];
static int nproxies;

/* One address as text into *ss; false if it is not one. */
static bool parse(const char *s, size_t len, struct sockaddr_storage *ss)
{
	char text[INET6_ADDRSTRLEN + 1];

	memset(ss, 0, sizeof(*ss));
	if (len == 0 || len >= sizeof(text))
		return false;
	memcpy(text, s, len);
	text[len] = '\0';
	if (inet_pton(AF_INET, text, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		ss->ss_family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, text, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		ss->ss_family = AF_INET6;
		return true;
	}
	return false;
}

static bool same(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return false;
	if (a->sa_family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)(const void *)a)->sin_addr,
			       &((const struct sockaddr_in *)(const void *)b)->sin_addr,
			       sizeof(struct in_addr));
	return a->sa_family == AF_INET6 &&
	       !memcmp(&((const struct sockaddr_in6 *)(const void *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)(const void *)b)->sin6_addr,
		       sizeof(struct in6_addr));
}

int vd_proxy_init(const char *list)
{
	const char *p = list ? list : "";

	nproxies = 0;
	while (*p) {
		size_t len;

		p += strspn(p, " ,\t");
		if (!*p)
			break;
		len = strcspn(p, " ,\t");
		if (nproxies == VD_PROXIES_MAX)
			return cp_error("[verify] trusted-proxies: more than %d addresses",
					VD_PROXIES_MAX);
		if (!parse(p, len, &proxies[nproxies]))
			return cp_error("[verify] trusted-proxies: '%.*s' is not an IPv4 or IPv6 "
					"address", (int)(len > 64 ? 64 : len), p);
		nproxies++;
		p += len;
	}
	return 0;
}

bool vd_proxy_trusted(const struct sockaddr *addr)
{
	for (int i = 0; addr && i < nproxies; i++)
		if (same(addr, (const struct sockaddr *)&proxies[i]))
			return true;
	return false;
}

const struct sockaddr *vd_proxy_client(const struct sockaddr *peer, const char *xff,
				       struct sockaddr_storage *out)
{
	struct sockaddr_storage cand;
	size_t len, end;
	bool found = false;

	if (!xff || !vd_proxy_trusted(peer) || (len = strlen(xff)) > XFF_MAX)
		return peer;
	/* every element must be an address, or none is believed */
	for (end = len; end > 0;) {
		size_t start = end, s, e;

		while (start > 0 && xff[start - 1] != ',')
			start--;
		for (s = start; s < end && (xff[s] == ' ' || xff[s] == '\t'); s++)
			;
		for (e = end; e > s && (xff[e - 1] == ' ' || xff[e - 1] == '\t'); e--)
			;
		if (!parse(xff + s, e - s, &cand))
			return peer;
		if (!found) {
			*out = cand; /* the leftmost so far, if all are proxies */
			if (!vd_proxy_trusted((const struct sockaddr *)&cand))
				found = true;
		}
		end = start > 0 ? start - 1 : 0;
	}
	return len ? (const struct sockaddr *)out : peer;
}
