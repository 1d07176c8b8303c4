/* The printing house's print file: every print copy of the batch in print
 * order, then the reprints it took, concatenated with libqpdf into parts of
 * at most [print] sheets-per-part sheets (one page a sheet: security paper is
 * printed on one side), each part written under a temp name, fsynced, and
 * renamed once all are made; then the job ticket (config/ticket.xsd) with
 * each part's pages and SHA-256, the sheets per paper stock and every
 * document's page range. A document is never split across parts. */
#include "pack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../pipeline/atomic.h"
#include "../../pipeline/date.h"
#include "../../pipeline/digest.h"
#include "../../pipeline/exitcode.h"
#include "../../pipeline/msg.h"
#include "../../pipeline/xalloc.h"
#include "../../pipeline/xmlout.h"
#include "../../pipeline/banned.h"

/* A print copy read into the part being made: qpdf reads it lazily, so it
 * stays mapped until the part is written. */
struct source {
	qpdf_data q;
	void *map;
	size_t len;
};

struct printing {
	struct cp_pack *p;
	const struct cp_spool *spool;
	char *dir;
	/* the part being made */
	qpdf_data out;
	struct source *src;
	size_t nsrc;
	long part_pages;
	int nparts;
	/* what the ticket needs, in a temp file until the parts are known */
	FILE *docs;
	long pages[2], documents, reprints; /* pages[0] certificate stock, [1] plain */
	int rc;
};

static const char *stock_of(const char *type)
{
	return !strcmp(type, "certificate") ? "certificate" : "plain";
}

static char *part_tmp(struct printing *pr, int n)
{
	return cp_xasprintf("%s/.print-%s-part%d.pdf.cptmp.%ld", pr->dir, pr->p->batch, n,
			    (long)getpid());
}

static char *part_name(struct printing *pr, int n)
{
	if (pr->nparts == 1)
		return cp_xasprintf("print-%s.pdf", pr->p->batch);
	return cp_xasprintf("print-%s-%02d.pdf", pr->p->batch, n);
}

static int qpdf_failed(qpdf_data q, const char *what)
{
	if (qpdf_has_error(q))
		return cp_error("%s: %s", what, qpdf_get_error_full_text(q, qpdf_get_error(q)));
	return cp_error("%s: qpdf failed", what);
}

static void drop_sources(struct printing *pr)
{
	for (size_t i = 0; i < pr->nsrc; i++) {
		qpdf_cleanup(&pr->src[i].q);
		munmap(pr->src[i].map, pr->src[i].len);
	}
	free(pr->src);
	pr->src = NULL;
	pr->nsrc = 0;
	if (pr->out)
		qpdf_cleanup(&pr->out);
}

/* Write the part being made to its temp file and fsync it. */
static int finish_part(struct printing *pr)
{
	char *tmp;
	int fd, rc = 0;

	if (!pr->out)
		return 0;
	tmp = part_tmp(pr, pr->nparts);
	if (qpdf_init_write(pr->out, tmp) & QPDF_ERRORS)
		rc = qpdf_failed(pr->out, tmp);
	if (!rc) {
		/* the same input gives the same file, so a re-run's SHA-256 agrees */
		qpdf_set_deterministic_ID(pr->out, QPDF_TRUE);
		qpdf_set_object_stream_mode(pr->out, qpdf_o_generate);
		if (qpdf_write(pr->out) & QPDF_ERRORS)
			rc = qpdf_failed(pr->out, tmp);
	}
	if (!rc) {
		fd = open(tmp, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fchmod(fd, 0640) < 0 || fsync(fd) < 0)
			rc = cp_error("%s: cannot sync: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	free(tmp);
	drop_sources(pr);
	pr->part_pages = 0;
	return rc;
}

static int start_part(struct printing *pr)
{
	pr->out = qpdf_init();
	qpdf_set_suppress_warnings(pr->out, QPDF_TRUE);
	pr->nparts++;
	if (qpdf_empty_pdf(pr->out) & QPDF_ERRORS)
		return qpdf_failed(pr->out, "a new print file part");
	return 0;
}

static int open_copy(struct source *s, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(s, 0, sizeof(*s));
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0) {
		if (fd >= 0)
			close(fd);
		return cp_error("%s: the print copy is missing or empty", path);
	}
	s->len = (size_t)st.st_size;
	s->map = mmap(NULL, s->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (s->map == MAP_FAILED)
		return cp_error("%s: cannot map: %s", path, strerror(errno));
	s->q = qpdf_init();
	qpdf_set_suppress_warnings(s->q, QPDF_TRUE);
	if (qpdf_read_memory(s->q, path, s->map, (unsigned long long)s->len, NULL) & QPDF_ERRORS) {
		int rc = qpdf_failed(s->q, path);

		qpdf_cleanup(&s->q);
		munmap(s->map, s->len);
		return rc;
	}
	return 0;
}

static int add_doc(void *ctx, const struct cp_pack_doc *d)
{
	struct printing *pr = ctx;
	struct source s;
	char *path;
	long pages, limit = pr->p->conf->print_sheets_per_part;

	path = cp_xasprintf("%s/%s/print/%s.pdf", pr->spool->batches,
			    d->reprint_batch ? d->reprint_batch : pr->p->batch, d->reference);
	if (d->replaces)
		free(path), path = cp_xasprintf("%s/print/%s.pdf", pr->spool->reprints, d->reference);
	if (open_copy(&s, path) < 0) {
		free(path);
		return -1;
	}
	free(path);
	pages = qpdf_get_num_pages(s.q);
	if (pages <= 0) {
		qpdf_cleanup(&s.q);
		munmap(s.map, s.len);
		return cp_error("%s: the print copy has no pages", d->reference);
	}
	if (pr->out && pr->part_pages + pages > limit && finish_part(pr) < 0)
		goto fail;
	if (!pr->out && start_part(pr) < 0)
		goto fail;
	for (long i = 0; i < pages; i++)
		if (qpdf_add_page(pr->out, s.q, qpdf_get_page_n(s.q, (size_t)i), QPDF_FALSE) &
		    QPDF_ERRORS) {
			qpdf_failed(pr->out, d->reference);
			goto fail;
		}
	pr->src = cp_xrealloc(pr->src, (pr->nsrc + 1) * sizeof(*pr->src));
	pr->src[pr->nsrc++] = s;
	/* part, first page, last page, reference, type, replaces */
	fprintf(pr->docs, "%d %ld %ld %s %s %s\n", pr->nparts, pr->part_pages + 1,
		pr->part_pages + pages, d->reference, d->type, d->replaces ? d->replaces : "-");
	pr->part_pages += pages;
	pr->pages[!strcmp(stock_of(d->type), "certificate") ? 0 : 1] += pages;
	pr->documents++;
	if (d->replaces)
		pr->reprints++;
	return ferror(pr->docs) ? cp_error("cannot note a document for the ticket") : 0;
fail:
	qpdf_cleanup(&s.q);
	munmap(s.map, s.len);
	return -1;
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

static int write_ticket(struct printing *pr, struct cp_xmlout *out)
{
	struct cp_atomic a;
	struct cp_xmlout x;
	char *path = cp_xasprintf("%s/print-%s.ticket.xml", pr->dir, pr->p->batch), stamp[32];
	char line[256];
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
	for (int n = 1; n <= pr->nparts; n++) {
		char *name = part_name(pr, n), *file = cp_xasprintf("%s/%s", pr->dir, name);
		char sha[CP_SHA256_HEX];
		qpdf_data q = qpdf_init();
		long pages;
		struct stat st;

		qpdf_set_suppress_warnings(q, QPDF_TRUE);
		pages = (qpdf_read(q, file, NULL) & QPDF_ERRORS) ? -1 : qpdf_get_num_pages(q);
		qpdf_cleanup(&q);
		if (pages < 0 || cp_sha256_file(file, sha) < 0 || stat(file, &st) < 0) {
			cp_error("%s: cannot read back the part", file);
			free(name);
			free(file);
			cp_xmlout_finish(&x);
			cp_atomic_abort(&a);
			free(path);
			return -1;
		}
		cp_xmlout_start(&x, "part");
		cp_xmlout_attr_long(&x, "number", n);
		cp_xmlout_attr(&x, "file", name);
		cp_xmlout_attr_long(&x, "pages", pages);
		cp_xmlout_attr_long(&x, "bytes", (long)st.st_size);
		cp_xmlout_attr(&x, "sha256", sha);
		cp_xmlout_end(&x);
		cp_xmlout_start(out, "print");
		cp_xmlout_attr(out, "file", file);
		cp_xmlout_attr_long(out, "pages", pages);
		cp_xmlout_attr(out, "sha256", sha);
		cp_xmlout_end(out);
		free(name);
		free(file);
	}
	cp_xmlout_start(&x, "stock");
	cp_xmlout_attr(&x, "name", "certificate");
	cp_xmlout_attr(&x, "paper", "security");
	cp_xmlout_attr_long(&x, "sheets", pr->pages[0]);
	cp_xmlout_end(&x);
	cp_xmlout_start(&x, "stock");
	cp_xmlout_attr(&x, "name", "plain");
	cp_xmlout_attr(&x, "paper", "plain");
	cp_xmlout_attr_long(&x, "sheets", pr->pages[1]);
	cp_xmlout_end(&x);
	rewind(pr->docs);
	while (fgets(line, sizeof(line), pr->docs)) {
		char ref[32], type[16], replaces[32];
		long first, last;
		int part;

		if (sscanf(line, "%d %ld %ld %31s %15s %31s", &part, &first, &last, ref, type,
			   replaces) != 6)
			continue;
		cp_xmlout_start(&x, "document");
		cp_xmlout_attr(&x, "reference", ref);
		cp_xmlout_attr(&x, "type", type);
		cp_xmlout_attr(&x, "stock", stock_of(type));
		cp_xmlout_attr_long(&x, "part", part);
		cp_xmlout_attr_long(&x, "first-page", first);
		cp_xmlout_attr_long(&x, "last-page", last);
		if (strcmp(replaces, "-"))
			cp_xmlout_attr(&x, "replaces", replaces);
		cp_xmlout_end(&x);
	}
	cp_xmlout_start(&x, "end");
	cp_xmlout_attr_long(&x, "documents", pr->documents);
	cp_xmlout_attr_long(&x, "reprints", pr->reprints);
	cp_xmlout_attr_long(&x, "sheets", pr->pages[0] + pr->pages[1]);
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
	if (!(pr.docs = tmpfile())) {
		cp_error("cannot make a temp file: %s", strerror(errno));
		free(pr.dir);
		return CP_EX_CANTCREAT;
	}
	if (cp_pack_each_doc(p->reg, p->batch, true, add_doc, &pr) < 0 || finish_part(&pr) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	/* every part is made: give them their names */
	for (int n = 1; n <= pr.nparts && rc == CP_EX_OK; n++) {
		char *tmp = part_tmp(&pr, n), *name = part_name(&pr, n);
		char *final = cp_xasprintf("%s/%s", pr.dir, name);

		if (cp_rename_durable(tmp, final) < 0)
			rc = CP_EX_CANTCREAT;
		free(tmp);
		free(name);
		free(final);
	}
	if (rc == CP_EX_OK && write_ticket(&pr, out) < 0)
		rc = CP_EX_CANTCREAT;
	if (rc == CP_EX_OK)
		cp_info("print file: %d part%s, %ld documents (%ld reprints), %ld sheets of "
			"certificate paper and %ld plain", pr.nparts, pr.nparts == 1 ? "" : "s",
			pr.documents, pr.reprints, pr.pages[0], pr.pages[1]);
out:
	drop_sources(&pr);
	fclose(pr.docs);
	free(pr.dir);
	return rc;
}
