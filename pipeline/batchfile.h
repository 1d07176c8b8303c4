/* Reading the pipeline's own stage files (accepted.xml, assigned.xml, ...):
 * streamed, each learner handed over as a small expanded subtree and freed
 * after, and a file whose closing <end count="N"/> is missing or does not
 * match the learners read is refused as truncated. */
#ifndef CP_BATCHFILE_H
#define CP_BATCHFILE_H

#include <libxml/tree.h>

struct cp_batchfile_handler {
	void *ctx;
	/* Elements directly under the root other than course-run and end
	 * (submission, centre...), expanded. */
	int (*header)(void *ctx, xmlNodePtr node);
	/* A course run's start tag (attributes only) and its end. */
	int (*run_start)(void *ctx, xmlNodePtr run);
	int (*run_end)(void *ctx, xmlNodePtr run);
	/* A learner (or another element inside a course run), expanded. */
	int (*learner)(void *ctx, xmlNodePtr node);
};

/* Read path, whose root element must be root. Callbacks return 0 to go on,
 * -1 to stop. Returns 0, or -1 after a message naming file and line. On
 * success *end (if not NULL) is the <end> element's attributes copied into
 * a node the caller frees with xmlFreeNode. */
int cp_batchfile_read(const char *path, const char *root, const struct cp_batchfile_handler *h,
		      xmlNodePtr *end);

/* An attribute's whole value (cp_xml_text), or NULL; no copy (valid while
 * the node lives). */
const char *cp_node_attr(xmlNodePtr n, const char *name);
/* The first child element called name, or NULL. */
xmlNodePtr cp_node_child(xmlNodePtr n, const char *name);
/* The whole text (cp_xml_text) of the first child element called name, or
 * NULL; no copy. */
const char *cp_node_text(xmlNodePtr n, const char *name);
/* An attribute as a long, or fallback. */
long cp_node_attr_long(xmlNodePtr n, const char *name, long fallback);

#endif
