/* The verification snapshot's file (snapshot.h): built from records and
 * strings, and checked whole before a lookup is made in it. */
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/msg.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the snapshot's records are little-endian: this host is not"
#endif

_Static_assert(sizeof(struct cp_snap_header) == 96, "the header is 96 bytes");
_Static_assert(sizeof(struct cp_snap_doc) == 72, "a document record is 72 bytes");
_Static_assert(sizeof(struct cp_snap_award) == 40, "an award record is 40 bytes");
_Static_assert(sizeof(struct cp_snap_unit) == 16, "a unit record is 16 bytes");

static uint64_t key(uint32_t serial, unsigned issue)
{
	return (uint64_t)serial * 100 + issue;
}

char *cp_snap_date(uint32_t ymd, char buf[11])
{
	if (!ymd)
		buf[0] = '\0';
	else
		snprintf(buf, 11, "%04u-%02u-%02u", (ymd / 10000) % 10000, (ymd / 100) % 100,
			 ymd % 100);
	return buf;
}

uint32_t cp_snap_ymd(const char *date)
{
	struct cp_date d;
	char day[11];

	if (!date)
		return 0;
	snprintf(day, sizeof(day), "%s", date); /* a time stamp's date part too */
	if (!cp_date_parse(day, &d))
		return 0;
	return (uint32_t)(d.y * 10000 + d.m * 100 + d.d);
}

/* Reading. */

static int fail(char *err, size_t n, const char *why)
{
	snprintf(err, n, "%s", why);
	return -1;
}

static bool section_ok(uint64_t off, uint64_t count, size_t size, size_t len)
{
	return off % 8 == 0 && off <= len && count <= (len - off) / size;
}

static bool date_ok(uint32_t ymd)
{
	char buf[11];
	struct cp_date d;

	return ymd == 0 || cp_date_parse(cp_snap_date(ymd, buf), &d);
}

static bool check_ok(const char c[4])
{
	static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

	for (int i = 0; i < 4; i++)
		if (!c[i] || !strchr(crockford, c[i]))
			return false;
	return true;
}

/* A string of the table: one that starts there, not a character or two
 * into one (the table is valid UTF-8 as a whole, so each of its strings
 * is, but not a tail cut mid-character). */
static bool str_ok(const struct cp_snap *s, uint32_t off)
{
	return off < s->h->strings_bytes && (off == 0 || s->strings[off - 1] == '\0');
}

static int check_docs(const struct cp_snap *s, char *err, size_t n)
{
	const struct cp_snap_header *h = s->h;

	for (uint32_t i = 0; i < h->ndocs; i++) {
		const struct cp_snap_doc *d = &s->docs[i];

		if (d->serial >= 100000000u || d->issue < 1 || d->issue > 99)
			return fail(err, n, "a document's serial or issue is out of range");
		if (i && key(d->serial, d->issue) <= key(s->docs[i - 1].serial, s->docs[i - 1].issue))
			return fail(err, n, "the documents are not in order");
		if (!d->type || d->type >= CP_SNAP_NTYPES || !d->status ||
		    d->status >= CP_SNAP_NSTATUS || d->award >= h->nawards || !check_ok(d->check) ||
		    /* replaced by the next issue: there is one */
		    (d->status == CP_SNAP_REPLACED && (d->issue >= 99 || !check_ok(d->next_check))) ||
		    !date_ok(d->issued) || !date_ok(d->expires) || !date_ok(d->changed) ||
		    d->paper_serial >= h->strings_bytes || d->reserved)
			return fail(err, n, "a document record is damaged");
	}
	return 0;
}

static int check_awards(const struct cp_snap *s, char *err, size_t n)
{
	const struct cp_snap_header *h = s->h;

	for (uint32_t i = 0; i < h->nawards; i++) {
		const struct cp_snap_award *a = &s->awards[i];

		if (!str_ok(s, a->name) || !str_ok(s, a->qualification) || !str_ok(s, a->title) ||
		    !str_ok(s, a->grade) || !str_ok(s, a->centre) || !date_ok(a->awarded) ||
		    a->units > h->nunits || a->nunits > h->nunits - a->units ||
		    a->cert_serial >= 100000000u || a->cert_issue > 99)
			return fail(err, n, "an award record is damaged");
	}
	for (uint32_t i = 0; i < h->nunits; i++) {
		const struct cp_snap_unit *u = &s->units[i];

		if (!str_ok(s, u->code) || !str_ok(s, u->title) || !str_ok(s, u->grade))
			return fail(err, n, "a unit record is damaged");
	}
	return 0;
}

int cp_snap_open(struct cp_snap *s, const void *data, size_t len, char *err, size_t n)
{
	const struct cp_snap_header *h = data;
	uint32_t max;

	memset(s, 0, sizeof(*s));
	if (len < sizeof(*h) || memcmp(h->magic, CP_SNAP_MAGIC, 8) != 0)
		return fail(err, n, "not a verification snapshot");
	if (h->version != CP_SNAP_VERSION || h->header_bytes != sizeof(*h))
		return fail(err, n, "a snapshot version this program does not read");
	/* a moment of a four-digit year: the service turns it into a date and
	 * subtracts it from now, which a moment beyond would overflow */
	if (h->published < 0 || h->published > CP_SNAP_PUBLISHED_MAX)
		return fail(err, n, "the header is damaged: its moment is not a date");
	if (!section_ok(h->off_docs, h->ndocs, sizeof(struct cp_snap_doc), len) ||
	    !section_ok(h->off_awards, h->nawards, sizeof(struct cp_snap_award), len) ||
	    !section_ok(h->off_units, h->nunits, sizeof(struct cp_snap_unit), len) ||
	    !section_ok(h->off_strings, h->strings_bytes, 1, len) || h->strings_bytes == 0)
		return fail(err, n, "a section lies outside the file");
	s->data = data;
	s->len = len;
	s->h = h;
	s->docs = (const void *)((const char *)data + h->off_docs);
	s->awards = (const void *)((const char *)data + h->off_awards);
	s->units = (const void *)((const char *)data + h->off_units);
	s->strings = (const char *)data + h->off_strings;
	max = h->strings_bytes;
	if (s->strings[max - 1] != '\0' || !cp_utf8_valid(s->strings, max))
		return fail(err, n, "the string table is damaged");
	if (!str_ok(s, h->awarding_body) || !str_ok(s, h->verify_url))
		return fail(err, n, "the header is damaged");
	for (int t = 1; t < CP_SNAP_NTYPES; t++)
		if (!str_ok(s, h->type_title[t]))
			return fail(err, n, "the header is damaged");
	if (check_docs(s, err, n) < 0 || check_awards(s, err, n) < 0)
		return -1;
	return 0;
}

const struct cp_snap_doc *cp_snap_find(const struct cp_snap *s, uint32_t serial, unsigned issue)
{
	uint64_t want = key(serial, issue);
	size_t lo = 0, hi = s->h ? s->h->ndocs : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k = key(s->docs[mid].serial, s->docs[mid].issue);

		if (k == want)
			return &s->docs[mid];
		if (k < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Building. */

static uint32_t fnv(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void grow_hash(struct cp_snap_builder *b)
{
	size_t size = b->hashsize ? 2 * b->hashsize : 1024;
	uint32_t *t = cp_xcalloc(size, sizeof(*t));

	for (size_t i = 0; i < b->hashsize; i++) {
		uint32_t v = b->hash[i];
		size_t j;

		if (!v)
			continue;
		for (j = fnv(b->strings + v - 1) & (size - 1); t[j]; j = (j + 1) & (size - 1))
			;
		t[j] = v;
	}
	free(b->hash);
	b->hash = t;
	b->hashsize = size;
}

uint32_t cp_snap_add_string(struct cp_snap_builder *b, const char *s)
{
	size_t len, j;
	uint32_t off;

	if (!s || !*s)
		return 0;
	if ((b->hashused + 1) * 2 > b->hashsize)
		grow_hash(b);
	for (j = fnv(s) & (b->hashsize - 1); b->hash[j]; j = (j + 1) & (b->hashsize - 1))
		if (!strcmp(b->strings + b->hash[j] - 1, s))
			return b->hash[j] - 1;
	len = strlen(s) + 1;
	if (b->nstrings + len > UINT32_MAX - 1)
		cp_bug("the snapshot's string table is over 4 GB");
	while (b->nstrings + len > b->capstrings) {
		b->capstrings = b->capstrings ? 2 * b->capstrings : 65536;
		b->strings = cp_xrealloc(b->strings, b->capstrings);
	}
	off = (uint32_t)b->nstrings;
	memcpy(b->strings + off, s, len);
	b->nstrings += len;
	b->hash[j] = off + 1;
	b->hashused++;
	return off;
}

void cp_snap_builder_init(struct cp_snap_builder *b, time_t published, const char *awarding_body,
			  const char *verify_url)
{
	static const char *const titles[CP_SNAP_NTYPES] = {
		NULL, "Certificate", "Unit transcript", "Letter",
	};

	memset(b, 0, sizeof(*b));
	b->strings = cp_xmalloc(b->capstrings = 65536);
	b->strings[0] = '\0'; /* offset 0 is "" */
	b->nstrings = 1;
	memcpy(b->h.magic, CP_SNAP_MAGIC, 8);
	b->h.version = CP_SNAP_VERSION;
	b->h.header_bytes = sizeof(b->h);
	b->h.published = (int64_t)published;
	b->h.awarding_body = cp_snap_add_string(b, awarding_body);
	b->h.verify_url = cp_snap_add_string(b, verify_url);
	for (int t = 1; t < CP_SNAP_NTYPES; t++)
		b->h.type_title[t] = cp_snap_add_string(b, titles[t]);
}

#define APPEND(b, arr, n, cap, rec)                                                       \
	do {                                                                              \
		if ((b)->n == (b)->cap) {                                                 \
			(b)->cap = (b)->cap ? 2 * (b)->cap : 1024;                        \
			(b)->arr = cp_xrealloc((b)->arr, (b)->cap * sizeof(*(b)->arr));   \
		}                                                                         \
		(b)->arr[(b)->n++] = *(rec);                                              \
	} while (0)

uint32_t cp_snap_add_award(struct cp_snap_builder *b, const struct cp_snap_award *a)
{
	APPEND(b, awards, nawards, capawards, a);
	return (uint32_t)(b->nawards - 1);
}

uint32_t cp_snap_add_unit(struct cp_snap_builder *b, const struct cp_snap_unit *u)
{
	APPEND(b, units, nunits, capunits, u);
	return (uint32_t)(b->nunits - 1);
}

void cp_snap_add_doc(struct cp_snap_builder *b, const struct cp_snap_doc *d)
{
	APPEND(b, docs, ndocs, capdocs, d);
}

static int by_key(const void *x, const void *y)
{
	const struct cp_snap_doc *a = x, *b = y;
	uint64_t ka = key(a->serial, a->issue), kb = key(b->serial, b->issue);

	return ka < kb ? -1 : ka > kb;
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

void cp_snap_builder_finish(struct cp_snap_builder *b, unsigned char **out, size_t *len)
{
	size_t off = align8(sizeof(b->h)), total;
	unsigned char *buf;

	/* an empty registry has no array at all: qsort's base must not be NULL */
	if (b->ndocs)
		qsort(b->docs, b->ndocs, sizeof(*b->docs), by_key);
	b->h.ndocs = (uint32_t)b->ndocs;
	b->h.nawards = (uint32_t)b->nawards;
	b->h.nunits = (uint32_t)b->nunits;
	b->h.strings_bytes = (uint32_t)b->nstrings;
	b->h.off_docs = off;
	off = align8(off + b->ndocs * sizeof(*b->docs));
	b->h.off_awards = off;
	off = align8(off + b->nawards * sizeof(*b->awards));
	b->h.off_units = off;
	off = align8(off + b->nunits * sizeof(*b->units));
	b->h.off_strings = off;
	total = off + b->nstrings;
	buf = cp_xcalloc(1, total);
	memcpy(buf, &b->h, sizeof(b->h));
	if (b->ndocs)
		memcpy(buf + b->h.off_docs, b->docs, b->ndocs * sizeof(*b->docs));
	if (b->nawards)
		memcpy(buf + b->h.off_awards, b->awards, b->nawards * sizeof(*b->awards));
	if (b->nunits)
		memcpy(buf + b->h.off_units, b->units, b->nunits * sizeof(*b->units));
	if (b->nstrings)
		memcpy(buf + b->h.off_strings, b->strings, b->nstrings);
	*out = buf;
	*len = total;
	cp_snap_builder_release(b);
}

void cp_snap_builder_release(struct cp_snap_builder *b)
{
	free(b->docs);
	free(b->awards);
	free(b->units);
	free(b->strings);
	free(b->hash);
	memset(b, 0, sizeof(*b));
}
