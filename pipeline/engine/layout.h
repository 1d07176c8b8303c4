/* Layout templates (urn:certpress:layout:1, described in layouts/README.md):
 * parsed and checked once per process, every error reported with the
 * template's file and line before any document is drawn. */
#ifndef CP_LAYOUT_H
#define CP_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/bind.h"
#include "engine/font.h"
#include "engine/image.h"

#define CP_LAYOUT_NS "urn:certpress:layout:1"
#define CP_MAX_FONTS 16

enum cp_el_kind { CP_EL_TEXT, CP_EL_PARAGRAPH, CP_EL_RECT, CP_EL_LINE, CP_EL_IMAGE, CP_EL_QR,
		  CP_EL_TABLE, CP_EL_SEAL };
enum cp_align { CP_LEFT, CP_CENTER, CP_RIGHT, CP_JUSTIFY };
enum cp_mode { CP_MODE_BOTH, CP_MODE_DIGITAL, CP_MODE_PRINT };
enum cp_pages { CP_PAGES_FIRST, CP_PAGES_ALL, CP_PAGES_REST };

struct cp_column {
	struct cp_text title, value;
	double width;
	enum cp_align align;
};

struct cp_element {
	enum cp_el_kind kind;
	long line;
	enum cp_mode mode;
	enum cp_pages pages;
	int cond;                 /* a binding that must have a value, or -1 */
	double x, y, w, h;        /* points; y measured from the top of the page */
	double x2, y2;
	int font;                 /* index into the font set */
	double size, min_size, leading, space_before;
	enum cp_align align;
	uint32_t color, fill;
	bool stroke, filled;
	double line_width;
	struct cp_text text;
	char *src;                /* an image's file, as the template names it */
	struct cp_image image;    /* its bytes, checked when loaded */
	int qr_level;
	double angle;             /* text rotation in degrees */
	/* tables */
	struct cp_column *cols;
	size_t ncols;
	int header_font;
	double row_h, bottom, continue_y, pad;
	uint32_t header_fill, rule;
};

/* The fonts every template of a process shares, by name. */
struct cp_fontset {
	struct cp_font font[CP_MAX_FONTS];
	int n;
};

struct cp_layout {
	char *path, *name;
	double page_w, page_h;
	struct cp_element *el;
	size_t nel;
};

/* Load layouts/<name>.xml; fonts it declares join set. Every element and
 * attribute must be one of the template language's (no other namespace),
 * every image must decode and every font load (image.h, asset.h). Returns
 * 0, or -1 after a message "FILE:LINE: what" for each error found. */
int cp_layout_load(struct cp_layout *l, const char *dir, const char *name,
		   struct cp_fontset *set);
void cp_layout_release(struct cp_layout *l);
void cp_fontset_release(struct cp_fontset *set);

/* "12mm", "30pt", "2.5cm", "1in" in points; false if not a length. */
bool cp_length_parse(const char *s, double *pt);

#endif
