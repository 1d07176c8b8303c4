/* TrueType programs of the glyphs drawn (ttfprog.h). */
#include "engine/ttfprog.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

#define POST_V3 32 /* the post header: all of a version 3 table */
#define HEAD_LEN 54

/* The tables kept, in tag order; glyf and loca are made from the glyphs. */
static const char kept[][5] = { "OS/2", "cvt ", "fpgm", "glyf", "head", "hhea",
				"hmtx", "loca", "maxp", "name", "post", "prep" };

static uint32_t be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return be16(p) << 16 | be16(p + 2);
}

static void put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xFFFF);
}

static uint32_t checksum(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;
	size_t i = 0;

	for (; i + 4 <= len; i += 4)
		sum += be32(p + i);
	if (i < len) {
		unsigned char word[4] = { 0 };

		memcpy(word, p + i, len - i);
		sum += be32(word);
	}
	return sum;
}

static const unsigned char *find(const unsigned char *d, size_t len, const char *tag,
				 uint32_t *tlen)
{
	unsigned n = be16(d + 4);

	for (unsigned i = 0; i < n && 12 + 16 * (size_t)(i + 1) <= len; i++) {
		const unsigned char *r = d + 12 + 16 * i;
		uint32_t off = be32(r + 8), l = be32(r + 12);

		if (!memcmp(r, tag, 4))
			return off <= len && l <= len - off ? (*tlen = l, d + off) : NULL;
	}
	return NULL;
}

int cp_ttf_open(struct cp_ttf *t, const unsigned char *d, size_t len)
{
	const unsigned char *head, *maxp, *hhea;
	uint32_t hl, ml, ll, gl, hhl;

	memset(t, 0, sizeof(*t));
	if (len < 12 || (be32(d) != 0x00010000 && memcmp(d, "true", 4)))
		return -1;
	head = find(d, len, "head", &hl);
	maxp = find(d, len, "maxp", &ml);
	hhea = find(d, len, "hhea", &hhl);
	if (!head || hl < HEAD_LEN || !maxp || ml < 6 || !hhea || hhl < 36)
		return -1;
	t->nmetrics = be16(hhea + 34);
	t->data = d;
	t->len = len;
	t->nglyphs = be16(maxp + 4);
	t->long_loca = be16(head + 50) != 0;
	t->loca = find(d, len, "loca", &ll);
	t->glyf = find(d, len, "glyf", &gl);
	t->glyf_len = gl;
	if (!t->loca || !t->glyf || ll < (t->nglyphs + 1u) * (t->long_loca ? 4 : 2))
		return -1;
	for (size_t k = 0; k < sizeof(kept) / sizeof(*kept); k++) {
		struct cp_ttf_table *tb = &t->table[t->ntables];

		if (!strcmp(kept[k], "glyf") || !strcmp(kept[k], "loca")) {
			memcpy(tb->tag, kept[k], 4);
			t->ntables++;
			continue;
		}
		if (!(tb->p = find(d, len, kept[k], &tb->len)))
			continue;
		if (!strcmp(kept[k], "post")) {
			if (tb->len < POST_V3)
				continue;
			tb->len = POST_V3;
		}
		memcpy(tb->tag, kept[k], 4);
		t->ntables++;
	}
	return 0;
}

/* Where glyph g's outline is in glyf; false if the loca table is wrong. */
static bool outline(const struct cp_ttf *t, unsigned g, uint32_t *off, uint32_t *len)
{
	uint32_t a, b;

	if (t->long_loca) {
		a = be32(t->loca + 4 * g);
		b = be32(t->loca + 4 * g + 4);
	} else {
		a = be16(t->loca + 2 * g) * 2;
		b = be16(t->loca + 2 * g + 2) * 2;
	}
	if (a > b || b > t->glyf_len)
		return false;
	*off = a;
	*len = b - a;
	return true;
}

/* Mark the parts of composite glyph g, and theirs (depth-limited). */
static void mark_parts(const struct cp_ttf *t, unsigned g, unsigned char *glyphs, int depth)
{
	uint32_t off, len;
	const unsigned char *p, *end;

	if (depth > 8 || !outline(t, g, &off, &len) || len < 10)
		return;
	p = t->glyf + off;
	end = p + len;
	if (!(p[0] & 0x80)) /* numberOfContours >= 0: a simple glyph */
		return;
	for (p += 10; p + 4 <= end;) {
		uint32_t flags = be16(p), part = be16(p + 2);

		if (part < t->nglyphs && !glyphs[part]) {
			glyphs[part] = 1;
			mark_parts(t, part, glyphs, depth + 1);
		}
		p += 4 + (flags & 0x0001 ? 4 : 2); /* ARG_1_AND_2_ARE_WORDS */
		if (flags & 0x0008) /* WE_HAVE_A_SCALE */
			p += 2;
		else if (flags & 0x0040) /* WE_HAVE_AN_X_AND_Y_SCALE */
			p += 4;
		else if (flags & 0x0080) /* WE_HAVE_A_TWO_BY_TWO */
			p += 8;
		if (!(flags & 0x0020)) /* MORE_COMPONENTS */
			break;
	}
}

/* The metrics of glyphs not drawn, zeroed: the PDF gives widths in its W
 * array, and a table of zeros deflates to almost nothing. The last full
 * entry stays: its advance serves every glyph after it. */
static void blank_metrics(const struct cp_ttf *t, const unsigned char *glyphs,
			  unsigned char *hmtx, size_t len)
{
	unsigned full = t->nmetrics;

	for (unsigned g = 0; g < t->nglyphs; g++) {
		size_t at = g < full ? 4 * (size_t)g : 4 * (size_t)full + 2 * (size_t)(g - full);
		size_t n = g < full ? 4 : 2;

		if (!glyphs[g] && g + 1 != full && at + n <= len)
			memset(hmtx + at, 0, n);
	}
}

/* A table's length in the program: glyf and loca are made anew. */
static size_t length(const struct cp_ttf_table *tb, size_t glyf_len, size_t loca_len)
{
	if (!memcmp(tb->tag, "glyf", 4))
		return glyf_len;
	if (!memcmp(tb->tag, "loca", 4))
		return loca_len;
	return tb->len;
}

/* The offset table's header: the version and the binary search fields for
 * n tables. */
static void offset_table(unsigned char *o, int n)
{
	unsigned entry = 0, pow = 1;

	put32(o, 0x00010000);
	while (pow * 2 <= (unsigned)n) {
		pow *= 2;
		entry++;
	}
	put16(o + 4, (uint32_t)n);
	put16(o + 6, pow * 16);
	put16(o + 8, entry);
	put16(o + 10, (uint32_t)n * 16 - pow * 16);
}

/* The outlines drawn into glyf, each at an even offset, and loca pointing
 * at them; the other glyphs empty. */
static void copy_outlines(const struct cp_ttf *t, const unsigned char *glyphs,
			  unsigned char *glyf, unsigned char *loca, int long_loca)
{
	size_t at = 0;
	uint32_t off, len;

	for (unsigned g = 0; g <= t->nglyphs; g++) {
		if (long_loca)
			put32(loca + 4 * g, (uint32_t)at);
		else
			put16(loca + 2 * g, (uint32_t)(at / 2));
		if (g < t->nglyphs && glyphs[g] && outline(t, g, &off, &len)) {
			memcpy(glyf + at, t->glyf + off, len);
			at += (len + 1) & ~1u;
		}
	}
}

size_t cp_ttf_program(const struct cp_ttf *t, unsigned char *glyphs, unsigned char **out)
{
	size_t glyf_len = 0, loca_len, size, at;
	uint32_t off, len;
	unsigned char *o, *glyf, *loca;
	int long_loca, n = t->ntables;
	long head = -1;

	glyphs[0] = 1; /* .notdef, always */
	for (unsigned g = 0; g < t->nglyphs; g++)
		if (glyphs[g])
			mark_parts(t, g, glyphs, 0);
	for (unsigned g = 0; g < t->nglyphs; g++)
		if (glyphs[g] && outline(t, g, &off, &len))
			glyf_len += (len + 1) & ~1u;
	long_loca = glyf_len > 0x1FFFE;
	loca_len = (t->nglyphs + 1u) * (long_loca ? 4 : 2);
	size = 12 + 16 * (size_t)n;
	for (int i = 0; i < n; i++)
		size += (length(&t->table[i], glyf_len, loca_len) + 3) & ~(size_t)3;
	o = cp_xmalloc(size);
	memset(o, 0, size);
	offset_table(o, n);
	at = 12 + 16 * (size_t)n;
	glyf = loca = NULL;
	for (int i = 0; i < n; i++) {
		const struct cp_ttf_table *tb = &t->table[i];
		unsigned char *r = o + 12 + 16 * i, *data = o + at;
		size_t l = length(tb, glyf_len, loca_len);

		if (!memcmp(tb->tag, "glyf", 4))
			glyf = data;
		else if (!memcmp(tb->tag, "loca", 4))
			loca = data;
		else
			memcpy(data, tb->p, l);
		if (!memcmp(tb->tag, "post", 4))
			put32(data, 0x00030000);
		if (!memcmp(tb->tag, "hmtx", 4))
			blank_metrics(t, glyphs, data, l);
		if (!memcmp(tb->tag, "head", 4)) {
			head = (long)at;
			put32(data + 8, 0); /* checkSumAdjustment, set last */
			put16(data + 50, long_loca);
		}
		memcpy(r, tb->tag, 4);
		put32(r + 8, (uint32_t)at);
		put32(r + 12, (uint32_t)l);
		at += (l + 3) & ~(size_t)3;
	}
	copy_outlines(t, glyphs, glyf, loca, long_loca);
	for (int i = 0; i < n; i++) {
		unsigned char *r = o + 12 + 16 * i;

		put32(r + 4, checksum(o + be32(r + 8), be32(r + 12)));
	}
	if (head >= 0)
		put32(o + head + 8, 0xB1B0AFBAu - checksum(o, size));
	*out = o;
	return size;
}
