/* TrueType tables a CID font does not need, left out (ttftrim.h). */
#include "ttftrim.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

#define MAX_TABLES 64
#define POST_V3 32 /* the post header, which is all of a version 3 table */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(unsigned char *p, unsigned v)
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

	for (size_t i = 0; i < len; i += 4) {
		unsigned char word[4] = { 0 };

		memcpy(word, p + i, len - i < 4 ? len - i : 4);
		sum += be32(word);
	}
	return sum;
}

size_t cp_ttf_trim(const unsigned char *in, size_t len, unsigned char **out)
{
	unsigned n, kept = 0, entry = 0, pow = 1;
	struct {
		const unsigned char *rec;
		uint32_t off, len;
	} t[MAX_TABLES];
	size_t size, at;
	unsigned char *o;
	long head = -1;

	if (len < 12 || (n = (unsigned)in[4] << 8 | in[5]) > MAX_TABLES || len < 12 + 16 * n)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		const unsigned char *r = in + 12 + 16 * i;
		uint32_t off = be32(r + 8), l = be32(r + 12);

		if (off > len || l > len - off)
			return 0;
		if (!memcmp(r, "cmap", 4))
			continue;
		if (!memcmp(r, "post", 4)) {
			if (l < POST_V3)
				return 0;
			l = POST_V3;
		}
		t[kept].rec = r;
		t[kept].off = off;
		t[kept++].len = l;
	}
	size = 12 + 16 * (size_t)kept;
	for (unsigned i = 0; i < kept; i++)
		size += (t[i].len + 3) & ~3u;
	o = cp_xmalloc(size);
	memset(o, 0, size);
	memcpy(o, in, 4);
	while (pow * 2 <= kept) {
		pow *= 2;
		entry++;
	}
	put16(o + 4, kept);
	put16(o + 6, pow * 16);
	put16(o + 8, entry);
	put16(o + 10, kept * 16 - pow * 16);
	at = 12 + 16 * (size_t)kept;
	for (unsigned i = 0; i < kept; i++) {
		unsigned char *r = o + 12 + 16 * i, *data = o + at;

		memcpy(data, in + t[i].off, t[i].len);
		if (!memcmp(t[i].rec, "post", 4))
			put32(data, 0x00030000);
		if (!memcmp(t[i].rec, "head", 4) && t[i].len >= 12) {
			head = (long)at;
			put32(data + 8, 0); /* checkSumAdjustment, set below */
		}
		memcpy(r, t[i].rec, 4);
		put32(r + 4, checksum(data, t[i].len));
		put32(r + 8, (uint32_t)at);
		put32(r + 12, t[i].len);
		at += (t[i].len + 3) & ~3u;
	}
	if (head >= 0)
		put32(o + head + 8, 0xB1B0AFBAu - checksum(o, size));
	*out = o;
	return size;
}
