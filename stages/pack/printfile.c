/* The printing house's print file, consignment by consignment (one per
 * delivery address and method: the centre's from the centres register for
 * the batch's own documents; the order's, else its centre's, for a
 * replacement or a letter): the batch's print copies in print order, the
 * copies it took that go with them, then the centre's Certification Report
 * and Certificate Summaries as plain pages; then each other consignment's
 * copies. Each consignment's pages are one run, as the ticket lists them.
 * They are concatenated (concat.h: streamed, so memory stays flat) into
 * parts of at most [print] sheets-per-part sheets (one page a sheet:
 * security paper is printed on one side), each part written atomically;
 * then the job ticket (config/ticket.xsd) with each part's pages and
 * SHA-256, the sheets per paper stock and every consignment's documents'
 * page ranges. A centre the register lacks does not stop the
 * stage: its consignment is held, address unknown, with a warning. The
 * print batch, its consignments and documents are then recorded in the
 * registry for the printing house's confirmation. A document is never
 * split across parts: one longer than a part is a part of its own, marked
 * oversize in the ticket and named in a warning. */
#include "pack.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/date.h"
#include "util/digest.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "xmlout.h"
#include "centres.h"
#include "concat.h"
#include "who.h"
#include "util/banned.h"

/* One consignment: where and how a group of the print file's documents
 * goes. */
struct consignment {
	char *key;                     /* address or centre, and delivery */
	char *centre, *delivery, *address; /* address NULL: unknown, held */
	long pages[CP_NSTOCKS];
};

struct printing {
	struct cp_pack *p;
	struct cp_centres centres;
	struct consignment *cons;
	size_t ncons, acons;
	const struct cp_spool *spool;
	char *dir;
	/* the part being made */
	struct cp_concat part;
	bool open, part_oversize;
	long part_pages, *part_total;
	bool *oversize;      /* of each finished part: one document over the limit */
	int nparts;
	/* what the ticket needs, in a scratch file until the parts are known */
	FILE *docs;
	/* the order copies and the sheets taken again, each with its
	 * consignment, in a scratch file until their consignment's turn */
	FILE *taken;
	long pages[CP_NSTOCKS], documents, reprints; /* pages per paper stock */
};

/* Parts are written as print-BATCH-NN.pdf; a print file of one part is
 * renamed print-BATCH.pdf at the end. */
static char *part_path(struct printing *pr, int n)
{
	return cp_xasprintf("%s/print-%s-%02d.pdf", pr->dir, pr->p->batch, n);
}

static char *part_name(struct printing *pr, int n)
{
	if (pr->nparts == 1)
		return cp_xasprintf("print-%s.pdf", pr->p->batch);
	return cp_xasprintf("print-%s-%02d.pdf", pr->p->batch, n);
}

static int finish_part(struct printing *pr)
{
	struct cp_concat_info info;
	char title[96];

	if (!pr->open)
		return 0;
	pr->open = false;
	snprintf(title, sizeof(title), "Print file %s, part %d", pr->p->batch, pr->nparts);
	pr->part_total = cp_xrealloc(pr->part_total, (size_t)pr->nparts * sizeof(long));
	pr->part_total[pr->nparts - 1] = pr->part_pages;
	pr->oversize = cp_xrealloc(pr->oversize, (size_t)pr->nparts * sizeof(bool));
	pr->oversize[pr->nparts - 1] = pr->part_oversize;
	pr->part_pages = 0;
	pr->part_oversize = false;
	info.title = title;
	info.output_condition = pr->p->conf->print_output_condition;
	info.created = cp_clock_output(); /* as the PDFs' dates: reproducible */
	return cp_concat_finish(&pr->part, &info);
}

static int start_part(struct printing *pr)
{
	char *path = part_path(pr, ++pr->nparts);
	int rc = cp_concat_open(&pr->part, path);

	free(path);
	pr->open = rc == 0;
	return rc;
}

/* The consignment for centre by delivery (NULL: the register's method) to
 * address (NULL: the register's address for the centre), made on first
 * use; its index. */
static size_t consignment(struct printing *pr, const char *centre, const char *delivery,
			  const char *address)
{
	const struct cp_centre *c = cp_centres_find(&pr->centres, centre);
	const char *how = delivery ? delivery : c ? c->delivery : "second-class-signed";
	char *key = address ? cp_xasprintf("a:%s\n%s", address, how)
			    : cp_xasprintf("c:%s\n%s", centre, how);
	struct consignment *k;

	for (size_t i = 0; i < pr->ncons; i++)
		if (!strcmp(pr->cons[i].key, key)) {
			free(key);
			return i;
		}
	pr->cons = cp_xgrow(pr->cons, &pr->acons, pr->ncons + 1, sizeof(*pr->cons));
	k = &pr->cons[pr->ncons++];
	memset(k, 0, sizeof(*k));
	k->key = key;
	k->centre = cp_xstrdup(centre);
	k->delivery = cp_xstrdup(how);
	if (address)
		k->address = cp_xasprintf("%s\n", address);
	else if (c)
		k->address = cp_xstrdup(c->address);
	else if (pr->centres.path)
		cp_warn("print file: centre '%s' is not in the centres register (%s): its "
			"consignment %zu is held, address unknown", centre, pr->centres.path,
			pr->ncons);
	else
		cp_info("print file: no centres register ([certpress] centres): consignment %zu "
			"for centre '%s' is held, address unknown", pr->ncons, centre);
	return pr->ncons - 1;
}

/* Append the PDF at path to the print file: pages in *npages. */
static int append(struct printing *pr, const char *path, const char *what, const char *name,
		  bool dated, long *npages)
{
	struct cp_concat_source src;
	long pages, limit = pr->p->conf->print_sheets_per_part;
	int rc = -1;

	if (cp_concat_read(&src, path) < 0)
		goto out;
	pages = src.npages;
	/* a document longer than a part starts one (and ends it, below) */
	if (pr->open && pr->part_pages + pages > limit && finish_part(pr) < 0)
		goto out;
	if (!pr->open && start_part(pr) < 0)
		goto out;
	if (cp_concat_append(&pr->part, &src, dated) < 0)
		goto out;
	if (pages > limit) {
		pr->part_oversize = true;
		cp_warn("print file: %s '%s' has %ld pages, more than sheets-per-part (%ld): it is "
			"part %d on its own", what, name, pages, limit, pr->nparts);
	}
	*npages = pages;
	rc = 0;
out:
	cp_concat_source_release(&src);
	return rc;
}

/* Note what the ticket says of a document or report just appended. */
static int noted(struct printing *pr, size_t cons, long pages, const char *name,
		 const char *type, const char *replaces, int stock)
{
	long limit = pr->p->conf->print_sheets_per_part;

	/* consignment, part, first page, last page, reference, type, replaces */
	fprintf(pr->docs, "%zu %d %ld %ld %s %s %s\n", cons, pr->nparts, pr->part_pages + 1,
		pr->part_pages + pages, name, type, replaces ? replaces : "-");
	pr->part_pages += pages;
	pr->pages[stock] += pages;
	pr->cons[cons].pages[stock] += pages;
	if (ferror(pr->docs))
		return cp_error("cannot note a document for the ticket");
	return pages > limit ? finish_part(pr) : 0;
}

/* Where a document's print copy is: from "-", the spool's reprints
 * folder (an order's copy: a replacement or a letter), else the print
 * folder of the batch from names. */
static char *copy_path(struct printing *pr, const char *from, const char *reference)
{
	if (!strcmp(from, "-"))
		return cp_xasprintf("%s/print/%s.pdf", pr->spool->reprints, reference);
	return cp_xasprintf("%s/%s/print/%s.pdf", pr->spool->batches, from, reference);
}

/* Append a document's print copy to consignment cons and note it. */
static int add_copy(struct printing *pr, size_t cons, const char *from, const char *reference,
		    const char *type, const char *replaces)
{
	char *path = copy_path(pr, from, reference);
	long pages;
	int rc = append(pr, path, type, reference, true, &pages);

	free(path);
	if (rc < 0)
		return -1;
	pr->documents++;
	if (replaces)
		pr->reprints++;
	return noted(pr, cons, pages, reference, type, replaces, cp_doctype_of(type)->stock);
}

/* Where a chosen document's copy is (copy_path's from). */
static const char *copy_from(struct printing *pr, const struct cp_batch_doc *d)
{
	if (d->copies_batch) /* a batch's document spoiled by the printing house */
		return d->copies_batch;
	return d->reprint_batch ? "-" : pr->p->batch;
}

/* One of the batch's own documents, appended as it comes (print order). */
static int add_doc(void *ctx, const struct cp_batch_doc *d)
{
	struct printing *pr = ctx;
	size_t cons = consignment(pr, d->centre, d->delivery, d->address);

	return add_copy(pr, cons, copy_from(pr, d), d->reference, d->type, d->replaces);
}

/* An order's copy or a sheet taken again: its consignment is known only
 * now (the order's address and method, else its centre's from the
 * register), and may be the run's, made before it, or one an earlier copy
 * made; so it waits in pr->taken for its consignment's turn. */
static int take_doc(void *ctx, const struct cp_batch_doc *d)
{
	struct printing *pr = ctx;
	size_t cons = consignment(pr, d->centre, d->delivery, d->address);

	/* consignment, where its copy is, reference, type, replaces */
	fprintf(pr->taken, "%zu %s %s %s %s\n", cons, copy_from(pr, d), d->reference, d->type,
		d->replaces ? d->replaces : "-");
	if (ferror(pr->taken))
		return cp_error("cannot note an order's copy for the print file");
	return 0;
}

/* The copies taken that go in consignment k, in the order they came (a
 * pass over them per consignment: a print file has few). */
static int add_taken(struct printing *pr, size_t k)
{
	char line[256];

	rewind(pr->taken);
	while (fgets(line, sizeof(line), pr->taken)) {
		char from[64], ref[96], type[16], replaces[32];
		size_t cons;

		if (sscanf(line, "%zu %63s %95s %15s %31s", &cons, from, ref, type, replaces) != 5)
			return cp_error("cannot read back an order's copy for the print file");
		if (cons == k && add_copy(pr, k, from, ref, type,
					  strcmp(replaces, "-") ? replaces : NULL) < 0)
			return -1;
	}
	return ferror(pr->taken) ? cp_error("cannot read back the order copies noted") : 0;
}

/* The centre's Certification Report and its course runs' Certificate
 * Summaries (pack's reports, their unencrypted print- copies), plain
 * pages after the batch's own documents in their consignment. */
static int add_reports(struct printing *pr)
{
	struct cp_pack *p = pr->p;
	size_t cons = consignment(pr, p->centre, NULL, NULL);
	char *path = cp_xasprintf("%s/print-certification-report.pdf", p->work);
	long pages;
	int rc = append(pr, path, "report", "certification-report", false, &pages);

	free(path);
	if (rc == 0)
		rc = noted(pr, cons, pages, "certification-report", "report", NULL,
			   CP_STOCK_PLAIN);
	for (size_t i = 0; rc == 0 && i < p->nruns; i++) {
		char *name = cp_xasprintf("summary-%s", p->runs[i].id);

		path = cp_xasprintf("%s/print-%s.pdf", p->work, name);
		if (access(path, F_OK) == 0) {
			rc = append(pr, path, "report", name, false, &pages);
			if (rc == 0)
				rc = noted(pr, cons, pages, name, "report", NULL, CP_STOCK_PLAIN);
		}
		free(path);
		free(name);
	}
	return rc;
}

/* Every consignment's pages one run, as the printing house packs them: the
 * run's own documents (appended first, in print order) followed by the
 * copies taken that go with them (to the centre's address by its method),
 * then by the centre's reports; then each other consignment's copies, in
 * the order the consignments were first met (their ids). */
static int add_consignments(struct printing *pr, bool own)
{
	size_t run = own ? consignment(pr, pr->p->centre, NULL, NULL) : pr->ncons;

	for (size_t k = 0; k < pr->ncons; k++) {
		if (add_taken(pr, k) < 0)
			return -1;
		if (k == run && add_reports(pr) < 0)
			return -1;
	}
	return 0;
}

/* Remove what an earlier attempt of this stage left: parts and ticket. */
static void clear_earlier(struct printing *pr)
{
	DIR *d = opendir(pr->dir);
	struct dirent *e;
	char *prefix = cp_xasprintf("print-%s", pr->p->batch);

	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix))) {
			char *path = cp_xasprintf("%s/%s", pr->dir, e->d_name);

			unlink(path);
			free(path);
		}
	if (d)
		closedir(d);
	free(prefix);
	cp_atomic_sweep(pr->dir);
}

/* A <part> in the ticket for every part file, and a <print> for it in
 * packed.xml (out). -1 after a message when a part cannot be read back. */
static int ticket_parts(struct printing *pr, struct cp_xmlout *x, struct cp_xmlout *out)
{
	for (int n = 1; n <= pr->nparts; n++) {
		char *name = part_name(pr, n), *file = cp_xasprintf("%s/%s", pr->dir, name);
		char sha[CP_SHA256_HEX];
		long pages = pr->part_total[n - 1];
		struct stat st;

		if (cp_sha256_file(file, sha) < 0 || stat(file, &st) < 0) {
			cp_error("%s: cannot read back the part", file);
			free(name);
			free(file);
			return -1;
		}
		cp_xmlout_start(x, "part");
		cp_xmlout_attr_long(x, "number", n);
		cp_xmlout_attr(x, "file", name);
		cp_xmlout_attr_long(x, "pages", pages);
		cp_xmlout_attr_long(x, "bytes", (long)st.st_size);
		cp_xmlout_attr(x, "sha256", sha);
		if (pr->oversize[n - 1])
			cp_xmlout_attr(x, "oversize", "true");
		cp_xmlout_end(x);
		if (out) {
			cp_xmlout_start(out, "print");
			cp_xmlout_attr(out, "file", file);
			cp_xmlout_attr_long(out, "pages", pages);
			cp_xmlout_attr(out, "sha256", sha);
			cp_xmlout_end(out);
		}
		free(name);
		free(file);
	}
	return 0;
}

/* A <stock> for each paper stock; the sheets of all. */
static long ticket_stocks(struct printing *pr, struct cp_xmlout *x)
{
	long sheets = 0;

	for (int i = 0; i < CP_NSTOCKS; i++) {
		cp_xmlout_start(x, "stock");
		cp_xmlout_attr(x, "name", cp_stocks[i].name);
		cp_xmlout_attr(x, "paper", cp_stocks[i].paper);
		cp_xmlout_attr_long(x, "sheets", pr->pages[i]);
		cp_xmlout_end(x);
		sheets += pr->pages[i];
	}
	return sheets;
}

/* A consignment: where it goes, its sheets per stock, then its documents
 * and reports in print order (a pass over the noted lines per consignment:
 * a print file has few). */
static void write_consignment(struct printing *pr, struct cp_xmlout *x, size_t k)
{
	const struct consignment *c = &pr->cons[k];
	char line[256];

	cp_xmlout_start(x, "consignment");
	cp_xmlout_attr_long(x, "id", (long)k + 1);
	cp_xmlout_attr(x, "centre", c->centre);
	cp_xmlout_attr(x, "delivery", c->delivery);
	if (!c->address)
		cp_xmlout_attr(x, "address-unknown", "true");
	for (int i = 0; i < CP_NSTOCKS; i++) {
		char *attr = cp_xasprintf("%s-sheets", cp_stocks[i].name);

		cp_xmlout_attr_long(x, attr, c->pages[i]);
		free(attr);
	}
	if (c->address) {
		cp_xmlout_start(x, "address");
		for (const char *l = c->address; *l;) {
			size_t n = strcspn(l, "\n");
			char *text = cp_xstrndup(l, n);

			cp_xmlout_text_element(x, "line", text);
			free(text);
			l += n + (l[n] == '\n');
		}
		cp_xmlout_end(x);
	}
	rewind(pr->docs);
	while (fgets(line, sizeof(line), pr->docs)) {
		char ref[96], type[16], replaces[32];
		long first, last;
		size_t cons;
		int part;

		if (sscanf(line, "%zu %d %ld %ld %95s %15s %31s", &cons, &part, &first, &last, ref,
			   type, replaces) != 7 || cons != k)
			continue;
		if (!strcmp(type, "report")) {
			cp_xmlout_start(x, "report");
			cp_xmlout_attr(x, "name", ref);
			cp_xmlout_attr(x, "stock", cp_stocks[CP_STOCK_PLAIN].name);
		} else {
			cp_xmlout_start(x, "document");
			cp_xmlout_attr(x, "reference", ref);
			cp_xmlout_attr(x, "type", type);
			cp_xmlout_attr(x, "stock", cp_stocks[cp_doctype_of(type)->stock].name);
		}
		cp_xmlout_attr_long(x, "part", part);
		cp_xmlout_attr_long(x, "first-page", first);
		cp_xmlout_attr_long(x, "last-page", last);
		if (strcmp(replaces, "-"))
			cp_xmlout_attr(x, "replaces", replaces);
		cp_xmlout_end(x);
	}
	cp_xmlout_end(x);
}

/* The print batch, its consignments and documents in the registry, in one
 * transaction, for the printing house's confirmation (certpress printed). */
static int record(struct printing *pr)
{
	struct cp_pack *p = pr->p;
	const char *kind = p->kind ? p->kind : p->documents ? "certificate-run"
			   : pr->reprints ? "reprints" : "letters";
	char stamp[32], line[256], by[CP_WHO_SIZE];
	long position = 0;
	int rc;

	if (!pr->documents)
		return 0;
	/* the run's starter (run or retry --by), else the login name, as the
	 * stage attempts record it */
	cp_who_stage(by, sizeof(by));
	if (cp_registry_begin(p->reg) < 0)
		return -1;
	rc = cp_print_batch_record(p->reg, p->batch, kind, p->by ? p->by : by,
				   pr->documents, cp_time_stamp(stamp, sizeof(stamp)));
	for (size_t k = 0; rc == 1 && k < pr->ncons; k++) {
		char id[24];

		snprintf(id, sizeof(id), "%zu", k + 1);
		if (cp_print_consignment_add(p->reg, p->batch, id, pr->cons[k].centre,
					     pr->cons[k].delivery, pr->cons[k].address,
					     !pr->cons[k].address) < 0)
			rc = -1;
	}
	rewind(pr->docs);
	while (rc == 1 && fgets(line, sizeof(line), pr->docs)) {
		char ref[96], type[16], id[24];
		size_t cons;

		if (sscanf(line, "%zu %*d %*d %*d %95s %15s", &cons, ref, type) != 3 ||
		    !strcmp(type, "report"))
			continue;
		snprintf(id, sizeof(id), "%zu", cons + 1);
		if (cp_print_document_add(p->reg, p->batch, ref, id, ++position) < 0)
			rc = -1;
	}
	/* order copies alone: issued, to be printed, and the file done with
	 * its record, so a kill leaves all of it to do again or none */
	if (rc == 1 && p->kind && (cp_documents_publish_chosen_in(p->reg, p->batch, stamp) < 0 ||
				   cp_order_print_done(p->reg, p->batch, stamp) < 0))
		rc = -1;
	if (rc != 1) {
		cp_registry_rollback(p->reg);
		return -1;
	}
	return cp_registry_commit(p->reg);
}

static int write_ticket(struct printing *pr, struct cp_xmlout *out)
{
	struct cp_atomic a;
	struct cp_xmlout x;
	char *path = cp_xasprintf("%s/print-%s.ticket.xml", pr->dir, pr->p->batch), stamp[32];
	long sheets;
	int rc;

	if (cp_atomic_open(&a, path, 0640) < 0) {
		free(path);
		return -1;
	}
	cp_xmlout_open(&x, a.fp);
	cp_xmlout_start(&x, "ticket");
	cp_xmlout_attr(&x, "xmlns", "urn:certpress:ticket:1");
	if (!pr->p->kind) /* order copies alone are no batch's */
		cp_xmlout_attr(&x, "batch", pr->p->batch);
	cp_xmlout_attr(&x, "print-batch", pr->p->batch);
	cp_xmlout_attr(&x, "awarding-body", pr->p->conf->awarding_body);
	cp_xmlout_attr(&x, "created", cp_utc_stamp(cp_clock_now(), stamp, sizeof(stamp)));
	cp_xmlout_attr_long(&x, "sheets-per-part", pr->p->conf->print_sheets_per_part);
	if (ticket_parts(pr, &x, out) < 0) {
		cp_xmlout_finish(&x);
		cp_atomic_abort(&a);
		free(path);
		return -1;
	}
	sheets = ticket_stocks(pr, &x);
	for (size_t k = 0; k < pr->ncons; k++)
		write_consignment(pr, &x, k);
	cp_xmlout_start(&x, "end");
	cp_xmlout_attr_long(&x, "documents", pr->documents);
	cp_xmlout_attr_long(&x, "reprints", pr->reprints);
	cp_xmlout_attr_long(&x, "sheets", sheets);
	cp_xmlout_end(&x);
	cp_xmlout_end(&x);
	rc = cp_xmlout_finish(&x) < 0 ? -1 : cp_atomic_commit(&a);
	if (rc < 0)
		cp_atomic_abort(&a);
	free(path);
	return rc;
}

int cp_pack_print(struct cp_pack *p, const struct cp_spool *spool, struct cp_xmlout *out)
{
	struct printing pr;
	int rc = CP_EX_OK;

	struct cp_print_batch_info info;
	char *schema;

	memset(&pr, 0, sizeof(pr));
	pr.p = p;
	pr.spool = spool;
	if ((rc = cp_print_batch_get(p->reg, p->batch, &info)) < 0)
		return CP_EX_IOERR;
	if (rc && info.confirmed) {
		cp_error("print batch %s: the printing house has confirmed %ld of its documents: "
			 "its print file is not made again", p->batch, info.confirmed);
		return CP_EX_DATAERR;
	}
	schema = cp_xasprintf("%s/centres.xsd", p->conf->schemas);
	rc = cp_centres_load(&pr.centres, p->conf->centres, schema);
	free(schema);
	if (rc)
		return rc;
	pr.dir = cp_xasprintf("%s/%s", spool->print, p->batch);
	if (cp_mkdirs(pr.dir) < 0) {
		free(pr.dir);
		cp_centres_release(&pr.centres);
		return CP_EX_CANTCREAT;
	}
	clear_earlier(&pr);
	if (!(pr.docs = cp_scratch_file(pr.dir)) || !(pr.taken = cp_scratch_file(pr.dir))) {
		if (pr.docs)
			fclose(pr.docs);
		free(pr.dir);
		cp_centres_release(&pr.centres);
		return CP_EX_CANTCREAT;
	}
	if (cp_documents_chosen_each(p->reg, p->batch, false, add_doc, &pr) < 0 ||
	    cp_documents_chosen_reprints_each(p->reg, p->batch, take_doc, &pr) < 0 ||
	    add_consignments(&pr, pr.documents > 0) < 0 || finish_part(&pr) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	if (pr.nparts == 1) { /* one part: the print file's own name */
		char *from = part_path(&pr, 1), *name = part_name(&pr, 1);
		char *to = cp_xasprintf("%s/%s", pr.dir, name);

		if (cp_rename_durable(from, to) < 0)
			rc = CP_EX_CANTCREAT;
		free(from);
		free(name);
		free(to);
	}
	if (rc == CP_EX_OK && write_ticket(&pr, out) < 0)
		rc = CP_EX_CANTCREAT;
	if (rc == CP_EX_OK && record(&pr) < 0)
		rc = CP_EX_IOERR;
	if (rc == CP_EX_OK)
		cp_info("print file: %d part%s, %ld documents (%ld reprints), %ld sheets of "
			"certificate paper and %ld plain", pr.nparts, pr.nparts == 1 ? "" : "s",
			pr.documents, pr.reprints, pr.pages[CP_STOCK_CERTIFICATE],
			pr.pages[CP_STOCK_PLAIN]);
out:
	if (pr.open)
		cp_concat_abort(&pr.part);
	free(pr.part_total);
	free(pr.oversize);
	fclose(pr.docs);
	fclose(pr.taken);
	free(pr.dir);
	for (size_t k = 0; k < pr.ncons; k++) {
		free(pr.cons[k].key);
		free(pr.cons[k].centre);
		free(pr.cons[k].delivery);
		free(pr.cons[k].address);
	}
	free(pr.cons);
	cp_centres_release(&pr.centres);
	return rc;
}
