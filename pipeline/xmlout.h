/* Writing the pipeline's own XML files (stage outputs) with libxml2's text
 * writer into an atomic output. Calls after the first failure do nothing;
 * cp_xmlout_finish reports whether every call succeeded. */
#ifndef CP_XMLOUT_H
#define CP_XMLOUT_H

#include <libxml/xmlwriter.h>
#include <stdio.h>

#include "util/atomic.h"

/* The namespace of the batch files (accepted.xml ... notified.xml). */
#define CP_BATCH_NS "urn:certpress:batch:1"

struct cp_xmlout {
	xmlTextWriterPtr w;
	FILE *fp;
	int failed;
	int err; /* errno of the first failed write */
};

/* Start a document on fp (not closed here), indented for people. The struct
 * must stay where it is until cp_xmlout_finish. */
int cp_xmlout_open(struct cp_xmlout *x, FILE *fp);
/* A batch file begun: an atomic output at path (mode 0640) into *a, a
 * document on it, and its root element in CP_BATCH_NS with the batch
 * attribute. 0, or -1 after a message (nothing is made). */
int cp_xmlout_create(struct cp_xmlout *x, struct cp_atomic *a, const char *path,
		     const char *root, const char *batch);
void cp_xmlout_start(struct cp_xmlout *x, const char *element);
void cp_xmlout_attr(struct cp_xmlout *x, const char *name, const char *value);
/* An attribute only if value is not NULL. */
void cp_xmlout_attr_opt(struct cp_xmlout *x, const char *name, const char *value);
void cp_xmlout_attr_long(struct cp_xmlout *x, const char *name, long value);
/* <element>text</element> */
void cp_xmlout_text_element(struct cp_xmlout *x, const char *element, const char *text);
void cp_xmlout_end(struct cp_xmlout *x);
/* Start an element with the name and attributes of node (not its children). */
void cp_xmlout_start_copy(struct cp_xmlout *x, xmlNodePtr node);
/* Remove the white-space-only text between elements of a subtree, so that
 * cp_xmlout_node can indent it evenly. */
void cp_xmlout_strip_blanks(xmlNodePtr node);
/* Copy an element (and its subtree) as it is. */
void cp_xmlout_node(struct cp_xmlout *x, xmlNodePtr node);
/* End the document and free the writer: 0 if every call succeeded, else -1
 * with errno that of the first write that failed (ENOSPC, EFBIG, EIO...). */
int cp_xmlout_finish(struct cp_xmlout *x);

#endif
