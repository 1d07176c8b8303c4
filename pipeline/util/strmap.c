/* String set with a value per key (FNV-1a, linear probing). */
#include "util/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static void grow(struct cp_strmap *m)
{
	size_t size = m->size ? m->size * 2 : 1024;
	char **keys = cp_xcalloc(size, sizeof(*keys));
	long *values = cp_xcalloc(size, sizeof(*values));

	for (size_t i = 0; i < m->size; i++) {
		size_t j;

		if (!m->keys[i])
			continue;
		for (j = hash(m->keys[i]) & (size - 1); keys[j]; j = (j + 1) & (size - 1))
			;
		keys[j] = m->keys[i];
		values[j] = m->values[i];
	}
	free(m->keys);
	free(m->values);
	m->keys = keys;
	m->values = values;
	m->size = size;
}

int cp_strmap_add(struct cp_strmap *m, const char *key, long value, long *found)
{
	size_t i;

	if ((m->used + 1) * 2 > m->size)
		grow(m);
	for (i = hash(key) & (m->size - 1); m->keys[i]; i = (i + 1) & (m->size - 1))
		if (strcmp(m->keys[i], key) == 0) {
			if (found)
				*found = m->values[i];
			return 1;
		}
	m->keys[i] = cp_xstrdup(key);
	m->values[i] = value;
	m->used++;
	return 0;
}

void cp_strmap_release(struct cp_strmap *m)
{
	for (size_t i = 0; i < m->size; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
}
