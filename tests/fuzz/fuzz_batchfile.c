/* The pipeline's batch-file reader (pipeline/batchfile.c) as the fill of
 * old batches uses it (pipeline/certpress/fill.c: the units of each
 * learner of an assigned.xml, the digests of each document of a
 * rendered.xml, for batches assigned before the registry kept them; files
 * that may have lain in the spool for years, edited or damaged): any
 * bytes as an assigned.xml and as a rendered.xml, each learner's values
 * read as fill reads them (cp_node_attr, cp_node_text, cp_node_attr_long).
 * What must hold: a file read whole has its end marker, and its count is
 * the learners handed over; every value read is valid UTF-8. */
#include "fuzz.h"

#include "batchfile.h"
#include "util/utf8.h"

static void value_ok(const char *s)
{
	FUZZ_ASSERT(!s || cp_utf8_valid(s, strlen(s)));
}

static int on_learner(void *ctx, xmlNodePtr l)
{
	long *learners = ctx;

	if (!xmlStrcmp(l->name, (const xmlChar *)"learner"))
		++*learners;
	(void)cp_node_attr_long(l, "award-id", 0);
	for (xmlNodePtr u = l->children; u; u = u->next) {
		if (u->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrcmp(u->name, (const xmlChar *)"unit")) {
			value_ok(cp_node_attr(u, "ref"));
			value_ok(cp_node_text(u, "title"));
			value_ok(cp_node_attr(u, "grade"));
			(void)cp_node_attr_long(u, "level", 0);
			(void)cp_node_attr_long(u, "credits", 0);
		} else if (!xmlStrcmp(u->name, (const xmlChar *)"document")) {
			value_ok(cp_node_attr(u, "reference"));
			value_ok(cp_node_attr(u, "digital-sha256"));
		}
	}
	return 0;
}

static int on_header(void *ctx, xmlNodePtr n)
{
	(void)ctx;
	value_ok(cp_node_attr(n, "id"));
	return 0;
}

static void read_as(const char *name, const char *root, const uint8_t *data, size_t size)
{
	long learners = 0;
	struct cp_batchfile_handler h = { &learners, on_header, NULL, NULL, on_learner };
	const char *path = fuzz_write(name, data, size);
	xmlNodePtr end = NULL;

	if (cp_batchfile_read(path, root, &h, &end) == 0) {
		FUZZ_ASSERT(end != NULL);
		FUZZ_ASSERT(cp_node_attr_long(end, "count", -1) == learners);
		xmlFreeNode(end);
	} else {
		FUZZ_ASSERT(end == NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_as("assigned.xml", "assigned", data, size);
	read_as("rendered.xml", "rendered", data, size);
	return 0;
}
