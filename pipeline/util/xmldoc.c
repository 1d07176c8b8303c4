/* Reading an outside XML file whole: screen, parse by descriptor (the
 * refusing entity loader would turn a path away), validate. The catalogue,
 * the centres register and the confirmation share it. */
#include "util/xmldoc.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "util/exitcode.h"
#include "util/msg.h"
#include "util/screen.h"
#include "util/xalloc.h"
#include "util/xml.h"
#include "util/banned.h"

int cp_xmldoc_load(const char *path, off_t max_bytes, const char *schema_path,
		   const char *what, int bad, xmlDocPtr *doc)
{
	struct cp_xml_error err = { 0, "" };
	struct cp_screen sc;
	xmlSchemaValidCtxtPtr vc = NULL;
	xmlSchemaPtr schema = NULL;
	xmlParserCtxtPtr pc = NULL;
	int rc = bad, s, fd;

	*doc = NULL;
	cp_xml_init();
	if (access(path, R_OK) < 0) {
		cp_error("%s: cannot read the %s: %s", path, what, strerror(errno));
		return CP_EX_NOINPUT;
	}
	s = cp_screen_file(path, max_bytes, &sc);
	if (s < 0)
		return CP_EX_NOINPUT;
	if (s > 0) {
		cp_error("%s:%ld: %s", path, sc.line, sc.reason);
		return bad;
	}
	if (!(schema = cp_xml_schema_load(schema_path)))
		return CP_EX_CONFIG;
	if (!(pc = xmlNewParserCtxt()))
		cp_bug("out of memory");
	cp_xml_errors_to(&err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	*doc = fd < 0 ? NULL : xmlCtxtReadFd(pc, fd, path, "UTF-8", CP_XML_PARSE_OPTIONS);
	if (fd >= 0)
		close(fd);
	if (!*doc) {
		cp_error("%s:%ld: not well-formed XML: %s", path, err.line, err.message);
		goto out;
	}
	vc = xmlSchemaNewValidCtxt(schema);
	xmlSchemaSetValidStructuredErrors(vc, cp_xml_capture, &err);
	if (xmlSchemaValidateDoc(vc, *doc) != 0) {
		cp_error("%s:%ld: not a valid %s: %s", path, err.line, what, err.message);
		goto out;
	}
	rc = 0;
out:
	cp_xml_errors_to(NULL);
	if (vc)
		xmlSchemaFreeValidCtxt(vc);
	xmlFreeParserCtxt(pc);
	xmlSchemaFree(schema);
	if (rc != 0) {
		xmlFreeDoc(*doc);
		*doc = NULL;
	}
	return rc;
}

char *cp_xmldoc_attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s = v ? cp_xstrdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

int cp_xmldoc_is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, (const xmlChar *)name) == 0;
}

long cp_xmldoc_line(xmlNodePtr n)
{
	return (long)xmlGetLineNo(n);
}
