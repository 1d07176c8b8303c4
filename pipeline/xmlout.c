/* A thin, error-accumulating wrapper over xmlTextWriter writing to a FILE. */
#include "xmlout.h"

#include <errno.h>
#include <string.h>

#include "util/banned.h"

/* A failed write is remembered here rather than returned: libxml2 would
 * report it through its global error handler, where it would be taken for
 * an error in the input being read at the same time. */
static int write_cb(void *ctx, const char *buf, int len)
{
	struct cp_xmlout *x = ctx;

	if (len > 0 && fwrite(buf, 1, (size_t)len, x->fp) != (size_t)len) {
		if (!x->failed)
			x->err = errno;
		x->failed = 1;
	}
	return len;
}

static int close_cb(void *ctx)
{
	(void)ctx;
	return 0;
}

#define X(s) ((const xmlChar *)(s))

int cp_xmlout_open(struct cp_xmlout *x, FILE *fp)
{
	xmlOutputBufferPtr out;

	memset(x, 0, sizeof(*x));
	x->fp = fp;
	out = xmlOutputBufferCreateIO(write_cb, close_cb, x, NULL);
	if (!out || !(x->w = xmlNewTextWriter(out))) {
		if (out)
			xmlOutputBufferClose(out);
		x->failed = 1;
		return -1;
	}
	xmlTextWriterSetIndent(x->w, 1);
	xmlTextWriterSetIndentString(x->w, X(" "));
	if (xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL) < 0)
		x->failed = 1;
	return x->failed ? -1 : 0;
}

int cp_xmlout_create(struct cp_xmlout *x, struct cp_atomic *a, const char *path,
		     const char *root, const char *batch)
{
	if (cp_atomic_open(a, path, 0640) < 0)
		return -1;
	cp_xmlout_open(x, a->fp);
	cp_xmlout_start(x, root);
	cp_xmlout_attr(x, "xmlns", CP_BATCH_NS);
	cp_xmlout_attr(x, "batch", batch);
	return 0;
}

void cp_xmlout_start(struct cp_xmlout *x, const char *element)
{
	if (!x->failed && xmlTextWriterStartElement(x->w, X(element)) < 0)
		x->failed = 1;
}

void cp_xmlout_attr(struct cp_xmlout *x, const char *name, const char *value)
{
	if (!x->failed && xmlTextWriterWriteAttribute(x->w, X(name), X(value ? value : "")) < 0)
		x->failed = 1;
}

void cp_xmlout_attr_opt(struct cp_xmlout *x, const char *name, const char *value)
{
	if (value)
		cp_xmlout_attr(x, name, value);
}

void cp_xmlout_attr_long(struct cp_xmlout *x, const char *name, long value)
{
	if (!x->failed && xmlTextWriterWriteFormatAttribute(x->w, X(name), "%ld", value) < 0)
		x->failed = 1;
}

void cp_xmlout_text_element(struct cp_xmlout *x, const char *element, const char *text)
{
	if (!x->failed &&
	    xmlTextWriterWriteElement(x->w, X(element), X(text ? text : "")) < 0)
		x->failed = 1;
}

void cp_xmlout_end(struct cp_xmlout *x)
{
	if (!x->failed && xmlTextWriterEndElement(x->w) < 0)
		x->failed = 1;
}

void cp_xmlout_start_copy(struct cp_xmlout *x, xmlNodePtr node)
{
	cp_xmlout_start(x, (const char *)node->name);
	for (xmlAttrPtr a = node->properties; a; a = a->next) {
		xmlChar *v = xmlNodeListGetString(node->doc, a->children, 1);

		cp_xmlout_attr(x, (const char *)a->name, (const char *)v);
		xmlFree(v);
	}
}

void cp_xmlout_strip_blanks(xmlNodePtr node)
{
	xmlNodePtr c = node->children, next;

	for (; c; c = next) {
		next = c->next;
		if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		} else if (c->type == XML_ELEMENT_NODE) {
			cp_xmlout_strip_blanks(c);
		}
	}
}

void cp_xmlout_node(struct cp_xmlout *x, xmlNodePtr node)
{
	xmlBufferPtr buf;

	if (x->failed)
		return;
	buf = xmlBufferCreate();
	if (!buf || xmlNodeDump(buf, node->doc, node, 1, 1) < 0 ||
	    xmlTextWriterWriteRaw(x->w, X("\n ")) < 0 ||
	    xmlTextWriterWriteRaw(x->w, xmlBufferContent(buf)) < 0)
		x->failed = 1;
	xmlBufferFree(buf);
}

int cp_xmlout_finish(struct cp_xmlout *x)
{
	if (x->w) {
		if (!x->failed && xmlTextWriterEndDocument(x->w) < 0)
			x->failed = 1;
		if (!x->failed && xmlTextWriterFlush(x->w) < 0)
			x->failed = 1;
		xmlFreeTextWriter(x->w);
		x->w = NULL;
	}
	if (x->failed)
		errno = x->err ? x->err : EIO;
	return x->failed ? -1 : 0;
}
