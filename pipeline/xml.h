/* libxml2 set up for hostile input, in one place: no entity is ever loaded
 * from outside (only the schemas this program names), no network, no
 * entity substitution, default limits kept, libxml2's own messages captured
 * instead of printed. */
#ifndef CP_XML_H
#define CP_XML_H

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

/* Options for every parse of outside input: never NOENT, DTDLOAD or HUGE. */
#define CP_XML_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA)

/* The first error libxml2 reported, with its line. */
struct cp_xml_error {
	long line;
	char message[256];
};

/* Call once before any other libxml2 use. */
void cp_xml_init(void);
/* Load and compile an XML Schema; NULL with a message naming the file. */
xmlSchemaPtr cp_xml_schema_load(const char *path);
/* Send libxml2's global errors to err (first one kept), or nowhere if NULL. */
void cp_xml_errors_to(struct cp_xml_error *err);
/* Capture errors from a parser or validator into err (first one kept). */
void cp_xml_capture(void *err, xmlErrorPtr e);
/* libxml2's message cleaned for a single line: trailing newline removed,
 * "Element '{urn:...}name'" shortened to "element 'name'". */
void cp_xml_error_set(struct cp_xml_error *err, long line, const char *message);
void cp_xml_error_set_prefixed(struct cp_xml_error *err, long line, const char *prefix,
			       const char *message);

#endif
