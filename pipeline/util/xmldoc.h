/* An outside XML file read whole into a tree, the one way the catalogue,
 * the centres register and the printing house's confirmation are read:
 * screened first (size, NUL, UTF-8, no DOCTYPE or ENTITY: no XXE, no entity
 * bomb), parsed by descriptor with the hardened options, validated against
 * its schema, every failure a message naming the file and line. */
#ifndef CP_XMLDOC_H
#define CP_XMLDOC_H

#include <libxml/tree.h>
#include <sys/types.h>

/* The file at path, of at most max_bytes, valid against schema_path; what
 * names the kind of file in messages ("catalogue", "confirmation"). 0 and
 * *doc (xmlFreeDoc it); else a sysexits code with a message: 66 it cannot
 * be read, bad the code for a refused file (65 for data, 78 for a
 * configuration file), 78 the schema cannot be loaded. */
int cp_xmldoc_load(const char *path, off_t max_bytes, const char *schema_path,
		   const char *what, int bad, xmlDocPtr *doc);

/* An attribute as a copy (free it), NULL if absent. */
char *cp_xmldoc_attr(xmlNodePtr n, const char *name);
/* Whether n is the element name. */
int cp_xmldoc_is(xmlNodePtr n, const char *name);
/* The line of n, for messages. */
long cp_xmldoc_line(xmlNodePtr n);

#endif
