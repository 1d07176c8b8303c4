/* Token buckets per client address (ratelimit.h). */
#include "ratelimit.h"

#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "util/msg.h"
#include "util/banned.h"

#define SETS 4096 /* x 4 ways: 16,384 addresses at once */
#define WAYS 4
#define LOCKS 256

struct entry {
	unsigned char addr[16];
	bool used;
	double tokens;
	double last; /* seconds, monotonic */
};

static struct entry table[SETS][WAYS];
static pthread_mutex_t locks[LOCKS];
static unsigned char hash_key[crypto_shorthash_KEYBYTES];
static double rate, burst;

void vd_rate_init(long r, long b)
{
	if (sodium_init() < 0)
		cp_bug("libsodium cannot start");
	randombytes_buf(hash_key, sizeof(hash_key));
	for (int i = 0; i < LOCKS; i++)
		pthread_mutex_init(&locks[i], NULL);
	rate = (double)r;
	burst = (double)b;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The 16 bytes an address is counted by. */
static void key_of(const struct sockaddr *sa, unsigned char k[16])
{
	memset(k, 0, 16);
	if (sa && sa->sa_family == AF_INET) {
		memcpy(k, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa && sa->sa_family == AF_INET6) {
		const unsigned char *a = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

		if (!memcmp(a, mapped, 12))
			memcpy(k, a + 12, 4); /* an IPv4 client on a dual-stack socket */
		else {
			memcpy(k, a, 8);  /* its /64 */
			k[15] = 6;
		}
	}
}

bool vd_rate_take(const struct sockaddr *addr, long *retry_after)
{
	unsigned char k[16], h[crypto_shorthash_BYTES];
	struct entry *set, *e = NULL;
	unsigned long idx;
	double t = now();
	bool ok;

	key_of(addr, k);
	crypto_shorthash(h, k, sizeof(k), hash_key);
	memcpy(&idx, h, sizeof(idx));
	set = table[idx % SETS];
	pthread_mutex_lock(&locks[idx % SETS % LOCKS]);
	for (int w = 0; w < WAYS && !e; w++)
		if (set[w].used && !memcmp(set[w].addr, k, 16))
			e = &set[w];
	if (!e) {
		/* a new address takes the entry that has been idle longest */
		e = &set[0];
		for (int w = 1; w < WAYS; w++)
			if (!set[w].used || (e->used && set[w].last < e->last))
				e = &set[w];
		memcpy(e->addr, k, 16);
		e->used = true;
		e->tokens = burst;
		e->last = t;
	}
	e->tokens = fmin(burst, e->tokens + (t - e->last) * rate);
	e->last = t;
	ok = e->tokens >= 1.0;
	if (ok)
		e->tokens -= 1.0;
	else
		*retry_after = (long)ceil((1.0 - e->tokens) / rate);
	pthread_mutex_unlock(&locks[idx % SETS % LOCKS]);
	if (!ok && *retry_after < 1)
		*retry_after = 1;
	return ok;
}
