/* The centre's zip (libzip): built under a temp name in its final folder,
 * fsynced, then renamed, so the zip appears only when complete and a re-run
 * after a crash replaces it instead of leaving two. Every entry name is a
 * fixed folder and a reference checked here; PDFs are stored (they are
 * compressed already), the CSV deflated; with [export] encrypt = yes every
 * entry is AES-256 encrypted with the centre's password from the registry. */
#include "pack.h"

#include <errno.h>
#include <sodium.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "util/atomic.h"
#include "util/date.h"
#include "util/digest.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "ref.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct zipping {
	struct cp_pack *p;
	zip_t *za;
	const char *password; /* NULL: not encrypted */
	long entries;
};

static int add_file(struct zipping *z, const char *name, const char *path, bool store)
{
	zip_source_t *src = zip_source_file(z->za, path, 0, -1);
	zip_int64_t i;

	if (!src)
		return cp_error("%s: %s", path, zip_strerror(z->za));
	i = zip_file_add(z->za, name, src, ZIP_FL_ENC_UTF_8);
	if (i < 0) {
		zip_source_free(src);
		return cp_error("%s: cannot add to the zip: %s", name, zip_strerror(z->za));
	}
	if (zip_set_file_compression(z->za, (zip_uint64_t)i, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
				     store ? 0 : 9) < 0 ||
	    (z->password && zip_file_set_encryption(z->za, (zip_uint64_t)i, ZIP_EM_AES_256,
						    z->password) < 0))
		return cp_error("%s: %s", name, zip_strerror(z->za));
	z->entries++;
	return 0;
}

static int add_doc(void *ctx, const struct cp_batch_doc *d)
{
	struct zipping *z = ctx;
	char name[64], norm[CP_REF_LEN + 1], *path;
	uint32_t serial;
	unsigned issue;
	int rc;

	if (strcmp(d->centre, z->p->centre))
		return 0;
	/* the reference is the only part of the name from data: it must be one */
	if (!cp_ref_parse(d->reference, norm, &serial, &issue) || strcmp(norm, d->reference))
		return cp_error("'%s' is not a reference: not put in a zip", d->reference);
	snprintf(name, sizeof(name), "%s/%s.pdf", cp_doctype_of(d->type)->folder, d->reference);
	path = cp_xasprintf("%s/digital/%s.pdf", z->p->dir, d->reference);
	rc = add_file(z, name, path, true);
	free(path);
	return rc;
}

static int add_reports(struct zipping *z)
{
	char *path = cp_xasprintf("%s/manifest.csv", z->p->work);
	int rc = add_file(z, "manifest.csv", path, false);

	free(path);
	path = cp_xasprintf("%s/certification-report.pdf", z->p->work);
	if (!rc)
		rc = add_file(z, "certification-report.pdf", path, true);
	free(path);
	for (size_t i = 0; !rc && i < z->p->nruns; i++) {
		char *name;
		struct stat st;

		if (!z->p->runs[i].achieved)
			continue; /* no documents, no summary */
		name = cp_xasprintf("summary-%s.pdf", z->p->runs[i].id);
		path = cp_xasprintf("%s/%s", z->p->work, name);
		if (stat(path, &st) == 0)
			rc = add_file(z, name, path, true);
		free(name);
		free(path);
	}
	return rc;
}

/* The centre's zip password, or NULL with a message. Caller frees. */
static char *password_of(struct cp_pack *p)
{
	char *pw = cp_export_password(p->reg, p->centre);

	if (!pw)
		cp_error("exports are encrypted ([export] encrypt = yes) but centre %s has no "
			 "password: set one with 'certpress export-password %s'", p->centre,
			 p->centre);
	return pw;
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

/* fsync the finished temp zip and rename it onto its name. */
static int publish(const char *tmp, const char *final)
{
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fchmod(fd, 0640) < 0 || fsync(fd) < 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		cp_output_failed(e);
		return cp_error("%s: cannot sync: %s", tmp, strerror(e));
	}
	close(fd);
	return cp_rename_durable(tmp, final);
}

static int build(struct zipping *z, const char *tmp)
{
	int err;

	z->za = zip_open(tmp, ZIP_CREATE | ZIP_TRUNCATE, &err);
	if (!z->za) {
		zip_error_t e;

		zip_error_init_with_code(&e, err);
		cp_output_failed(zip_error_code_system(&e));
		cp_error("%s: cannot create: %s", tmp, zip_error_strerror(&e));
		zip_error_fini(&e);
		return -1;
	}
	if (add_reports(z) < 0 || cp_documents_chosen_each(z->p->reg, z->p->batch, false, add_doc, z) < 0) {
		zip_discard(z->za);
		return -1;
	}
	if (zip_close(z->za) < 0) {
		cp_output_failed(zip_error_code_system(zip_get_error(z->za)));
		cp_error("%s: cannot write: %s", tmp, zip_strerror(z->za));
		zip_discard(z->za);
		return -1;
	}
	return 0;
}

int cp_pack_export(struct cp_pack *p, const struct cp_spool *spool, struct cp_xmlout *out)
{
	struct zipping z = { p, NULL, NULL, 0 };
	char *dir, *file, *final, *tmp, sha[CP_SHA256_HEX];
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
	if (p->conf->export_encrypt && !(z.password = password_of(p)))
		return CP_EX_CONFIG;
	dir = cp_xasprintf("%s/%s", spool->exports, p->batch);
	file = cp_xasprintf("%s-%s.zip", p->centre, p->batch);
	final = cp_xasprintf("%s/%s", dir, file);
	tmp = cp_xasprintf("%s/.%s.cptmp.%ld", dir, file, (long)getpid());
	if (cp_mkdirs(dir) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	cp_atomic_sweep(dir);
	if (record(p, file, "pending", NULL, 0) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	if (build(&z, tmp) < 0 || publish(tmp, final) < 0) {
		unlink(tmp);
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
	cp_xmlout_attr_long(out, "entries", z.entries);
	cp_xmlout_attr_long(out, "bytes", (long)bytes);
	cp_xmlout_attr(out, "sha256", sha);
	cp_xmlout_attr(out, "encrypted", z.password ? "yes" : "no");
	cp_xmlout_end(out);
	cp_info("export %s: %ld entries, %lld bytes%s", file, z.entries, bytes,
		z.password ? ", AES-256" : "");
out:
	if (z.password) {
		sodium_memzero((char *)z.password, strlen(z.password));
		free((char *)z.password);
	}
	free(dir);
	free(file);
	free(final);
	free(tmp);
	return rc;
}
