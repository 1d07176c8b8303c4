/* The centres register ([certpress] centres, config/centres.xsd): each
 * centre's delivery address and method, read whole and checked like the
 * catalogue (util/xmldoc), errors naming the file and line. Pack reads it
 * for the print file's consignments, status for the consignments held. */
#ifndef CP_CENTRES_H
#define CP_CENTRES_H

#include <stddef.h>

struct cp_centre {
	char *number, *name, *delivery;
	char *email;   /* NULL: the register gives none */
	char *address; /* its lines, each ending in "\n" */
	long line;
};

struct cp_centres {
	struct cp_centre *c; /* by number */
	size_t n;
	char *path;          /* NULL: no register configured */
};

/* Load the register at path (NULL: none, an empty register) against
 * schema_path. 0, or a sysexits code with a message (66 unreadable, 78
 * not valid, a centre listed twice, or an email address notify could not
 * send to). */
int cp_centres_load(struct cp_centres *cs, const char *path, const char *schema_path);
void cp_centres_release(struct cp_centres *cs);
/* The centre number's entry, or NULL if the register has none. */
const struct cp_centre *cp_centres_find(const struct cp_centres *cs, const char *number);

#endif
