/* The batch's manifest.csv of one centre's documents, as every centre zip's
 * (zipout.h: cp_manifest_row), into the pack folder. */
#include "pack.h"

#include <string.h>

#include "util/atomic.h"
#include "util/msg.h"
#include "zipout.h"
#include "util/banned.h"

struct rows {
	FILE *f;
	const char *centre;
};

static int row(void *ctx, const struct cp_batch_doc *d)
{
	struct rows *r = ctx;

	return strcmp(d->centre, r->centre) ? 0 : cp_manifest_row(r->f, d);
}

int cp_pack_manifest(struct cp_pack *p, const char *path)
{
	struct cp_atomic a;
	struct rows r;

	if (cp_atomic_open(&a, path, 0640) < 0)
		return -1;
	r.f = a.fp;
	r.centre = p->centre;
	cp_manifest_header(a.fp);
	if (cp_documents_chosen_each(p->reg, p->batch, false, row, &r) < 0) {
		cp_atomic_abort(&a);
		return -1;
	}
	return cp_atomic_commit(&a);
}
