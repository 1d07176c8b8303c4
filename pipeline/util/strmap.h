/* A set of strings, each with a number (e.g. the line it was first seen
 * on): open addressing, grows by doubling. For the enrolments of one file. */
#ifndef CP_STRMAP_H
#define CP_STRMAP_H

#include <stddef.h>

struct cp_strmap {
	char **keys;
	long *values;
	size_t used, size;
};

/* If key is present return 1 and its value in *value; else add it with
 * value and return 0. */
int cp_strmap_add(struct cp_strmap *m, const char *key, long value, long *found);
void cp_strmap_release(struct cp_strmap *m);

#endif
