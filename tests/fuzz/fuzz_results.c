/* The results reader and the rules (stages/validate): any bytes as a
 * results file, taken the way validate takes one (screened, read against
 * results.xsd while streaming), every learner normalised and checked
 * against the fixtures' catalogue on a pinned day. */
#include "fuzz.h"

#include "stages/validate/results.h"
#include "stages/validate/rules.h"
#include "util/screen.h"
#include "util/utf8.h"
#include "util/xml.h"

static xmlSchemaPtr schema;
static struct cp_catalogue cat;
static struct cp_date today;
static struct cp_reasons run_reasons, reasons;

static int on_run_start(void *ctx, const struct cp_run *run)
{
	(void)ctx;
	cp_reasons_clear(&run_reasons);
	cp_rules_run(&cat, run, &run_reasons);
	return 0;
}

static int on_learner(void *ctx, const struct cp_run *run, struct cp_learner *l)
{
	enum cp_verdict v;
	struct cp_name_check c;

	(void)ctx;
	cp_learner_normalise(l);
	cp_reasons_clear(&reasons);
	v = cp_rules_check(&cat, run, &run_reasons, l, today, &reasons);
	/* a learner with a reason is never accepted */
	FUZZ_ASSERT(v != CP_ACCEPTED || reasons.n == 0);
	if (l->first_name)
		cp_utf8_name_check(l->first_name, &c);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cp_xml_init();
	schema = cp_xml_schema_load(CP_FUZZ_TOP "/config/results.xsd");
	if (!schema || cp_catalogue_load(&cat, CP_FUZZ_TOP "/fixtures/catalogue.xml",
					 CP_FUZZ_TOP "/config/catalogue.xsd") != 0 ||
	    !cp_date_parse("2026-11-23", &today))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write("results.xml", data, size);
	struct cp_results_handler h = { .run_start = on_run_start, .learner = on_learner };
	struct cp_xml_error err = { 0 };
	struct cp_screen sc;

	if (cp_screen_file(path, 1 << 20, &sc) != 0)
		return 0;
	FUZZ_ASSERT(cp_results_read(path, schema, &h, &err) >= 0);
	return 0;
}
