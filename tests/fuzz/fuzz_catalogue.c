/* The catalogue (stages/validate/catalogue.c): any bytes as the catalogue
 * file, loaded as validate loads it (screened, validated against
 * catalogue.xsd, then checked and sorted), then every qualification looked
 * up again by its number. */
#include "fuzz.h"

#include "stages/validate/catalogue.h"
#include "util/xml.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cp_xml_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write("catalogue.xml", data, size);
	struct cp_catalogue c;
	int rc = cp_catalogue_load(&c, path, CP_FUZZ_TOP "/config/catalogue.xsd");

	FUZZ_ASSERT(rc == 0 || rc == 66 || rc == 78);
	if (rc != 0)
		return 0;
	for (size_t i = 0; i < c.nquals; i++) {
		const struct cp_qualification *q = &c.quals[i];

		FUZZ_ASSERT(cp_catalogue_find(&c, q->number) != NULL);
		for (size_t u = 0; u < q->nunits; u++) {
			FUZZ_ASSERT(cp_qualification_unit(q, q->units[u].ref) != NULL);
			(void)cp_unit_grades(q, &q->units[u]);
		}
	}
	cp_catalogue_release(&c);
	return 0;
}
