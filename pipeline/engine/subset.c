/* Per-batch font subsets (subset.h), made with HarfBuzz (font.h). */
#include "engine/subset.h"

#include <hb.h>

#include "engine/font.h"
#include "util/atomic.h"
#include "util/xalloc.h"
#include "util/banned.h"

int cp_fontset_subset(const struct cp_fontset *fonts, const char *const *files, int nfiles,
		      const char *dir, char **subset)
{
	hb_set_t *chars = hb_set_create();
	int rc = 0;

	hb_set_add_range(chars, 0x20, 0x7e);
	for (int i = 0; i < nfiles; i++)
		cp_font_add_file_chars(chars, files[i]);
	if (cp_mkdirs(dir) < 0)
		rc = -1;
	for (int i = 0; !rc && i < fonts->n; i++) {
		subset[i] = cp_xasprintf("%s/%s.ttf", dir, fonts->font[i].name);
		if (cp_font_subset(&fonts->font[i], chars, subset[i]) < 0)
			rc = -1;
	}
	hb_set_destroy(chars);
	return rc;
}
