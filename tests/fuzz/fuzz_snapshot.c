/* The verification snapshot's reader (pipeline/snapshot.c) and everything
 * certpress-verifyd does with a snapshot it took (verifyd/store.c,
 * page.c, route.c): any bytes as a snapshot whose signature is good, since
 * a compromised publisher signs what it likes. The bytes are signed here
 * and loaded through the store as the service loads them (file, signature,
 * cp_snap_open); a snapshot taken is then shown whole: every document's
 * page and JSON, fresh and stale, and the service's routes for it. What is
 * refused must not be served; what is taken must give pages of valid
 * UTF-8 without a crash, a read outside the file or undefined behaviour. */
#include "fuzz.h"

#include <sodium.h>

#include "verifyd/page.h"
#include "verifyd/route.h"
#include "snapshot.h"
#include "verifyd/store.h"
#include "util/utf8.h"

#define MAX_DOCS_SHOWN 64 /* pages per input: the rest are alike */

static unsigned char sk[crypto_sign_SECRETKEYBYTES], pk[crypto_sign_PUBLICKEYBYTES];
static struct cp_ref_key key;
static struct vd_http_conf conf;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned char seed[crypto_sign_SEEDBYTES] = { 7 };
	unsigned char bytes[CP_REF_KEY_BYTES] = { 1, 2, 3 };

	(void)argc;
	(void)argv;
	vd_page_init(); /* sodium_init too */
	crypto_sign_seed_keypair(pk, sk, seed);
	cp_ref_key_set(&key, bytes);
	conf = (struct vd_http_conf){ .pem = "-----BEGIN PUBLIC KEY-----\n",
				      .max_age = 48 * 3600 };
	vd_store_init(fuzz_dir(), pk);
	return 0;
}

static void body_ok(struct vd_buf *b)
{
	size_t len;
	char *s = vd_buf_take(b, &len);

	FUZZ_ASSERT(len > 0 && cp_utf8_valid(s, len));
	free(s);
}

static void route(const struct cp_snap *s, time_t now, const char *url)
{
	struct vd_request q = { .method = "GET", .url = url };
	struct vd_response a;

	vd_route(&conf, s, now, &q, &a);
	FUZZ_ASSERT(a.code >= 200 && a.code < 600);
	body_ok(&a.body);
}

/* Every page the service could make of this snapshot. */
static void show(const struct cp_snap *s)
{
	time_t published = (time_t)s->h->published;

	for (int stale = 0; stale < 2; stale++) {
		time_t now = stale ? published + 49 * 3600 : published;
		struct vd_site site = { .snap = s, .now = now, .today = 20261201, .stale = stale,
					.prefix = "/v/" };
		struct vd_buf b = { 0 };

		for (uint32_t i = 0; i < s->h->ndocs && i < MAX_DOCS_SHOWN; i++) {
			const struct cp_snap_doc *d = &s->docs[i];
			char ref[VD_REF_LEN + 1], url[64];

			FUZZ_ASSERT(cp_snap_find(s, d->serial, d->issue) == d);
			/* its replacement has a reference: an issue after it */
			FUZZ_ASSERT(d->status != CP_SNAP_REPLACED || d->issue < 99);
			vd_ref_of(d, ref);
			vd_page_document(&b, &site, d);
			body_ok(&b);
			vd_json_document(&b, &site, ref, d);
			body_ok(&b);
			snprintf(url, sizeof(url), "/v/%s", ref);
			route(s, now, url);
		}
		vd_page_not_found(&b, &site, "00000000-01-0000");
		body_ok(&b);
		vd_page_form(&b, &site, true);
		body_ok(&b);
		route(s, now, "/");
		route(s, now, "/healthz");
		route(s, now, "/v/00000001-01-ABCD.json");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char sig[crypto_sign_BYTES];
	char why[128];
	struct vd_snapshot *served;
	struct cp_snap s;
	void *copy;
	int opened;

	/* as certpress-verifyd holds it: in a buffer of its own, 8-byte aligned */
	copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	opened = cp_snap_open(&s, copy, size, why, sizeof(why)) == 0;
	free(copy);

	/* and as it loads it: the file and its signature */
	crypto_sign_detached(sig, NULL, data, size, sk);
	fuzz_write("snapshot", data, size);
	fuzz_write("snapshot.sig", sig, sizeof(sig));
	FUZZ_ASSERT(vd_store_reload(true) == opened);
	served = vd_store_get();
	if (opened) {
		FUZZ_ASSERT(served && served->len == size);
		show(&served->s);
	}
	vd_store_put(served);
	/* the next input starts with nothing served (a refused one would
	 * leave this one serving) */
	vd_store_release();
	vd_store_init(fuzz_dir(), pk);
	return 0;
}
