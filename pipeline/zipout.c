/* Centres' zips and their manifest, built one way for the nightly zip and
 * for exports on demand (zipout.h): libzip under a temp name, fsynced,
 * renamed. */
#include "zipout.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "doctype.h"
#include "ref.h"
#include "util/atomic.h"
#include "util/fault.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "zipseal.h"
#include "util/banned.h"

int cp_zipout_open(struct cp_zipout *z, const char *final, const char *password)
{
	const char *slash = strrchr(final, '/');
	int err;

	memset(z, 0, sizeof(*z));
	z->password = password;
	z->final = cp_xstrdup(final);
	z->tmp = slash ? cp_xasprintf("%.*s/.%s.cptmp.%ld", (int)(slash - final), final,
				      slash + 1, (long)getpid())
		       : cp_xasprintf(".%s.cptmp.%ld", final, (long)getpid());
	z->za = zip_open(z->tmp, ZIP_CREATE | ZIP_TRUNCATE, &err);
	if (!z->za) {
		zip_error_t e;

		zip_error_init_with_code(&e, err);
		cp_output_failed(zip_error_code_system(&e));
		cp_error("%s: cannot create: %s", z->tmp, zip_error_strerror(&e));
		zip_error_fini(&e);
		cp_zipout_abort(z);
		return -1;
	}
	return 0;
}

/* The entry just added at index i: compressed or stored, encrypted. */
static int entry_set(struct cp_zipout *z, const char *name, zip_int64_t i, bool store)
{
	if (zip_set_file_compression(z->za, (zip_uint64_t)i, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
				     store ? 0 : 9) < 0 ||
	    (z->password && zip_file_set_encryption(z->za, (zip_uint64_t)i, ZIP_EM_AES_256,
						    z->password) < 0))
		return cp_error("%s: %s", name, zip_strerror(z->za));
	z->entries++;
	return 0;
}

static int add_source(struct cp_zipout *z, const char *name, zip_source_t *src, bool store)
{
	zip_int64_t i = zip_file_add(z->za, name, src, ZIP_FL_ENC_UTF_8);

	if (i < 0) {
		zip_source_free(src);
		return cp_error("%s: cannot add to the zip: %s", name, zip_strerror(z->za));
	}
	return entry_set(z, name, i, store);
}

int cp_zipout_add_file(struct cp_zipout *z, const char *name, const char *path, bool store)
{
	zip_source_t *src = zip_source_file(z->za, path, 0, -1);

	if (!src)
		return cp_error("%s: %s", path, zip_strerror(z->za));
	return add_source(z, name, src, store);
}

int cp_zipout_add_buffer(struct cp_zipout *z, const char *name, char *buf, size_t len,
			 bool store)
{
	zip_source_t *src = zip_source_buffer(z->za, buf, len, 1);

	if (!src) {
		free(buf);
		return cp_error("%s: %s", name, zip_strerror(z->za));
	}
	return add_source(z, name, src, store);
}

int cp_zipout_add_doc(struct cp_zipout *z, const struct cp_batch_doc *d, const char *path)
{
	char name[64], norm[CP_REF_LEN + 1];
	uint32_t serial;
	unsigned issue;

	if (!cp_ref_parse(d->reference, norm, &serial, &issue) || strcmp(norm, d->reference))
		return cp_error("'%s' is not a reference: not put in a zip", d->reference);
	snprintf(name, sizeof(name), "%s/%s.pdf", cp_doctype_of(d->type)->folder, d->reference);
	return cp_zipout_add_file(z, name, path, true);
}

/* fsync the finished temp zip, mode 0640 whatever the umask gave. */
static int sync_tmp(const char *tmp)
{
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fchmod(fd, 0640) < 0 || cp_fault_check(CP_FAULT_FSYNC) < 0 || fsync(fd) < 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		cp_output_failed(e);
		return cp_error("%s: cannot sync: %s", tmp, strerror(e));
	}
	close(fd);
	return 0;
}

int cp_zipout_commit(struct cp_zipout *z)
{
	int rc = 0;

	if (zip_close(z->za) < 0) {
		cp_output_failed(zip_error_code_system(zip_get_error(z->za)));
		cp_error("%s: cannot write: %s", z->tmp, zip_strerror(z->za));
		rc = -1;
	} else {
		z->za = NULL;
		rc = sync_tmp(z->tmp) < 0 || cp_rename_durable(z->tmp, z->final) < 0 ? -1 : 0;
	}
	if (rc == 0) {
		free(z->tmp);
		z->tmp = NULL;
	}
	cp_zipout_abort(z);
	return rc;
}

void cp_zipout_abort(struct cp_zipout *z)
{
	if (z->za)
		zip_discard(z->za);
	if (z->tmp)
		unlink(z->tmp);
	free(z->tmp);
	free(z->final);
	z->za = NULL;
	z->tmp = z->final = NULL;
}

int cp_zipout_password(struct cp_registry *r, const struct cp_conf *conf, const char *centre,
		       char **pw)
{
	unsigned char sealed[CP_ZIP_SEALED_MAX];
	struct cp_zipseal k;
	size_t len;
	int got;

	*pw = NULL;
	if (!conf->export_encrypt)
		return 0;
	if (cp_zipseal_load(&k, conf->key_file) < 0)
		return -1;
	/* a clear one an older certpress kept is sealed before it is used */
	if (cp_zip_passwords_upgrade(r, conf->key_file) < 0 ||
	    (got = cp_export_password_sealed(r, centre, sealed, sizeof(sealed), &len)) < 0)
		goto fail;
	if (!got) {
		cp_error("exports are encrypted ([export] encrypt = yes) but centre %s has "
			 "no password: set one with 'certpress export-password %s'", centre,
			 centre);
		goto fail;
	}
	*pw = cp_xmalloc(CP_ZIP_SEALED_MAX);
	if (cp_zipseal_open(&k, centre, sealed, len, *pw, CP_ZIP_SEALED_MAX) < 0) {
		free(*pw);
		*pw = NULL;
		goto fail;
	}
	cp_zipseal_wipe(&k);
	return 0;
fail:
	cp_zipseal_wipe(&k);
	return -1;
}

void cp_zipout_password_free(char *pw)
{
	if (pw) {
		sodium_memzero(pw, strlen(pw));
		free(pw);
	}
}

/* The manifest (zipout.h). */

static const char *const header[] = {
	"reference", "document type", "enrolment", "candidate", "first name", "last name",
	"qualification number", "qualification title", "grade", "awarded", "issued", "expires",
	"file",
};
#define NCOLS (sizeof(header) / sizeof(*header))

static void field(FILE *f, const char *s, int last)
{
	bool formula = s && strchr("=+-@\t\r", s[0]) && s[0];
	bool quote = formula || (s && strpbrk(s, ",\"\r\n"));

	if (quote)
		fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	if (quote)
		fputc('"', f);
	fputs(last ? "\r\n" : ",", f);
}

void cp_manifest_header(FILE *f)
{
	fputs("\xEF\xBB\xBF", f);
	for (size_t i = 0; i < NCOLS; i++)
		field(f, header[i], i + 1 == NCOLS);
}

int cp_manifest_row(FILE *f, const struct cp_batch_doc *d)
{
	char file[64];
	const char *v[NCOLS];

	snprintf(file, sizeof(file), "%s/%s.pdf", cp_doctype_of(d->type)->folder, d->reference);
	v[0] = d->reference, v[1] = d->type, v[2] = d->enrolment, v[3] = d->candidate;
	v[4] = d->first_name, v[5] = d->last_name, v[6] = d->qualification, v[7] = d->title;
	v[8] = d->grade, v[9] = d->awarded, v[10] = d->issued, v[11] = d->expires, v[12] = file;
	for (size_t i = 0; i < NCOLS; i++)
		field(f, v[i], i + 1 == NCOLS);
	return ferror(f) ? -1 : 0;
}
