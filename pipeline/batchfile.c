/* Stage file reader over xmlTextReader with Expand, trusting nothing about
 * the file's completeness: the trailer must be there and must agree. */
#include "batchfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/msg.h"
#include "util/xml.h"
#include "util/banned.h"

#define X(s) ((const xmlChar *)(s))

const char *cp_node_attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a = n ? xmlHasProp(n, X(name)) : NULL;

	return a ? cp_xml_text((xmlNodePtr)a) : NULL;
}

long cp_node_attr_long(xmlNodePtr n, const char *name, long fallback)
{
	const char *v = cp_node_attr(n, name);
	char *end;
	long l;

	if (!v)
		return fallback;
	l = strtol(v, &end, 10);
	return *end || end == v ? fallback : l;
}

xmlNodePtr cp_node_child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, X(name)))
			return c;
	return NULL;
}

const char *cp_node_text(xmlNodePtr n, const char *name)
{
	return cp_xml_text(cp_node_child(n, name));
}

int cp_batchfile_read(const char *path, const char *root, const struct cp_batchfile_handler *h,
		      xmlNodePtr *end)
{
	struct cp_xml_error err = { 0, "" };
	xmlTextReaderPtr r;
	xmlNodePtr end_node = NULL;
	long learners = 0;
	int fd, rc = 0, more;

	if (end)
		*end = NULL;
	cp_xml_init();
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cp_error("%s: cannot open: %s", path, strerror(errno));
	cp_xml_errors_to(&err);
	r = xmlReaderForFd(fd, path, "UTF-8", CP_XML_PARSE_OPTIONS);
	if (!r) {
		close(fd);
		cp_xml_errors_to(NULL);
		return cp_error("%s: cannot read", path);
	}
	more = xmlTextReaderRead(r);
	while (more == 1 && rc == 0) {
		int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		xmlNodePtr node;

		if (type == XML_READER_TYPE_ELEMENT && depth == 0 && strcmp(name, root) != 0) {
			rc = cp_error("%s: not a %s file (root '%s')", path, root, name);
			break;
		}
		if (type == XML_READER_TYPE_ELEMENT && depth == 1 && !strcmp(name, "course-run")) {
			node = xmlTextReaderCurrentNode(r);
			if (h->run_start && h->run_start(h->ctx, node) < 0)
				rc = -1;
			if (xmlTextReaderIsEmptyElement(r) && h->run_end && h->run_end(h->ctx, node) < 0)
				rc = -1;
			more = xmlTextReaderRead(r);
			continue;
		}
		if (type == XML_READER_TYPE_END_ELEMENT && depth == 1 &&
		    !strcmp(name, "course-run")) {
			if (h->run_end && h->run_end(h->ctx, xmlTextReaderCurrentNode(r)) < 0)
				rc = -1;
			more = xmlTextReaderRead(r);
			continue;
		}
		if (type == XML_READER_TYPE_ELEMENT && (depth == 1 || depth == 2)) {
			if (end_node) {
				rc = cp_error("%s: content after the end marker", path);
				break;
			}
			node = xmlTextReaderExpand(r);
			if (!node) { /* an element cut short: say where, never fail silently */
				rc = cp_error("%s:%ld: %s", path,
					      err.line ? err.line : (long)xmlTextReaderGetParserLineNumber(r),
					      err.message[0] ? err.message : "truncated inside an element");
				break;
			}
			if (depth == 1 && !strcmp(name, "end"))
				end_node = xmlCopyNode(node, 2);
			else if (depth == 2 || !strcmp(name, "learner")) {
				if (!strcmp(name, "learner"))
					learners++;
				if (h->learner && h->learner(h->ctx, node) < 0)
					rc = -1;
			} else if (h->header && h->header(h->ctx, node) < 0) {
				rc = -1;
			}
			more = xmlTextReaderNext(r);
			continue;
		}
		more = xmlTextReaderRead(r);
	}
	if (rc == 0 && (more < 0 || err.message[0]))
		rc = cp_error("%s:%ld: %s", path, err.line,
			      err.message[0] ? err.message : "cannot read");
	if (rc == 0 && !end_node)
		rc = cp_error("%s: truncated: no end marker", path);
	if (rc == 0 && cp_node_attr_long(end_node, "count", -1) != learners)
		rc = cp_error("%s: truncated: the end marker says %ld learners, the file has %ld",
			      path, cp_node_attr_long(end_node, "count", -1), learners);
	xmlFreeTextReader(r);
	close(fd);
	cp_xml_errors_to(NULL);
	if (rc == 0 && end)
		*end = end_node;
	else
		xmlFreeNode(end_node);
	return rc;
}
