/* Reading an outside XML file whole: screen, parse by descriptor (the
 * refusing entity loader would turn a path away), validate. The catalogue,
 * the centres register and the confirmation share it. */
#include "util/xmldoc.h"

#include <errno.h>
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
	/* One descriptor, screened and then parsed: what was screened is what
	 * is read (a FIFO or a device is refused, never waited on). */
	fd = cp_screen_open(path, true, &sc);
	if (fd == CP_SCREEN_REFUSED) {
		cp_error("%s: cannot read the %s: %s", path, what, sc.reason);
		return bad;
	}
	if (fd < 0) {
		cp_error("%s: cannot read the %s: %s", path, what, strerror(errno));
		return CP_EX_NOINPUT;
	}
	s = cp_screen_fd(fd, path, max_bytes, &sc, NULL);
	if (s == 0 && lseek(fd, 0, SEEK_SET) < 0)
		s = cp_error("%s: cannot read the %s: %s", path, what, strerror(errno));
	if (s != 0) {
		close(fd);
		if (s < 0)
			return CP_EX_NOINPUT;
		if (sc.line > 0)
			cp_error("%s:%ld: %s", path, sc.line, sc.reason);
		else
			cp_error("%s: cannot read the %s: %s", path, what, sc.reason);
		return bad;
	}
	if (!(schema = cp_xml_schema_load(schema_path))) {
		close(fd);
		return CP_EX_CONFIG;
	}
	if (!(pc = xmlNewParserCtxt()))
		cp_bug("out of memory");
	cp_xml_errors_to(&err);
	*doc = xmlCtxtReadFd(pc, fd, path, "UTF-8", CP_XML_PARSE_OPTIONS);
	close(fd);
	if (!*doc) {
		/* the captured message says "not well-formed XML" itself */
		cp_error("%s:%ld: %s", path, err.line, err.message);
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
