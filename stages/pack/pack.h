/* The pack stage: per-centre zip exports (manifest, reports, digital PDFs),
 * the printing house's print file in print order with its job ticket, then
 * packed.xml, written last: its presence means done. */
#ifndef CP_STAGE_PACK_H
#define CP_STAGE_PACK_H

#include <stdbool.h>
#include <stdio.h>

#include "conf.h"
#include "doctype.h"
#include "registry.h"
#include "spool.h"
#include "xmlout.h"

int cp_pack_run(const struct cp_conf *conf, const char *batch_arg, FILE *out);

/* Counts of one course run for the certification report. */
struct cp_pack_run {
	char *id, *qualification, *title;
	long achieved, held, rejected;
};

struct cp_pack {
	const struct cp_conf *conf;
	struct cp_registry *reg;
	const char *batch;
	char *dir;      /* the batch folder */
	char *work;     /* dir/pack: manifests and reports before they are zipped */
	struct cp_pack_run *runs;
	size_t nruns;
	long achieved, held, rejected;
	char *centre, *centre_name;
	long rendered;  /* the batch's own documents rendered.xml lists */
	long documents; /* those packed: the ones still valid when pack started */
	/* a print file of order copies alone (print-orders): its print batch's
	 * kind and who made it; NULL for a batch's pack */
	const char *kind, *by;
};

/* Per course run: learners achieved (assigned.xml), held and rejected. */
int cp_pack_count_runs(struct cp_pack *p);
/* manifest.csv of the centre's documents into path. */
int cp_pack_manifest(struct cp_pack *p, const char *path);
/* certification-report.pdf and summary-RUN.pdf for every course run into
 * p->work. Returns a sysexits code. */
int cp_pack_reports(struct cp_pack *p);
/* The centre's zip under spool/exports/BATCH/, and its registry row; an
 * <export> element in out. Returns a sysexits code. */
int cp_pack_export(struct cp_pack *p, const struct cp_spool *spool, struct cp_xmlout *out);
/* The print file parts and the ticket under spool/print/BATCH/, each
 * part a <print> in out (NULL: none); the print batch recorded, and (for
 * order copies alone, p->kind) in the same transaction the copies
 * published and the order print file done. */
int cp_pack_print(struct cp_pack *p, const struct cp_spool *spool, struct cp_xmlout *out);
/* certpress-pack reprints|letters: the order copies of that kind waiting
 * (and the spoiled ones back) in a print file of their own under
 * spool/print/ID/; prints "ID FOLDER", or nothing when there is nothing
 * to print. A sysexits code. */
int cp_pack_orders(const struct cp_conf *conf, const char *kind, FILE *out);

#endif
