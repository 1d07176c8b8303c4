/* Font loading, coverage and subsetting with HarfBuzz. */
#include "engine/font.h"

#include <fcntl.h>
#include <hb-subset.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/atomic.h"
#include "engine/glyf.h"
#include "util/msg.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

static bool has_table(hb_face_t *face, hb_tag_t tag)
{
	hb_blob_t *t = hb_face_reference_table(face, tag);
	bool yes = hb_blob_get_length(t) > 0;

	hb_blob_destroy(t);
	return yes;
}

int cp_font_open(struct cp_font *f, const char *name, const char *path)
{
	hb_blob_t *blob;

	memset(f, 0, sizeof(*f));
	if (access(path, R_OK) < 0)
		return cp_error("%s: cannot read the font file", path);
	blob = hb_blob_create_from_file_or_fail(path);
	if (!blob)
		return cp_error("%s: cannot read the font file", path);
	f->face = hb_face_create(blob, 0);
	hb_blob_destroy(blob);
	if (hb_face_get_glyph_count(f->face) == 0) {
		hb_face_destroy(f->face);
		f->face = NULL;
		return cp_error("%s: not a TrueType font", path);
	}
	if (!has_table(f->face, HB_TAG('g', 'l', 'y', 'f'))) { /* CFF outlines (.otf) */
		hb_face_destroy(f->face);
		f->face = NULL;
		return cp_error("%s: not a TrueType font (PostScript outlines: libharu embeds "
				"TrueType outlines only)", path);
	}
	f->coverage = hb_set_create();
	hb_face_collect_unicodes(f->face, f->coverage);
	f->name = cp_xstrdup(name);
	f->path = cp_xstrdup(path);
	return 0;
}

void cp_font_close(struct cp_font *f)
{
	if (f->face)
		hb_face_destroy(f->face);
	if (f->coverage)
		hb_set_destroy(f->coverage);
	free(f->name);
	free(f->path);
	memset(f, 0, sizeof(*f));
}

bool cp_font_covers(const struct cp_font *f, uint32_t cp)
{
	return hb_set_has(f->coverage, cp);
}

static void add_table(hb_face_t *b, hb_tag_t tag, const void *data, size_t len)
{
	hb_blob_t *p = hb_blob_create(data, (unsigned int)len, HB_MEMORY_MODE_DUPLICATE, NULL, NULL);

	hb_face_builder_add_table(b, tag, p);
	hb_blob_destroy(p);
}

/* The subset again, made for libharu 2.3.0: a 3-byte 'prep' (PUSHB[0] 0,
 * POP: does nothing) instead of an empty one, and nested composite glyphs
 * flattened (glyf.h). Every other table is copied. */
static hb_blob_t *for_libharu(hb_face_t *subset)
{
	static const char prep[] = { (char)0xb0, 0x00, 0x21 };
	/* The subsetter's face is a builder that cannot list its tables: read
	 * its bytes back as an ordinary face. */
	hb_blob_t *bytes = hb_face_reference_blob(subset), *out;
	hb_face_t *sub = hb_face_create(bytes, 0), *b = hb_face_builder_create();
	unsigned int n, start = 0, total, len;
	const char *data = hb_blob_get_data(bytes, &len);
	struct cp_glyf_out flat;
	int flattened = cp_glyf_flatten((const unsigned char *)data, len, &flat) == 0;
	hb_tag_t tags[64];

	total = hb_face_get_table_tags(sub, 0, NULL, NULL);
	while (start < total) {
		n = 64;
		hb_face_get_table_tags(sub, start, &n, tags);
		for (unsigned int i = 0; i < n; i++) {
			hb_blob_t *t;

			if (tags[i] == HB_TAG('p', 'r', 'e', 'p'))
				continue;
			if (flattened && tags[i] == HB_TAG('g', 'l', 'y', 'f'))
				add_table(b, tags[i], flat.glyf, flat.glyf_len);
			else if (flattened && tags[i] == HB_TAG('l', 'o', 'c', 'a'))
				add_table(b, tags[i], flat.loca, flat.loca_len);
			else if (flattened && tags[i] == HB_TAG('h', 'e', 'a', 'd'))
				add_table(b, tags[i], flat.head, flat.head_len);
			else {
				t = hb_face_reference_table(sub, tags[i]);
				hb_face_builder_add_table(b, tags[i], t);
				hb_blob_destroy(t);
			}
		}
		start += n;
	}
	add_table(b, HB_TAG('p', 'r', 'e', 'p'), prep, sizeof(prep));
	out = hb_face_reference_blob(b);
	if (flattened)
		cp_glyf_out_release(&flat);
	hb_face_destroy(b);
	hb_face_destroy(sub);
	hb_blob_destroy(bytes);
	return out;
}

int cp_font_subset(const struct cp_font *f, const hb_set_t *chars, const char *out_path)
{
	static const hb_tag_t drop[] = {
		HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
		HB_TAG('k', 'e', 'r', 'n'), HB_TAG('h', 'd', 'm', 'x'), HB_TAG('V', 'D', 'M', 'X'),
		HB_TAG('L', 'T', 'S', 'H'), HB_TAG('g', 'a', 's', 'p'), HB_TAG('M', 'A', 'T', 'H'),
		HB_TAG('F', 'F', 'T', 'M'),
	};
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_face_t *sub;
	hb_blob_t *blob;
	const char *data;
	unsigned int len;
	int rc;

	if (!in)
		cp_bug("out of memory");
	hb_set_union(hb_subset_input_unicode_set(in), chars);
	hb_set_intersect(hb_subset_input_unicode_set(in), f->coverage);
	/* Legacy (Mac) names and glyph names: libharu refuses a second subset
	 * face without them. */
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_NAME_LEGACY |
				      HB_SUBSET_FLAGS_GLYPH_NAMES);
	for (size_t i = 0; i < sizeof(drop) / sizeof(*drop); i++)
		hb_set_add(hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG), drop[i]);
	sub = hb_subset_or_fail(f->face, in);
	hb_subset_input_destroy(in);
	if (!sub)
		return cp_error("%s: cannot subset the font", f->path);
	blob = for_libharu(sub);
	hb_face_destroy(sub);
	data = hb_blob_get_data(blob, &len);
	rc = len ? cp_atomic_write_file(out_path, data, len, 0640)
		 : cp_error("%s: the font subset is empty", f->path);
	hb_blob_destroy(blob);
	return rc;
}

/* Every code point in a file's bytes: a superset of what will be drawn. */
void cp_font_add_file_chars(hb_set_t *set, const char *path)
{
	unsigned char buf[65536 + 4];
	size_t have = 0, n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	while ((n = (size_t)read(fd, buf + have, sizeof(buf) - 4 - have)) > 0 && n < sizeof(buf)) {
		size_t i = 0, end = have + n;

		while (i < end) {
			uint32_t cp;
			size_t len = cp_utf8_decode(buf + i, end - i, &cp);

			if (!len) {
				if (end - i < 4)
					break; /* a character cut by the read: keep it */
				i++;
				continue;
			}
			hb_set_add(set, cp);
			i += len;
		}
		memmove(buf, buf + i, end - i);
		have = end - i;
	}
	close(fd);
}
