/* The font program of the glyphs drawn: still a font HarfBuzz reads, every
 * glyph at its own id, the advances and outlines of the glyphs asked
 * for and of the parts of composite ones, no others (their metrics zeroed),
 * no cmap, a version 3
 * post table, and table and whole-font checksums right. Uses DejaVu Sans
 * (fonts-dejavu-core). */
#include "unit.h"

#include <hb.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/readfile.h"
#include "engine/ttfprog.h"

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

static bool has_outline(hb_font_t *f, hb_codepoint_t g)
{
	hb_glyph_extents_t e;

	return hb_font_get_glyph_extents(f, g, &e) && (e.width || e.height);
}

static void program_holds_the_glyphs_asked_and_their_parts(void **state)
{
	char *in;
	size_t len, plen;
	unsigned char *out, *glyphs;
	struct cp_ttf t;
	hb_face_t *a, *b;
	hb_font_t *fa, *fb;
	hb_codepoint_t e_acute, e, acute = 0;
	unsigned n, parts = 0, zeroed = 0;
	hb_blob_t *table;

	(void)state;
	assert_int_equal(cp_read_file(DEJAVU, &in, &len, 64 << 20), 0);
	assert_int_equal(cp_ttf_open(&t, (const unsigned char *)in, len), 0);
	a = face(in, len);
	fa = hb_font_create(a);
	assert_true(hb_font_get_nominal_glyph(fa, 0xE9, &e_acute)); /* é: a composite */
	assert_true(hb_font_get_nominal_glyph(fa, 'e', &e));
	glyphs = calloc(t.nglyphs, 1);
	glyphs[e_acute] = 1;
	plen = cp_ttf_program(&t, glyphs, &out);
	assert_true(plen > 0 && plen < len / 10);
	assert_int_equal(plen % 4, 0);
	for (unsigned g = 0; g < t.nglyphs; g++)
		parts += glyphs[g];
	assert_true(glyphs[0] && glyphs[e] && parts >= 3); /* .notdef, é, e and the accent */
	for (unsigned g = 1; g < t.nglyphs && !acute; g++)
		if (glyphs[g] && g != e && g != e_acute)
			acute = g;

	n = (unsigned)out[4] << 8 | out[5];
	for (unsigned i = 0; i < n; i++) {
		const unsigned char *r = out + 12 + 16 * i;

		assert_memory_not_equal(r, "cmap", 4);
		assert_memory_not_equal(r, "GSUB", 4);
		if (i)
			assert_true(memcmp(r - 16, r, 4) < 0); /* in tag order */
		if (memcmp(r, "head", 4))
			assert_int_equal(be32(r + 4), sum(out + be32(r + 8), (be32(r + 12) + 3) & ~3u));
	}
	assert_int_equal(sum(out, plen), 0xB1B0AFBAu);

	b = face(out, plen);
	fb = hb_font_create(b);
	assert_int_equal(hb_face_get_glyph_count(b), t.nglyphs);
	assert_int_equal(hb_face_get_upem(b), hb_face_get_upem(a));
	for (hb_codepoint_t g = 0; g < t.nglyphs; g++) {
		hb_glyph_extents_t ea, eb;

		if (glyphs[g]) {
			assert_int_equal(hb_font_get_glyph_h_advance(fb, g),
					 hb_font_get_glyph_h_advance(fa, g));
			assert_int_equal(hb_font_get_glyph_extents(fb, g, &eb),
					 hb_font_get_glyph_extents(fa, g, &ea));
			assert_memory_equal(&ea, &eb, sizeof(ea));
		} else {
			assert_false(has_outline(fb, g));
			zeroed += hb_font_get_glyph_h_advance(fb, g) == 0;
		}
	}
	assert_true(has_outline(fb, e_acute) && has_outline(fb, e) && has_outline(fb, acute));
	assert_true(zeroed > t.nglyphs / 2); /* metrics of glyphs not drawn: zeros */
	table = hb_face_reference_table(b, HB_TAG('p', 'o', 's', 't'));
	assert_int_equal(hb_blob_get_length(table), 32);
	assert_int_equal(be32((const unsigned char *)hb_blob_get_data(table, NULL)), 0x00030000);
	hb_blob_destroy(table);
	table = hb_face_reference_table(b, HB_TAG('c', 'm', 'a', 'p'));
	assert_int_equal(hb_blob_get_length(table), 0);
	hb_blob_destroy(table);
	hb_font_destroy(fa);
	hb_font_destroy(fb);
	hb_face_destroy(a);
	hb_face_destroy(b);
	free(glyphs);
	free(out);
	free(in);
}

static void not_a_font_is_refused(void **state)
{
	static const unsigned char junk[] = "\0\1\0\0\0\x40 nonsense, far too short";
	static const unsigned char otto[] = "OTTO\0\0\0\0\0\0\0\0";
	struct cp_ttf t;

	(void)state;
	assert_int_equal(cp_ttf_open(&t, junk, sizeof(junk)), -1);
	assert_int_equal(cp_ttf_open(&t, junk, 8), -1);
	assert_int_equal(cp_ttf_open(&t, otto, sizeof(otto)), -1); /* CFF outlines */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(program_holds_the_glyphs_asked_and_their_parts),
		cmocka_unit_test(not_a_font_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
