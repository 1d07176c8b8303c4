/* A bounds-checked reader and writer of TrueType 'glyf' composite records. */
#include "engine/glyf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

#define ARG_1_AND_2_ARE_WORDS 0x0001
#define ARGS_ARE_XY_VALUES 0x0002
#define WE_HAVE_A_SCALE 0x0008
#define MORE_COMPONENTS 0x0020
#define WE_HAVE_AN_X_AND_Y_SCALE 0x0040
#define WE_HAVE_A_TWO_BY_TWO 0x0080
#define WE_HAVE_INSTRUCTIONS 0x0100
#define USE_MY_METRICS 0x0200
#define ANY_SCALE (WE_HAVE_A_SCALE | WE_HAVE_AN_X_AND_Y_SCALE | WE_HAVE_A_TWO_BY_TWO)
#define MAX_DEPTH 8

struct font {
	const unsigned char *loca, *glyf, *head;
	size_t glyf_len, head_len;
	int long_loca;
	uint16_t nglyphs;
};

struct buf {
	unsigned char *p;
	size_t len, cap;
};

static uint16_t u16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put(struct buf *b, const void *data, size_t n)
{
	b->p = cp_xgrow(b->p, &b->cap, b->len + n, 1);
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void put16(struct buf *b, uint16_t v)
{
	unsigned char x[2] = { (unsigned char)(v >> 8), (unsigned char)v };

	put(b, x, 2);
}

static void put32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };

	put(b, x, 4);
}

static const unsigned char *table(const unsigned char *font, size_t len, const char *tag,
				  size_t *tlen)
{
	uint16_t n;

	if (len < 12)
		return NULL;
	n = u16(font + 4);
	for (uint16_t i = 0; i < n && 12 + 16 * (size_t)(i + 1) <= len; i++) {
		const unsigned char *rec = font + 12 + 16 * (size_t)i;
		uint32_t off = u32(rec + 8), l = u32(rec + 12);

		if (!memcmp(rec, tag, 4) && off <= len && l <= len - off) {
			*tlen = l;
			return font + off;
		}
	}
	return NULL;
}

/* A glyph's bytes (NULL and 0 for an empty one). */
static const unsigned char *glyph(const struct font *f, uint16_t gid, size_t *len)
{
	size_t a, b;

	*len = 0;
	if (gid >= f->nglyphs)
		return NULL;
	a = f->long_loca ? u32(f->loca + 4 * (size_t)gid) : 2 * (size_t)u16(f->loca + 2 * (size_t)gid);
	b = f->long_loca ? u32(f->loca + 4 * (size_t)gid + 4)
			 : 2 * (size_t)u16(f->loca + 2 * (size_t)gid + 2);
	if (b <= a || b > f->glyf_len || b - a < 10)
		return NULL;
	*len = b - a;
	return f->glyf + a;
}

static int is_composite(const struct font *f, uint16_t gid)
{
	size_t len;
	const unsigned char *g = glyph(f, gid, &len);

	return g && (int16_t)u16(g) < 0;
}

struct record {
	uint16_t flags, gid;
	int16_t dx, dy;       /* when ARGS_ARE_XY_VALUES */
	unsigned char args[4];
	size_t nargs;
	unsigned char scale[8];
	size_t nscale;
};

/* Read the composite records of a glyph; returns how many. */
static int records(const unsigned char *g, size_t len, struct record *r, int max)
{
	size_t at = 10;
	int n = 0;
	uint16_t flags;

	do {
		struct record x;

		if (at + 4 > len || n == max)
			break;
		memset(&x, 0, sizeof(x));
		flags = x.flags = u16(g + at);
		x.gid = u16(g + at + 2);
		at += 4;
		x.nargs = (flags & ARG_1_AND_2_ARE_WORDS) ? 4 : 2;
		if (at + x.nargs > len)
			break;
		memcpy(x.args, g + at, x.nargs);
		if (flags & ARG_1_AND_2_ARE_WORDS) {
			x.dx = (int16_t)u16(x.args);
			x.dy = (int16_t)u16(x.args + 2);
		} else {
			x.dx = (int8_t)x.args[0];
			x.dy = (int8_t)x.args[1];
		}
		at += x.nargs;
		x.nscale = (flags & WE_HAVE_A_SCALE) ? 2 : (flags & WE_HAVE_AN_X_AND_Y_SCALE) ? 4
			 : (flags & WE_HAVE_A_TWO_BY_TWO) ? 8 : 0;
		if (at + x.nscale > len)
			break;
		memcpy(x.scale, g + at, x.nscale);
		at += x.nscale;
		r[n++] = x;
	} while (flags & MORE_COMPONENTS);
	return n;
}

/* Collect the simple-glyph records that a record stands for. */
static void expand(const struct font *f, const struct record *r, int depth, struct record *out,
		   int *n, int max, int *kept)
{
	struct record sub[32];
	size_t len;
	const unsigned char *g = glyph(f, r->gid, &len);
	int k;

	/* A part moved by plain offsets can be replaced by its own parts moved
	 * by the sum; a scaled or point-matched one stays as it is. */
	if (!is_composite(f, r->gid) || depth >= MAX_DEPTH || (r->flags & ANY_SCALE) ||
	    !(r->flags & ARGS_ARE_XY_VALUES)) {
		if (is_composite(f, r->gid))
			(*kept)++;
		if (*n < max)
			out[(*n)++] = *r;
		return;
	}
	k = records(g, len, sub, 32);
	for (int i = 0; i < k; i++) {
		struct record s = sub[i];

		if (s.flags & ARGS_ARE_XY_VALUES) {
			s.dx = (int16_t)(s.dx + r->dx);
			s.dy = (int16_t)(s.dy + r->dy);
			s.flags |= ARG_1_AND_2_ARE_WORDS;
			s.nargs = 4;
		} else {
			(*kept)++;
		}
		expand(f, &s, depth + 1, out, n, max, kept);
	}
}

static void write_composite(const struct font *f, const unsigned char *g, size_t len,
			    struct buf *b, int *kept)
{
	struct record in[32], out[64];
	int k = records(g, len, in, 32), n = 0;

	for (int i = 0; i < k; i++)
		expand(f, &in[i], 0, out, &n, 64, kept);
	put(b, g, 10); /* numberOfContours -1 and the bounding box */
	for (int i = 0; i < n; i++) {
		uint16_t flags = out[i].flags & (uint16_t)~(MORE_COMPONENTS | WE_HAVE_INSTRUCTIONS);

		if (i + 1 < n)
			flags |= MORE_COMPONENTS;
		if (n != k)
			flags &= (uint16_t)~USE_MY_METRICS;
		put16(b, flags);
		put16(b, out[i].gid);
		if ((flags & ARG_1_AND_2_ARE_WORDS) && (out[i].flags & ARGS_ARE_XY_VALUES)) {
			put16(b, (uint16_t)out[i].dx);
			put16(b, (uint16_t)out[i].dy);
		} else {
			put(b, out[i].args, out[i].nargs);
		}
		put(b, out[i].scale, out[i].nscale);
	}
}

int cp_glyf_flatten(const unsigned char *data, size_t len, struct cp_glyf_out *o)
{
	size_t maxp_len, loca_len;
	const unsigned char *maxp = table(data, len, "maxp", &maxp_len);
	struct font f;
	struct buf glyf = { 0 }, loca = { 0 };

	memset(o, 0, sizeof(*o));
	memset(&f, 0, sizeof(f));
	f.head = table(data, len, "head", &o->head_len);
	f.loca = table(data, len, "loca", &loca_len);
	f.glyf = table(data, len, "glyf", &f.glyf_len);
	if (!f.head || o->head_len < 54 || !maxp || maxp_len < 6 || !f.loca || !f.glyf)
		return -1;
	f.long_loca = u16(f.head + 50) == 1;
	f.nglyphs = u16(maxp + 4);
	if (loca_len < (size_t)(f.nglyphs + 1) * (f.long_loca ? 4 : 2))
		return -1;
	for (uint16_t gid = 0; gid < f.nglyphs; gid++) {
		size_t glen;
		const unsigned char *g = glyph(&f, gid, &glen);

		put32(&loca, (uint32_t)glyf.len);
		if (g && (int16_t)u16(g) < 0)
			write_composite(&f, g, glen, &glyf, &o->kept);
		else if (g)
			put(&glyf, g, glen);
		while (glyf.len % 4)
			put(&glyf, "", 1);
	}
	put32(&loca, (uint32_t)glyf.len);
	o->head = cp_xmalloc(o->head_len);
	memcpy(o->head, f.head, o->head_len);
	o->head[50] = 0;
	o->head[51] = 1; /* long loca offsets */
	o->glyf = glyf.p;
	o->glyf_len = glyf.len;
	o->loca = loca.p;
	o->loca_len = loca.len;
	return 0;
}

void cp_glyf_out_release(struct cp_glyf_out *o)
{
	free(o->glyf);
	free(o->loca);
	free(o->head);
	memset(o, 0, sizeof(*o));
}
