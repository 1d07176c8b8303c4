/* TrueType faces for the layout engine (HarfBuzz): what each face can draw,
 * and a per-batch subset holding only the characters the batch needs. The
 * subset keeps a non-empty 'prep' table (libharu 2.3.0 fails to save about
 * 2 documents in 1,000 when an embedded font ends in an empty one) and has
 * its nested composite glyphs flattened (libharu 2.3.0 drops the parts of
 * parts: see glyf.h). */
#ifndef CP_FONT_H
#define CP_FONT_H

#include <hb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cp_font {
	char *name; /* as the template names it */
	char *path; /* the TrueType file */
	hb_face_t *face;
	hb_set_t *coverage; /* code points the face maps to a glyph */
};

/* Load a face; -1 with a message if the file is missing or not a font. */
int cp_font_open(struct cp_font *f, const char *name, const char *path);
void cp_font_close(struct cp_font *f);
bool cp_font_covers(const struct cp_font *f, uint32_t cp);
/* Write a subset of the face holding the code points in chars (the ones it
 * covers) to out_path atomically. */
int cp_font_subset(const struct cp_font *f, const hb_set_t *chars, const char *out_path);

/* Add every code point in a file's UTF-8 bytes to set: a superset of what
 * will be drawn from it (a template, a batch file). */
void cp_font_add_file_chars(hb_set_t *set, const char *path);

#endif
