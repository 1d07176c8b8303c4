/* The font program trimmed for a CID font: still a font HarfBuzz reads,
 * with every glyph's outline and advance unchanged, no cmap, a version 3
 * post table, and table and whole-font checksums right. Uses DejaVu Sans
 * (fonts-dejavu-core). */
#include "unit.h"

#include <hb.h>
#include <stdlib.h>
#include <string.h>

#include "../../pipeline/readfile.h"
#include "../../pipeline/ttftrim.h"

#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t sum(const unsigned char *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 4 <= len; i += 4)
		s += be32(p + i);
	return s;
}

static hb_face_t *face(const void *data, size_t len)
{
	hb_blob_t *blob = hb_blob_create(data, (unsigned)len, HB_MEMORY_MODE_READONLY, NULL, NULL);
	hb_face_t *f = hb_face_create(blob, 0);

	hb_blob_destroy(blob);
	return f;
}

static void trimmed_font_keeps_glyphs_and_drops_cmap(void **state)
{
	char *in;
	size_t len, tlen;
	unsigned char *out;
	hb_face_t *a, *b;
	hb_font_t *fa, *fb;
	unsigned n, glyphs;
	hb_blob_t *post;

	(void)state;
	assert_int_equal(cp_read_file(DEJAVU, &in, &len, 64 << 20), 0);
	tlen = cp_ttf_trim((const unsigned char *)in, len, &out);
	assert_true(tlen > 0 && tlen < len);
	assert_int_equal(tlen % 4, 0);
	n = (unsigned)out[4] << 8 | out[5];
	for (unsigned i = 0; i < n; i++) {
		const unsigned char *r = out + 12 + 16 * i;

		assert_memory_not_equal(r, "cmap", 4);
		if (!memcmp(r, "head", 4))
			continue; /* its checksum is taken with checkSumAdjustment 0 */
		assert_int_equal(be32(r + 4), sum(out + be32(r + 8), (be32(r + 12) + 3) & ~3u));
	}
	assert_int_equal(sum(out, tlen), 0xB1B0AFBAu);
	a = face(in, len);
	b = face(out, tlen);
	glyphs = hb_face_get_glyph_count(a);
	assert_true(glyphs > 1000);
	assert_int_equal(hb_face_get_glyph_count(b), glyphs);
	assert_int_equal(hb_face_get_upem(b), hb_face_get_upem(a));
	fa = hb_font_create(a);
	fb = hb_font_create(b);
	for (hb_codepoint_t g = 0; g < glyphs; g++) {
		hb_glyph_extents_t ea, eb;

		assert_int_equal(hb_font_get_glyph_h_advance(fb, g), hb_font_get_glyph_h_advance(fa, g));
		assert_int_equal(hb_font_get_glyph_extents(fb, g, &eb), hb_font_get_glyph_extents(fa, g, &ea));
		assert_memory_equal(&ea, &eb, sizeof(ea));
	}
	post = hb_face_reference_table(b, HB_TAG('p', 'o', 's', 't'));
	assert_int_equal(hb_blob_get_length(post), 32);
	assert_int_equal(be32((const unsigned char *)hb_blob_get_data(post, NULL)), 0x00030000);
	hb_blob_destroy(post);
	post = hb_face_reference_table(b, HB_TAG('c', 'm', 'a', 'p'));
	assert_int_equal(hb_blob_get_length(post), 0);
	hb_blob_destroy(post);
	hb_font_destroy(fa);
	hb_font_destroy(fb);
	hb_face_destroy(a);
	hb_face_destroy(b);
	free(out);
	free(in);
}

static void not_a_font_is_left_alone(void **state)
{
	static const unsigned char junk[] = "\0\1\0\0\0\x40 nonsense, far too short";
	unsigned char *out = NULL;

	(void)state;
	assert_int_equal(cp_ttf_trim(junk, sizeof(junk), &out), 0);
	assert_null(out);
	assert_int_equal(cp_ttf_trim(junk, 8, &out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(trimmed_font_keeps_glyphs_and_drops_cmap),
		cmocka_unit_test(not_a_font_is_left_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
