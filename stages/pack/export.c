/* The centre's zip of the batch (zipout.h builds it: a temp name in its
 * final folder, fsynced, renamed, so it appears only when complete and a
 * re-run after a crash replaces it): the manifest, the reports, the
 * digital copies; with [export] encrypt = yes every entry AES-256 with the
 * centre's password from the registry. Its registry row is pending before
 * the zip is written and finished after. */
#include "pack.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/date.h"
#include "util/digest.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "zipout.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct zipping {
	struct cp_pack *p;
	struct cp_zipout z;
};

static int add_doc(void *ctx, const struct cp_batch_doc *d)
{
	struct zipping *zp = ctx;
	char *path;
	int rc;

	if (strcmp(d->centre, zp->p->centre))
		return 0;
	path = cp_xasprintf("%s/digital/%s.pdf", zp->p->dir, d->reference);
	rc = cp_zipout_add_doc(&zp->z, d, path);
	free(path);
	return rc;
}

static int add_reports(struct zipping *zp)
{
	struct cp_pack *p = zp->p;
	char *path = cp_xasprintf("%s/manifest.csv", p->work);
	int rc = cp_zipout_add_file(&zp->z, "manifest.csv", path, false);

	free(path);
	path = cp_xasprintf("%s/certification-report.pdf", p->work);
	if (!rc)
		rc = cp_zipout_add_file(&zp->z, "certification-report.pdf", path, true);
	free(path);
	for (size_t i = 0; !rc && i < p->nruns; i++) {
		char *name;
		struct stat st;

		if (!p->runs[i].achieved)
			continue; /* no documents, no summary */
		name = cp_xasprintf("summary-%s.pdf", p->runs[i].id);
		path = cp_xasprintf("%s/%s", p->work, name);
		if (stat(path, &st) == 0)
			rc = cp_zipout_add_file(&zp->z, name, path, true);
		free(name);
		free(path);
	}
	return rc;
}

static int record(struct cp_pack *p, const char *file, const char *status, const char *sha,
		  long long bytes)
{
	char created[32], expires[32];
	time_t now = cp_clock_now();

	cp_utc_stamp(now, created, sizeof(created));
	cp_utc_stamp(now + (time_t)p->conf->retention_hours * 3600, expires, sizeof(expires));
	return cp_export_record(p->reg, p->batch, p->centre, file, created, expires, status, sha,
				bytes);
}

static int build(struct zipping *zp, const char *final, const char *password)
{
	if (cp_zipout_open(&zp->z, final, password) < 0)
		return -1;
	if (add_reports(zp) < 0 ||
	    cp_documents_chosen_each(zp->p->reg, zp->p->batch, false, add_doc, zp) < 0) {
		cp_zipout_abort(&zp->z);
		return -1;
	}
	return cp_zipout_commit(&zp->z);
}

int cp_pack_export(struct cp_pack *p, const struct cp_spool *spool, struct cp_xmlout *out)
{
	struct zipping z = { .p = p };
	char *dir, *file, *final, *password = NULL, sha[CP_SHA256_HEX];
	long long bytes = 0;
	struct stat st;
	int rc = CP_EX_OK;

	if (p->documents == 0) {
		/* nothing for the centre to download or confirm: no zip, no row,
		 * so no email to the centre and no receipt asked */
		cp_info("batch %s has no documents: no export for centre %s, no receipt asked",
			p->batch, p->centre);
		return CP_EX_OK;
	}
	if (!cp_spool_name_ok(p->centre)) {
		cp_error("centre number '%s' cannot name a file: no export made", p->centre);
		return CP_EX_DATAERR;
	}
	if (cp_zipout_password(p->reg, p->conf, p->centre, &password) < 0)
		return CP_EX_CONFIG;
	dir = cp_xasprintf("%s/%s", spool->exports, p->batch);
	file = cp_xasprintf("%s-%s.zip", p->centre, p->batch);
	final = cp_xasprintf("%s/%s", dir, file);
	if (cp_mkdirs(dir) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	cp_atomic_sweep(dir);
	if (record(p, file, "pending", NULL, 0) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	if (build(&z, final, password) < 0) {
		record(p, file, "failed", NULL, 0);
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	if (stat(final, &st) == 0)
		bytes = (long long)st.st_size;
	if (cp_sha256_file(final, sha) < 0 ||
	    record(p, file, "finished", sha, bytes) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	cp_xmlout_start(out, "export");
	cp_xmlout_attr(out, "centre", p->centre);
	cp_xmlout_attr(out, "file", final);
	cp_xmlout_attr_long(out, "entries", z.z.entries);
	cp_xmlout_attr_long(out, "bytes", (long)bytes);
	cp_xmlout_attr(out, "sha256", sha);
	cp_xmlout_attr(out, "encrypted", password ? "yes" : "no");
	cp_xmlout_end(out);
	cp_info("export %s: %ld entries, %lld bytes%s", file, z.z.entries, bytes,
		password ? ", AES-256" : "");
out:
	cp_zipout_password_free(password);
	free(dir);
	free(file);
	free(final);
	return rc;
}
