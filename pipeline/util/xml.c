/* libxml2 hardening: an external entity loader that refuses everything but
 * the schemas being compiled, and error capture instead of stderr noise. */
#include "util/xml.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "util/readfile.h"
#include "util/banned.h"

static int loading_schema;
static xmlExternalEntityLoader default_loader;

static xmlParserInputPtr refusing_loader(const char *url, const char *id,
					 xmlParserCtxtPtr ctxt)
{
	if (loading_schema && default_loader && url && !strstr(url, "://"))
		return default_loader(url, id, ctxt);
	return NULL;
}

static void quiet(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

void cp_xml_init(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	xmlInitParser();
	default_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(refusing_loader);
	xmlSetStructuredErrorFunc(NULL, quiet);
}

/* Targets nest: a parse started inside another's callback (a template
 * loaded while the results file streams) must hand the errors back to the
 * outer one when it ends, or the outer file's errors are lost. */
static struct cp_xml_error *targets[8];
static int ntargets;

void cp_xml_errors_to(struct cp_xml_error *err)
{
	if (err) {
		if (ntargets == (int)(sizeof(targets) / sizeof(*targets)))
			cp_bug("XML parses nested too deeply");
		targets[ntargets++] = err;
	} else if (ntargets > 0) {
		ntargets--;
	}
	if (ntargets)
		xmlSetStructuredErrorFunc(targets[ntargets - 1], cp_xml_capture);
	else
		xmlSetStructuredErrorFunc(NULL, quiet);
}

void cp_xml_error_set(struct cp_xml_error *err, long line, const char *message)
{
	cp_xml_error_set_prefixed(err, line, "", message);
}

void cp_xml_error_set_prefixed(struct cp_xml_error *err, long line, const char *prefix,
			       const char *message)
{
	char clean[sizeof(err->message)];
	const char *m = message ? message : "error";
	size_t o = 0;

	if (err->message[0])
		return;
	/* "Element '{urn:certpress:results:1}learner'" -> "element 'learner'" */
	while (*m && o + 1 < sizeof(clean)) {
		if (*m == '{' && (!strncmp(m, "{urn:", 5) || !strncmp(m, "{http", 5))) {
			const char *close = strchr(m, '}');

			if (close) {
				m = close + 1;
				continue;
			}
		}
		if (*m == '\n') {
			m++;
			continue;
		}
		clean[o++] = *m++;
	}
	clean[o] = '\0';
	if (strncmp(clean, "Element ", 8) == 0)
		clean[0] = 'e';
	snprintf(err->message, sizeof(err->message), "%s%s", prefix, clean);
	err->line = line;
}

void cp_xml_capture(void *arg, xmlErrorPtr e)
{
	struct cp_xml_error *err = arg;

	const char *prefix = "";

	if (!e || e->level < XML_ERR_ERROR)
		return;
	if (e->domain == XML_FROM_SCHEMASV)
		prefix = "not valid: ";
	else if (e->domain == XML_FROM_PARSER || e->domain == XML_FROM_IO ||
		 e->domain == XML_FROM_NAMESPACE)
		prefix = "not well-formed XML: ";
	cp_xml_error_set_prefixed(err, e->line, prefix, e->message);
}

xmlSchemaPtr cp_xml_schema_load(const char *path)
{
	struct cp_xml_error err = { 0, "" };
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema;
	char *text;
	size_t len;

	cp_xml_init();
	/* read as every operator's file is: a FIFO or a device is refused,
	 * never waited on, and at most 4 MB (the schemas include nothing) */
	if (cp_read_text_file(path, "schema", 4 << 20, &text, &len) < 0)
		return NULL;
	pc = xmlSchemaNewMemParserCtxt(text, (int)len);
	if (!pc) {
		free(text);
		cp_error("%s: cannot read the schema", path);
		return NULL;
	}
	xmlSchemaSetParserStructuredErrors(pc, cp_xml_capture, &err);
	loading_schema = 1;
	schema = xmlSchemaParse(pc);
	loading_schema = 0;
	xmlSchemaFreeParserCtxt(pc);
	free(text);
	if (!schema)
		cp_error("%s:%ld: cannot compile the schema: %s", path, err.line,
			 err.message[0] ? err.message : "unreadable");
	return schema;
}

static bool is_text(xmlNodePtr c)
{
	return c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE;
}

const char *cp_xml_text(xmlNodePtr n)
{
	xmlNodePtr first = NULL, c, next;

	if (!n)
		return NULL;
	for (c = n->children; c; c = next) {
		next = c->next;
		if (!is_text(c))
			continue;
		if (!first) {
			first = c;
			continue;
		}
		if (c->content)
			xmlNodeAddContent(first, c->content);
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	return first && first->content ? (const char *)first->content : "";
}
