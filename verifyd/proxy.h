/* The client's address behind trusted proxies ([verify] trusted-proxies):
 * a request that comes from one of them is counted (rate limits) and logged
 * by the address its X-Forwarded-For names, the rightmost one that is not
 * itself a trusted proxy; from any other peer the header is ignored, so no
 * visitor can choose the address it is counted by. */
#ifndef VD_PROXY_H
#define VD_PROXY_H

#include <stdbool.h>
#include <sys/socket.h>

#define VD_PROXIES_MAX 16

/* Take up the list: addresses (IPv4 or IPv6, no masks) separated by spaces
 * or commas; "" or NULL for none. 0, or -1 after saying which is wrong. */
int vd_proxy_init(const char *list);
/* Whether addr is one of the trusted proxies. */
bool vd_proxy_trusted(const struct sockaddr *addr);
/* The address to count a request by: peer itself, or, when peer is a
 * trusted proxy and xff (the X-Forwarded-For header, NULL if none) is a
 * well-formed list of addresses, the rightmost of them that is not a
 * trusted proxy (the leftmost if all are), written into *out. A malformed
 * header (a name, a port, too long) leaves peer. */
const struct sockaddr *vd_proxy_client(const struct sockaddr *peer, const char *xff,
				       struct sockaddr_storage *out);

#endif
