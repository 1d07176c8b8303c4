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

/* One reading of a batch file: what the nodes read so far have shown. */
struct reading {
	const char *path, *root;
	const struct cp_batchfile_handler *h;
	struct cp_xml_error err;
	xmlNodePtr end_node; /* a copy of <end>, once read */
	long learners;
};

/* A level-1 <course-run> opening (with its end too when it is empty) or
 * closing: the handler's calls, each made even after the other failed. */
static int course_run(struct reading *s, xmlTextReaderPtr r, int type)
{
	const struct cp_batchfile_handler *h = s->h;
	xmlNodePtr node = xmlTextReaderCurrentNode(r);
	int rc = 0;

	if (type == XML_READER_TYPE_ELEMENT) {
		if (h->run_start && h->run_start(h->ctx, node) < 0)
			rc = -1;
		if (xmlTextReaderIsEmptyElement(r) && h->run_end && h->run_end(h->ctx, node) < 0)
			rc = -1;
	} else if (h->run_end && h->run_end(h->ctx, node) < 0) {
		rc = -1;
	}
	return rc;
}

/* An element at level 1 or 2, read whole: the end marker, a learner or a
 * header element; *more as the reader's next sibling. -1 stops the file
 * (the reader left where it is when the element cannot be read). */
static int element(struct reading *s, xmlTextReaderPtr r, const char *name, int depth,
		   int *more)
{
	const struct cp_batchfile_handler *h = s->h;
	xmlNodePtr node;
	int rc = 0;

	if (s->end_node)
		return cp_error("%s: content after the end marker", s->path);
	node = xmlTextReaderExpand(r);
	if (!node) /* an element cut short: say where, never fail silently */
		return cp_error("%s:%ld: %s", s->path,
				s->err.line ? s->err.line : (long)xmlTextReaderGetParserLineNumber(r),
				s->err.message[0] ? s->err.message : "truncated inside an element");
	if (depth == 1 && !strcmp(name, "end")) {
		s->end_node = xmlCopyNode(node, 2);
	} else if (depth == 2 || !strcmp(name, "learner")) {
		if (!strcmp(name, "learner"))
			s->learners++;
		if (h->learner && h->learner(h->ctx, node) < 0)
			rc = -1;
	} else if (h->header && h->header(h->ctx, node) < 0) {
		rc = -1;
	}
	*more = xmlTextReaderNext(r);
	return rc;
}

/* The node the reader is at, and the reader moved on (*more as
 * xmlTextReaderRead says); 0, or -1 to stop the file. */
static int one_node(struct reading *s, xmlTextReaderPtr r, int *more)
{
	int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r), rc = 0;
	const char *name = (const char *)xmlTextReaderConstLocalName(r);

	if (type == XML_READER_TYPE_ELEMENT && depth == 0 && strcmp(name, s->root) != 0)
		return cp_error("%s: not a %s file (root '%s')", s->path, s->root, name);
	if ((type == XML_READER_TYPE_ELEMENT || type == XML_READER_TYPE_END_ELEMENT) &&
	    depth == 1 && !strcmp(name, "course-run"))
		rc = course_run(s, r, type);
	else if (type == XML_READER_TYPE_ELEMENT && (depth == 1 || depth == 2))
		return element(s, r, name, depth, more);
	*more = xmlTextReaderRead(r);
	return rc;
}

/* After the last node: the file read to its end, the end marker there and
 * its count the learners read. */
static int check_end(const struct reading *s, int more)
{
	long count;

	if (more < 0 || s->err.message[0])
		return cp_error("%s:%ld: %s", s->path, s->err.line,
				s->err.message[0] ? s->err.message : "cannot read");
	if (!s->end_node)
		return cp_error("%s: truncated: no end marker", s->path);
	if ((count = cp_node_attr_long(s->end_node, "count", -1)) != s->learners)
		return cp_error("%s: truncated: the end marker says %ld learners, the file has %ld",
				s->path, count, s->learners);
	return 0;
}

int cp_batchfile_read(const char *path, const char *root, const struct cp_batchfile_handler *h,
		      xmlNodePtr *end)
{
	struct reading s = { path, root, h, { 0, "" }, NULL, 0 };
	xmlTextReaderPtr r;
	int fd, rc = 0, more;

	if (end)
		*end = NULL;
	cp_xml_init();
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cp_error("%s: cannot open: %s", path, strerror(errno));
	cp_xml_errors_to(&s.err);
	r = xmlReaderForFd(fd, path, "UTF-8", CP_XML_PARSE_OPTIONS);
	if (!r) {
		close(fd);
		cp_xml_errors_to(NULL);
		return cp_error("%s: cannot read", path);
	}
	more = xmlTextReaderRead(r);
	while (more == 1 && rc == 0)
		rc = one_node(&s, r, &more);
	if (rc == 0)
		rc = check_end(&s, more);
	xmlFreeTextReader(r);
	close(fd);
	cp_xml_errors_to(NULL);
	if (rc == 0 && end)
		*end = s.end_node;
	else
		xmlFreeNode(s.end_node);
	return rc;
}
