/* libxml2 set up for hostile input, in one place: no entity is ever loaded
 * from outside (only the schemas this program names), no network, no
 * entity substitution, default limits kept, libxml2's own messages captured
 * instead of printed. */
#ifndef CP_XML_H
#define CP_XML_H

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

/* Options for every parse of outside input: never NOENT, DTDLOAD or HUGE.
 * Never NOCDATA either: with a schema plugged into a reader
 * (xmlTextReaderSetSchema), libxml2 2.9.14 then checks a CDATA section's
 * text against the schema and never hands it to the reader, so
 * "Win<![CDATA[bery]]>" read as "Win". CDATA sections stay nodes of their
 * own, and every value is read with cp_xml_text. */
#define CP_XML_PARSE_OPTIONS (XML_PARSE_NONET)

/* The first error libxml2 reported, with its line. */
struct cp_xml_error {
	long line;
	char message[256];
};

/* Call once before any other libxml2 use. */
void cp_xml_init(void);
/* Load and compile an XML Schema; NULL with a message naming the file. */
xmlSchemaPtr cp_xml_schema_load(const char *path);
/* Send libxml2's global errors to err (first one kept) until the matching
 * cp_xml_errors_to(NULL), which gives them back to the target before (or
 * nowhere). Every call with a target has its NULL on every path. */
void cp_xml_errors_to(struct cp_xml_error *err);
/* Capture errors from a parser or validator into err (first one kept). */
void cp_xml_capture(void *err, xmlErrorPtr e);
/* libxml2's message cleaned for a single line: trailing newline removed,
 * "Element '{urn:...}name'" shortened to "element 'name'". */
void cp_xml_error_set(struct cp_xml_error *err, long line, const char *message);
void cp_xml_error_set_prefixed(struct cp_xml_error *err, long line, const char *prefix,
			       const char *message);

/* The whole text of an element or an attribute (cast to xmlNodePtr): its
 * text and CDATA children one after another, character references already
 * in them. Comments and processing instructions are not text
 * ("Win<!-- x -->bery" is "Winbery"), nor is the text of child elements.
 * The children are merged into the first of them in place, so the string
 * belongs to the node (valid while it lives, no copy); "" when there is no
 * text, NULL for NULL. Every value certpress reads from a tree is read with
 * this: the first child alone loses whatever follows a CDATA section, a
 * comment or a character reference that splits the text. */
const char *cp_xml_text(xmlNodePtr n);

#endif
