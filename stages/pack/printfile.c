/* The printing house's print file: every print copy of the batch in print
 * order, then the reprints it took, concatenated (concat.h: streamed, so
 * memory stays flat) into parts of at most [print] sheets-per-part sheets
 * (one page a sheet: security paper is printed on one side), each part
 * written atomically; then the job ticket (config/ticket.xsd) with each
 * part's pages and SHA-256, the sheets per paper stock and every
 * document's page range. A document is never split across parts: one
 * longer than a part is a part of its own, marked oversize in the ticket
 * and named in a warning. */
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
#include "concat.h"
#include "util/banned.h"

struct printing {
	struct cp_pack *p;
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
	return cp_concat_finish(&pr->part, title);
}

static int start_part(struct printing *pr)
{
	char *path = part_path(pr, ++pr->nparts);
	int rc = cp_concat_open(&pr->part, path);

	free(path);
	pr->open = rc == 0;
	return rc;
}

static int add_doc(void *ctx, const struct cp_batch_doc *d)
{
	struct printing *pr = ctx;
	struct cp_concat_source src;
	long pages, limit = pr->p->conf->print_sheets_per_part;
	char *path;
	int rc = -1;

	if (d->reprint_batch) /* an order's copy: a replacement or a letter */
		path = cp_xasprintf("%s/print/%s.pdf", pr->spool->reprints, d->reference);
	else
		path = cp_xasprintf("%s/%s/print/%s.pdf", pr->spool->batches, pr->p->batch,
				    d->reference);
	if (cp_concat_read(&src, path) < 0)
		goto out;
	pages = src.npages;
	/* a document longer than a part starts one (and ends it, below) */
	if (pr->open && pr->part_pages + pages > limit && finish_part(pr) < 0)
		goto out;
	if (!pr->open && start_part(pr) < 0)
		goto out;
	if (cp_concat_append(&pr->part, &src) < 0)
		goto out;
	if (pages > limit) {
		pr->part_oversize = true;
		cp_warn("print file: %s '%s' has %ld pages, more than sheets-per-part (%ld): it is "
			"part %d on its own", d->type, d->reference, pages, limit, pr->nparts);
	}
	/* part, first page, last page, reference, type, replaces */
	fprintf(pr->docs, "%d %ld %ld %s %s %s\n", pr->nparts, pr->part_pages + 1,
		pr->part_pages + pages, d->reference, d->type, d->replaces ? d->replaces : "-");
	pr->part_pages += pages;
	pr->pages[cp_doctype_of(d->type)->stock] += pages;
	pr->documents++;
	if (d->replaces)
		pr->reprints++;
	rc = ferror(pr->docs) ? cp_error("cannot note a document for the ticket") : 0;
	if (rc == 0 && pages > limit && finish_part(pr) < 0)
		rc = -1;
out:
	cp_concat_source_release(&src);
	free(path);
	return rc;
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
		cp_xmlout_start(out, "print");
		cp_xmlout_attr(out, "file", file);
		cp_xmlout_attr_long(out, "pages", pages);
		cp_xmlout_attr(out, "sha256", sha);
		cp_xmlout_end(out);
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

/* A <document> for each line of the documents list, in print order. */
static void ticket_documents(struct printing *pr, struct cp_xmlout *x)
{
	char line[256];

	rewind(pr->docs);
	while (fgets(line, sizeof(line), pr->docs)) {
		char ref[32], type[16], replaces[32];
		long first, last;
		int part;

		if (sscanf(line, "%d %ld %ld %31s %15s %31s", &part, &first, &last, ref, type,
			   replaces) != 6)
			continue;
		cp_xmlout_start(x, "document");
		cp_xmlout_attr(x, "reference", ref);
		cp_xmlout_attr(x, "type", type);
		cp_xmlout_attr(x, "stock", cp_stocks[cp_doctype_of(type)->stock].name);
		cp_xmlout_attr_long(x, "part", part);
		cp_xmlout_attr_long(x, "first-page", first);
		cp_xmlout_attr_long(x, "last-page", last);
		if (strcmp(replaces, "-"))
			cp_xmlout_attr(x, "replaces", replaces);
		cp_xmlout_end(x);
	}
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
	cp_xmlout_attr(&x, "batch", pr->p->batch);
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
	ticket_documents(pr, &x);
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

	memset(&pr, 0, sizeof(pr));
	pr.p = p;
	pr.spool = spool;
	pr.dir = cp_xasprintf("%s/%s", spool->print, p->batch);
	if (cp_mkdirs(pr.dir) < 0) {
		free(pr.dir);
		return CP_EX_CANTCREAT;
	}
	clear_earlier(&pr);
	if (!(pr.docs = cp_scratch_file(pr.dir))) {
		free(pr.dir);
		return CP_EX_CANTCREAT;
	}
	if (cp_documents_chosen_each(p->reg, p->batch, true, add_doc, &pr) < 0 || finish_part(&pr) < 0) {
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
	free(pr.dir);
	return rc;
}
