/* The template parser (engine/layout.c, engine/bind.c): any bytes as a
 * layout template, loaded as render loads one (its fonts into a fresh font
 * set; images relative to its folder, where the tree's layouts/assets is
 * linked), and any bytes as template text with bindings. */
#include "fuzz.h"

#include "engine/layout.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char link[128];

	(void)argc;
	(void)argv;
	snprintf(link, sizeof(link), "%s/assets", fuzz_dir());
	if (symlink(CP_FUZZ_TOP "/layouts/assets", link) < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cp_fontset set = { 0 };
	struct cp_layout l;
	struct cp_text t;
	char why[256], *s;

	fuzz_write("t.xml", data, size);
	if (cp_layout_load(&l, fuzz_dir(), "t", &set) == 0) {
		FUZZ_ASSERT(l.page_w > 0 && l.page_h > 0);
		/* what draws text names a font of the set */
		for (size_t i = 0; i < l.nel; i++)
			FUZZ_ASSERT((l.el[i].kind != CP_EL_TEXT && l.el[i].kind != CP_EL_PARAGRAPH &&
				     l.el[i].kind != CP_EL_TABLE) ||
				    (l.el[i].font >= 0 && l.el[i].font < set.n));
		cp_layout_release(&l);
	}
	cp_fontset_release(&set);
	/* the same bytes as a text with bindings */
	s = fuzz_string(data, size);
	if (cp_text_parse(&t, s, size & 1, why, sizeof(why)) == 0) {
		struct cp_values v = { 0 };
		char *out;

		for (int i = 0; i < CP_NBINDINGS; i++)
			v.v[i] = "2026-11-23";
		out = cp_text_expand(&t, &v, NULL);
		free(out);
		cp_text_release(&t);
	}
	free(s);
	return 0;
}
