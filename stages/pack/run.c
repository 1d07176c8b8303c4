/* The pack stage's flow: count the course runs, take the queued reprints
 * and fix the documents to pack (those valid now), write the manifest and
 * reports, the centre's zip, the print file and its ticket, record the
 * documents as published (issued), then packed.xml, written last: its
 * presence means done. Every output is replaced whole on a re-run, so a
 * crash at any point leaves a batch that packing again finishes. */
#include "pack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "util/atomic.h"
#include "batchfile.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "stage.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The registry's documents for the batch must be the ones render made or
 * left out (not valid when it ran). */
static int check_rendered(struct cp_pack *p)
{
	struct cp_batchfile_handler h = { 0 };
	char *path = cp_xasprintf("%s/rendered.xml", p->dir);
	xmlNodePtr end = NULL;
	long have = 0, left_out;
	int rc = cp_batchfile_read(path, "rendered", &h, &end);

	free(path);
	if (rc < 0)
		return -1;
	p->rendered = cp_node_attr_long(end, "documents", -1);
	left_out = cp_node_attr_long(end, "left-out", 0);
	xmlFreeNode(end);
	if (cp_documents_count(p->reg, p->batch, &have) < 0)
		return -1;
	if (have != p->rendered + left_out)
		return cp_error("batch %s: the registry holds %ld documents, rendered.xml %ld "
				"and %ld left out", p->batch, have, p->rendered, left_out);
	return 0;
}

/* One transaction: the queued reprints taken, and what this run packs read
 * from the registry as it is now. */
static long claim(struct cp_pack *p)
{
	long n;

	if (cp_registry_begin(p->reg) < 0)
		return -1;
	/* [print] orders = separate: the order copies wait for print-orders */
	n = cp_reprints_claim(p->reg, p->batch, !p->conf->print_orders_separate);
	/* what the printing house spoiled comes back: same reference, a new sheet */
	if (n >= 0 && cp_print_spoiled_claim(p->reg, p->batch, !p->conf->print_orders_separate) < 0)
		n = -1;
	if (n < 0 || cp_documents_choose_for_pack(p->reg, p->batch, &p->documents) < 0 ||
	    cp_registry_commit(p->reg) < 0) {
		cp_registry_rollback(p->reg);
		return -1;
	}
	if (p->documents < p->rendered)
		cp_info("%ld of the batch's %ld documents rendered are no longer valid: not packed",
			p->rendered - p->documents, p->rendered);
	return n;
}

/* A <left-out type reference status [replaces]/> in packed.xml for each
 * document the batch (or a replacement it took) has that was not packed. */
static int write_left_out(void *ctx, const char *ref, const char *type, const char *status,
		    const char *replaces)
{
	struct cp_xmlout *out = ctx;

	cp_xmlout_start(out, "left-out");
	cp_xmlout_attr(out, "type", type);
	cp_xmlout_attr(out, "reference", ref);
	cp_xmlout_attr(out, "status", status);
	if (replaces)
		cp_xmlout_attr(out, "replaces", replaces);
	cp_xmlout_end(out);
	return 0;
}

static int write_packed(struct cp_pack *p, const struct cp_spool *spool, long reprints,
			char **counts)
{
	struct cp_atomic a;
	struct cp_xmlout x;
	char *path = cp_xasprintf("%s/packed.xml", p->dir), *manifest;
	long nleft = 0;
	int rc;

	manifest = cp_xasprintf("%s/manifest.csv", p->work);
	rc = cp_pack_manifest(p, manifest) < 0 ? CP_EX_CANTCREAT : CP_EX_OK;
	free(manifest);
	if (rc == CP_EX_OK)
		rc = cp_pack_reports(p);
	if (rc != CP_EX_OK || cp_xmlout_create(&x, &a, path, "packed", p->batch) < 0) {
		free(path);
		return rc != CP_EX_OK ? rc : CP_EX_CANTCREAT;
	}
	if ((rc = cp_pack_export(p, spool, &x)) == CP_EX_OK)
		rc = cp_pack_print(p, spool, &x);
	if (rc == CP_EX_OK &&
	    (nleft = cp_documents_left_out(p->reg, p->batch, write_left_out, &x)) < 0)
		rc = CP_EX_IOERR;
	if (rc == CP_EX_OK) {
		cp_xmlout_start(&x, "end");
		cp_xmlout_attr_long(&x, "count", p->achieved);
		cp_xmlout_attr_long(&x, "documents", p->documents);
		cp_xmlout_attr_long(&x, "reprints", reprints);
		if (nleft)
			cp_xmlout_attr_long(&x, "left-out", nleft);
		cp_xmlout_end(&x);
		cp_xmlout_end(&x);
	}
	if (cp_xmlout_finish(&x) < 0 && rc == CP_EX_OK) {
		cp_error("%s: cannot write: %s", path, strerror(errno));
		rc = CP_EX_IOERR;
	}
	/* the zip and the print file are out: their documents are issued, even
	 * if a crash stops this attempt before packed.xml */
	if (rc == CP_EX_OK && cp_documents_publish_chosen(p->reg, p->batch) < 0)
		rc = CP_EX_IOERR;
	if (rc == CP_EX_OK && cp_atomic_commit(&a) < 0)
		rc = CP_EX_CANTCREAT;
	cp_atomic_abort(&a);
	free(path);
	*counts = cp_xasprintf("{\"learners\":%ld,\"documents\":%ld,\"reprints\":%ld,"
			       "\"left_out\":%ld,\"held\":%ld,\"rejected\":%ld}", p->achieved,
			       p->documents, reprints, nleft, p->held, p->rejected);
	return rc;
}

/* The awarding body's check ([run] approval, certpress approve and hold):
 * nothing is published before it. 75 while the batch waits for it. */
static int gate(struct cp_pack *p)
{
	char why[512];

	switch (cp_approval_state(p->conf, p->dir, why, sizeof(why))) {
	case CP_APPROVAL_HELD:
		cp_error("batch %s is held (%s): nothing packed; 'certpress approve %s' releases it",
			 p->batch, why, p->batch);
		return CP_EX_TEMPFAIL;
	case CP_APPROVAL_AWAITING:
		cp_error("batch %s awaits approval: check %s/" CP_PROOF_FILE ", then 'certpress"
			 " approve %s' (or 'certpress hold %s --reason TEXT')", p->batch, p->dir,
			 p->batch, p->batch);
		return CP_EX_TEMPFAIL;
	case CP_APPROVAL_FREE:
		break;
	}
	return CP_EX_OK;
}

static void release(struct cp_pack *p)
{
	for (size_t i = 0; i < p->nruns; i++) {
		free(p->runs[i].id);
		free(p->runs[i].qualification);
		free(p->runs[i].title);
	}
	free(p->runs);
	free(p->dir);
	free(p->work);
	free(p->centre);
	free(p->centre_name);
}

static int pack_batch(struct cp_stage *st, void *ctx, char **counts)
{
	struct cp_pack *p = ctx;
	long reprints;
	int rc;

	p->reg = &st->reg;
	p->batch = st->batch;
	p->dir = cp_xstrdup(st->dir);
	if ((rc = gate(p)) != CP_EX_OK)
		return rc;
	p->work = cp_xasprintf("%s/pack", p->dir); /* swept already, by cp_stage_start */
	cp_spool_sweep_reprints(&st->spool); /* the replacements it may take */
	if (cp_mkdirs(p->work) < 0)
		return CP_EX_CANTCREAT;
	if (cp_pack_count_runs(p) < 0 || check_rendered(p) < 0)
		return CP_EX_DATAERR;
	if ((reprints = claim(p)) < 0)
		return CP_EX_IOERR;
	rc = write_packed(p, &st->spool, reprints, counts);
	return cp_exit_for_errno(rc, cp_output_errno()); /* a full disk is 74 */
}

int cp_pack_run(const struct cp_conf *conf, const char *batch_arg, FILE *out)
{
	struct cp_pack p;
	int rc;

	/* no batch is ever called so: a day's order copies of that kind */
	if (!strcmp(batch_arg, "reprints") || !strcmp(batch_arg, "letters"))
		return cp_pack_orders(conf, batch_arg, out);
	memset(&p, 0, sizeof(p));
	p.conf = conf;
	rc = cp_stage_run("pack", conf, batch_arg, out, pack_batch, &p);
	release(&p);
	return rc;
}
