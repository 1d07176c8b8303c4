/* The centres register (pipeline/centres.c): any bytes as the register,
 * loaded as pack, status and printed load it (util/xmldoc: screened, no
 * entities, validated against centres.xsd, a centre listed twice refused).
 * A register taken is valid against the schema when read again by plain
 * libxml2, its centres sorted, each found again by its number, with a
 * known delivery and an address of 1 to 8 lines and no control character
 * but their ends; a register refused says so with 66 or 78 and every error
 * names the file and a line (or why it could not be read at all). */
#include "fuzz.h"
#include "fuzzxml.h"

#include "centres.h"
#include "util/xml.h"

#define SCHEMA CP_FUZZ_TOP "/config/centres.xsd"

static xmlSchemaPtr schema;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cp_xml_init();
	if (!(schema = cp_xml_schema_load(SCHEMA)))
		abort();
	return 0;
}

static bool known_delivery(const char *d)
{
	static const char *const kinds[] = { "second-class-signed", "first-class-signed",
					     "courier", "collection" };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (!strcmp(d, kinds[i]))
			return true;
	return false;
}

static void taken(const struct cp_centres *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		const struct cp_centre *c = &cs->c[i];
		size_t lines = 0, len = strlen(c->address);

		FUZZ_ASSERT(i == 0 || strcmp(cs->c[i - 1].number, c->number) < 0);
		FUZZ_ASSERT(cp_centres_find(cs, c->number) == c);
		FUZZ_ASSERT(c->name && *c->name && c->line >= 1);
		FUZZ_ASSERT(known_delivery(c->delivery));
		FUZZ_ASSERT(len > 0 && c->address[len - 1] == '\n');
		for (const char *p = c->address; *p; p++) {
			FUZZ_ASSERT(*p == '\n' || (unsigned char)*p >= 0x20);
			FUZZ_ASSERT(*p != '\n' || (p > c->address && p[-1] != '\n'));
			lines += *p == '\n';
		}
		FUZZ_ASSERT(lines >= 1 && lines <= 8);
	}
	FUZZ_ASSERT(cp_centres_find(cs, "") == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write("centres.xml", data, size), *said, *bad = NULL;
	struct cp_centres cs;
	xmlDocPtr doc;
	char also[200];
	long errors;
	int rc;

	fuzz_stderr_begin();
	rc = cp_centres_load(&cs, path, SCHEMA);
	said = fuzz_stderr_end();
	FUZZ_ASSERT(rc == 0 || rc == 66 || rc == 78);
	/* screened and refused before it was parsed: no line to name */
	snprintf(also, sizeof(also), "%s: cannot read the centres register: ", path);
	errors = fuzz_errors_name_lines(said, "certpress", path,
					(const char *const[]){ also, NULL }, &bad);
	if (errors < 0)
		fprintf(stderr, "fuzz: said: %s", bad);
	FUZZ_ASSERT(errors >= 0);
	if (rc != 0) {
		FUZZ_ASSERT(errors >= 1 && cs.n == 0 && !cs.c);
		return 0;
	}
	FUZZ_ASSERT(errors == 0);
	doc = fuzz_schema_valid(schema, "centres.xml", data, size);
	FUZZ_ASSERT(doc);
	xmlFreeDoc(doc);
	FUZZ_ASSERT(cs.path && !strcmp(cs.path, path));
	taken(&cs);
	cp_centres_release(&cs);
	return 0;
}
