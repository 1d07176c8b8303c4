/* What the harnesses of schema-checked files share: the input's verdict by
 * libxml2 and the schema alone, to hold certpress's own reading against. */
#ifndef CP_FUZZ_XML_H
#define CP_FUZZ_XML_H

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdint.h>

#include "util/xml.h"

static void fuzz_xml_ignore(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

/* The bytes read by libxml2 alone (as name) and valid against schema: the
 * tree (the caller frees it), else NULL. Nothing is said of either. */
static inline xmlDocPtr fuzz_schema_valid(xmlSchemaPtr schema, const char *name,
					  const uint8_t *data, size_t size)
{
	xmlDocPtr doc;
	xmlSchemaValidCtxtPtr vc;
	int rc = 1;

	xmlSetStructuredErrorFunc(NULL, fuzz_xml_ignore);
	doc = xmlReadMemory((const char *)data, (int)size, name, "UTF-8", CP_XML_PARSE_OPTIONS);
	if (doc) {
		vc = xmlSchemaNewValidCtxt(schema);
		xmlSchemaSetValidStructuredErrors(vc, fuzz_xml_ignore, NULL);
		rc = xmlSchemaValidateDoc(vc, doc);
		xmlSchemaFreeValidCtxt(vc);
	}
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (rc != 0) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

#endif
