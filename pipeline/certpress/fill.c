/* The units and digital copies' digests of batches assigned before the
 * registry kept them (schema version 5 lists them in fill_pending): read
 * once from each batch's assigned.xml and rendered.xml where those still
 * exist, a batch a transaction, then taken off the list. */
#include "cmd.h"

#include <string.h>
#include <unistd.h>

#include "awardunits.h"
#include "batchfile.h"
#include "spool.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct fill {
	struct cp_cmd_env *e;
	struct cp_spool spool;
	const char *batch;
	long units, digests;
};

static int on_assigned(void *ctx, xmlNodePtr l)
{
	struct fill *f = ctx;
	long long award = cp_node_attr_long(l, "award-id", 0);
	long got;
	int mine;

	if (xmlStrcmp(l->name, (const xmlChar *)"learner") || award <= 0)
		return 0;
	/* an award render withdrew is gone from the registry */
	if ((mine = cp_registry_award_of_batch(&f->e->reg, award, f->batch)) <= 0)
		return mine;
	if ((got = cp_award_units_record(&f->e->reg, award, l)) < 0)
		return -1;
	f->units += got;
	return 0;
}

static int on_rendered(void *ctx, xmlNodePtr l)
{
	struct fill *f = ctx;

	for (xmlNodePtr d = l->children; d; d = d->next) {
		const char *ref, *sha;

		if (d->type != XML_ELEMENT_NODE || xmlStrcmp(d->name, (const xmlChar *)"document"))
			continue;
		ref = cp_node_attr(d, "reference");
		sha = cp_node_attr(d, "digital-sha256");
		if (ref && sha) {
			if (cp_document_set_digest(&f->e->reg, ref, sha) < 0)
				return -1;
			f->digests++;
		}
	}
	return 0;
}

/* One file of the batch through handler fn, if it is there. */
static int read_file(struct fill *f, const char *name, const char *root,
		     int (*fn)(void *, xmlNodePtr))
{
	struct cp_batchfile_handler h = { f, NULL, NULL, NULL, fn };
	char *path = cp_spool_batch_file(&f->spool, f->batch, name);
	int rc = 0;

	if (access(path, F_OK) == 0)
		rc = cp_batchfile_read(path, root, &h, NULL);
	free(path);
	return rc;
}

static int fill_batch(void *ctx, const char *batch)
{
	struct fill *f = ctx;

	f->batch = batch;
	if (!cp_batch_id_valid(batch))
		return cp_fill_done(&f->e->reg, batch);
	if (cp_registry_begin(&f->e->reg) < 0)
		return -1;
	if (read_file(f, "assigned.xml", "assigned", on_assigned) < 0 ||
	    read_file(f, "rendered.xml", "rendered", on_rendered) < 0 ||
	    cp_fill_done(&f->e->reg, batch) < 0 || cp_registry_commit(&f->e->reg) < 0) {
		cp_registry_rollback(&f->e->reg);
		return cp_error("batch %s: its units and digests are not in the registry yet: "
				"the next command tries again", batch);
	}
	return 0;
}

int cp_fill_old_batches(struct cp_cmd_env *e)
{
	struct fill f = { .e = e };
	int rc;

	cp_spool_names(&f.spool, &e->conf);
	rc = cp_fill_pending_each(&e->reg, fill_batch, &f);
	if (f.units || f.digests)
		cp_info("registry: %ld units and %ld digital copies' digests read from the batches "
			"assigned before it kept them", f.units, f.digests);
	cp_spool_release(&f.spool);
	return rc;
}
