/* The little JSON that --json output needs: escaped strings. */
#ifndef CP_JSON_H
#define CP_JSON_H

#include <stdio.h>

/* Write s as a JSON string ("null" if s is NULL). */
void cp_json_str(FILE *f, const char *s);
/* Write "key": value-string, with a leading comma unless first. */
void cp_json_field(FILE *f, int *first, const char *key, const char *value);

#endif
