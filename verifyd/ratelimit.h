/* Requests per client address: a token bucket each ([verify] rate a
 * second, up to [verify] burst at once), IPv6 addresses counted by their
 * /64 (one host holds a whole /64). The table is fixed in size (sets of 4,
 * the idlest entry given up for a new address), keyed by a hash with a
 * random key so no one can aim addresses at one set. */
#ifndef VD_RATELIMIT_H
#define VD_RATELIMIT_H

#include <stdbool.h>
#include <sys/socket.h>

void vd_rate_init(long rate, long burst);
/* True if the address may make a request now (a token is taken); else
 * false and *retry_after the seconds until it may. */
bool vd_rate_take(const struct sockaddr *addr, long *retry_after);

#endif
