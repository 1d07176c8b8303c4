/* manifest.csv: RFC 4180 (CRLF, fields with a comma, quote or line break
 * quoted, quotes doubled), UTF-8 with a byte order mark so that spreadsheet
 * programs read names correctly. A field that a spreadsheet would run as a
 * formula (starting with =, +, -, @, tab or CR) is prefixed with a
 * single quote, as OWASP advises, and quoted. */
#include "pack.h"

#include <string.h>

#include "util/atomic.h"
#include "util/msg.h"
#include "util/banned.h"

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

struct rows {
	FILE *f;
	const char *centre;
};

static int row(void *ctx, const struct cp_batch_doc *d)
{
	struct rows *r = ctx;
	char file[64];
	const char *v[NCOLS];

	if (strcmp(d->centre, r->centre))
		return 0;
	snprintf(file, sizeof(file), "%s/%s.pdf", cp_doctype_of(d->type)->folder, d->reference);
	v[0] = d->reference, v[1] = d->type, v[2] = d->enrolment, v[3] = d->candidate;
	v[4] = d->first_name, v[5] = d->last_name, v[6] = d->qualification, v[7] = d->title;
	v[8] = d->grade, v[9] = d->awarded, v[10] = d->issued, v[11] = d->expires, v[12] = file;
	for (size_t i = 0; i < NCOLS; i++)
		field(r->f, v[i], i + 1 == NCOLS);
	return ferror(r->f) ? -1 : 0;
}

int cp_pack_manifest(struct cp_pack *p, const char *path)
{
	struct cp_atomic a;
	struct rows r;

	if (cp_atomic_open(&a, path, 0640) < 0)
		return -1;
	r.f = a.fp;
	r.centre = p->centre;
	fputs("\xEF\xBB\xBF", a.fp);
	for (size_t i = 0; i < NCOLS; i++)
		field(a.fp, header[i], i + 1 == NCOLS);
	if (cp_documents_chosen_each(p->reg, p->batch, false, row, &r) < 0) {
		cp_atomic_abort(&a);
		return -1;
	}
	return cp_atomic_commit(&a);
}
