/* PDF concatenation for the print file, streamed (see concat.h). Objects 1
 * to 3 of the output are its catalog, page tree and info, written last;
 * every source object gets the next free number, and every "N 0 R" in its
 * dictionary part is rewritten (stream data is copied as it is). */
#include "concat.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/digest.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define FIRST_FREE 4
#define MAX_SOURCE (64L << 20)

static int bad(const struct cp_concat_source *s, const char *why)
{
	return cp_error("%s: %s: not a PDF the print file can take", s->path, why);
}

/* The last occurrence of key in the file, or NULL. */
static const char *rfind(const struct cp_concat_source *s, const char *key)
{
	size_t k = strlen(key);

	for (size_t i = s->n >= k ? s->n - k + 1 : 0; i-- > 0;)
		if (!memcmp(s->d + i, key, k))
			return s->d + i;
	return NULL;
}

/* The object number after "key" in the text from p to end ("/Root 1 0 R"). */
static long ref_after(const char *p, const char *end, const char *key)
{
	size_t k = strlen(key);

	for (; p + k < end; p++)
		if (!memcmp(p, key, k)) {
			char *e;
			long v = strtol(p + k, &e, 10);

			return e != p + k ? v : -1;
		}
	return -1;
}

static int read_source(struct cp_concat_source *s)
{
	int fd = open(s->path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	const char *sx, *tr, *x;
	long first, count;
	char *e;

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size > MAX_SOURCE) {
		if (fd >= 0)
			close(fd);
		return cp_error("%s: missing, empty or too large", s->path);
	}
	s->n = (size_t)st.st_size;
	s->d = cp_xmalloc(s->n + 1);
	if (read(fd, s->d, s->n) != (ssize_t)s->n) {
		close(fd);
		return cp_error("%s: cannot read: %s", s->path, strerror(errno));
	}
	close(fd);
	s->d[s->n] = '\0';
	if (s->n < 8 || memcmp(s->d, "%PDF-", 5))
		return bad(s, "no PDF header");
	if (!(sx = rfind(s, "startxref")) || !(tr = rfind(s, "trailer")))
		return bad(s, "no trailer");
	s->root = ref_after(tr, s->d + s->n, "/Root ");
	s->info = ref_after(tr, s->d + s->n, "/Info ");
	s->size = ref_after(tr, s->d + s->n, "/Size ");
	x = s->d + strtol(sx + 9, &e, 10);
	s->xref = x - s->d;
	if (s->root <= 0 || s->size <= 1 || s->size > 1000000 || x < s->d ||
	    x >= s->d + s->n || strncmp(x, "xref", 4))
		return bad(s, "no classic cross-reference table");
	first = strtol(x + 4, &e, 10);
	count = strtol(e, &e, 10);
	if (first != 0 || count != s->size)
		return bad(s, "a cross-reference table in several sections");
	while (*e == ' ' || *e == '\r' || *e == '\n')
		e++;
	s->off = cp_xcalloc((size_t)s->size, sizeof(*s->off));
	for (long i = 0; i < s->size; i++, e += 20) {
		if (e + 20 > s->d + s->n || (e[17] != 'n' && e[17] != 'f'))
			return bad(s, "a cross-reference entry cut short");
		s->off[i] = e[17] == 'n' ? strtoll(e, NULL, 10) : -1;
		if (s->off[i] >= (long long)s->n)
			return bad(s, "an object past the end");
	}
	return 0;
}

/* Where object i's text starts (after "i 0 obj") and ends (at its
 * "endobj": the last one before the next object, since stream data may
 * hold those bytes too). */
static int object_span(const struct cp_concat_source *s, long i, const char **b, const char **e)
{
	char head[32];
	int k;
	long long next = s->xref;
	const char *p, *end = NULL;

	if (i <= 0 || i >= s->size || s->off[i] < 0)
		return bad(s, "a reference to a missing object");
	k = snprintf(head, sizeof(head), "%ld 0 obj", i);
	p = s->d + s->off[i];
	if ((size_t)(s->n - (size_t)s->off[i]) < (size_t)k || memcmp(p, head, (size_t)k))
		return bad(s, "an object not where the table says");
	for (long j = 1; j < s->size; j++)
		if (s->off[j] > s->off[i] && s->off[j] < next)
			next = s->off[j];
	if (next <= s->off[i])
		return bad(s, "an object after the cross-reference table");
	p += k;
	for (const char *q = s->d + next - 6; q >= p; q--)
		if (!memcmp(q, "endobj", 6)) {
			end = q;
			break;
		}
	if (!end)
		return bad(s, "an object without endobj");
	*b = p;
	*e = end;
	return 0;
}

/* The end of the dictionary part: the start of "stream" after ">>", or e. */
static const char *dict_end(const char *b, const char *e)
{
	for (const char *p = b; p + 6 <= e; p++)
		if (!memcmp(p, "stream", 6) && (p[6] == '\r' || p[6] == '\n')) {
			const char *q = p;

			while (q > b && (q[-1] == ' ' || q[-1] == '\r' || q[-1] == '\n'))
				q--;
			if (q - b >= 2 && q[-1] == '>' && q[-2] == '>')
				return p;
		}
	return e;
}

static int put(struct cp_concat *c, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, c->out.fp) != n)
		return cp_error("%s: cannot write: %s", c->out.path, strerror(errno));
	if (c->sha.ctx) /* until the trailer takes its /ID from it */
		cp_sha256_update(&c->sha, p, n);
	c->pos += (long long)n;
	return 0;
}

static int putf(struct cp_concat *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int putf(struct cp_concat *c, const char *fmt, ...)
{
	char buf[96];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		cp_bug("concat: a line longer than its buffer");
	return put(c, buf, (size_t)n);
}

/* Fixed text of any length. */
static int put_text(struct cp_concat *c, const char *s)
{
	return put(c, s, strlen(s));
}

static int is_delim(char ch)
{
	return ch == ' ' || ch == '\r' || ch == '\n' || ch == '\t' || ch == '/' || ch == '[' ||
	       ch == ']' || ch == '<' || ch == '>' || ch == '(' || ch == ')' || ch == '\0';
}

/* A font name with a subset tag, "/ABCDEF+...", at p. */
static bool is_subset_tag(const char *p, const char *e)
{
	if (*p != '/' || e - p < 9 || p[7] != '+')
		return false;
	for (int i = 1; i <= 6; i++)
		if (p[i] < 'A' || p[i] > 'Z')
			return false;
	return true;
}

/* Copy a dictionary part with every "N 0 R" renumbered; a /Parent of a
 * page points at the new page tree; a font's subset tag made unique in the
 * print file: each document embeds its own subset of a font under the same
 * name, and a printer's processor may take fonts of one name for one. */
static int copy_dict(struct cp_concat *c, const struct cp_concat_source *s, const char *b, const char *e)
{
	const char *p = b, *from = b;

	while (p < e) {
		if (is_subset_tag(p, e)) {
			char tag[4];
			long n = c->nsources;

			/* "/CPAAAB+DejaVuSerif": this document's own letters in
			 * place of the first four, the face's last two kept */
			for (int i = 3; i >= 0; i--, n /= 26)
				tag[i] = (char)('A' + n % 26);
			if (put(c, from, (size_t)(p + 1 - from)) < 0 || put(c, tag, 4) < 0)
				return -1;
			p = from = p + 5;
			continue;
		}
		if (*p >= '0' && *p <= '9' && (p == b || is_delim(p[-1]))) {
			char *n1;
			long num = strtol(p, &n1, 10);

			if (n1 + 4 <= e && !memcmp(n1, " 0 R", 4) && is_delim(n1[4])) {
				long to;

				if (num <= 0 || num >= s->size)
					return bad(s, "a reference out of range");
				to = num == s->pages ? 2 : s->map[num];
				if (!to)
					return bad(s, "a reference to the catalog or info");
				if (put(c, from, (size_t)(p - from)) < 0 || putf(c, "%ld 0 R", to) < 0)
					return -1;
				p = from = n1 + 4;
				continue;
			}
			p = n1;
			continue;
		}
		p++;
	}
	return put(c, from, (size_t)(e - from));
}

int cp_concat_open(struct cp_concat *c, const char *path)
{
	/* PDF/X-1a:2003 is PDF 1.4 at most; nothing copied through needs more */
	static const char head[] = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";

	memset(c, 0, sizeof(*c));
	if (cp_atomic_open(&c->out, path, 0640) < 0)
		return -1;
	cp_sha256_init(&c->sha);
	c->nobj = FIRST_FREE;
	c->cap = 1024;
	c->offset = cp_xcalloc(c->cap, sizeof(*c->offset));
	return put(c, head, sizeof(head) - 1);
}

void cp_concat_source_release(struct cp_concat_source *s)
{
	free(s->d);
	free(s->off);
	free(s->map);
	free(s->kids);
	memset(s, 0, sizeof(*s));
}

int cp_concat_read(struct cp_concat_source *s, const char *path)
{
	const char *b, *e, *kids, *kend;

	memset(s, 0, sizeof(*s));
	s->path = path;
	if (read_source(s) < 0 || object_span(s, s->root, &b, &e) < 0)
		return -1;
	s->pages = ref_after(b, e, "/Pages ");
	if (object_span(s, s->pages, &b, &e) < 0)
		return -1;
	kids = memmem(b, (size_t)(e - b), "/Kids", 5);
	if (!kids || kids > e || !(kend = memchr(kids, ']', (size_t)(e - kids))))
		return bad(s, "a page tree without /Kids");
	/* the pages, in order, from /Kids [ a 0 R b 0 R ] */
	for (const char *p = kids + 5; p < kend;) {
		char *n;
		long k = strtol(p, &n, 10);

		if (n == p) {
			p++;
			continue;
		}
		if (strncmp(n, " 0 R", 4) || k <= 0 || k >= s->size || s->off[k] < 0 ||
		    k == s->root || k == s->pages || k == s->info)
			return bad(s, "a page that is not a plain object");
		s->kids = cp_xrealloc(s->kids, ((size_t)s->npages + 1) * sizeof(*s->kids));
		s->kids[s->npages++] = k;
		p = n + 4;
	}
	if (!s->npages)
		return bad(s, "no pages");
	/* its date (D:YYYYMMDDHHmmSS), for the print file's own */
	if (s->info > 0 && object_span(s, s->info, &b, &e) == 0) {
		const char *d = memmem(b, (size_t)(e - b), "/CreationDate (D:", 17);

		if (d && d + 17 + 14 <= e && strspn(d + 17, "0123456789") >= 14)
			memcpy(s->created, d + 17, 14);
	}
	return 0;
}

int cp_concat_append(struct cp_concat *c, struct cp_concat_source *s, bool dated)
{
	const char *b, *e;

	if (dated && strcmp(s->created, c->newest) > 0)
		memcpy(c->newest, s->created, sizeof(c->newest));

	/* new numbers for every object but the catalog, page tree and info */
	s->map = cp_xcalloc((size_t)s->size, sizeof(*s->map));
	for (long i = 1; i < s->size; i++)
		if (s->off[i] >= 0 && i != s->root && i != s->pages && i != s->info)
			s->map[i] = (long)c->nobj++;
	if (c->nobj > c->cap) {
		size_t old = c->cap;

		while (c->cap < c->nobj)
			c->cap *= 2;
		c->offset = cp_xrealloc(c->offset, c->cap * sizeof(*c->offset));
		memset(c->offset + old, 0, (c->cap - old) * sizeof(*c->offset));
	}
	for (long i = 0; i < s->npages; i++) {
		if (c->nkids == c->kcap) {
			c->kcap = c->kcap ? c->kcap * 2 : 256;
			c->kids = cp_xrealloc(c->kids, c->kcap * sizeof(*c->kids));
		}
		c->kids[c->nkids++] = s->map[s->kids[i]];
	}
	c->nsources++;
	for (long i = 1; i < s->size; i++) {
		const char *d;

		if (!s->map[i])
			continue;
		if (object_span(s, i, &b, &e) < 0)
			return -1;
		d = dict_end(b, e);
		c->offset[s->map[i]] = c->pos;
		if (putf(c, "%ld 0 obj", s->map[i]) < 0 || copy_dict(c, s, b, d) < 0 ||
		    put(c, d, (size_t)(e - d)) < 0 || put(c, "endobj\n", 7) < 0)
			return -1;
	}
	return 0;
}

static int put_string(struct cp_concat *c, const char *s)
{
	if (put(c, "(", 1) < 0)
		return -1;
	for (; *s; s++) {
		if ((*s == '(' || *s == ')' || *s == '\\') && put(c, "\\", 1) < 0)
			return -1;
		if (put(c, s, 1) < 0)
			return -1;
	}
	return put(c, ")", 1);
}

int cp_concat_finish(struct cp_concat *c, const struct cp_concat_info *info)
{
	char date[32], id[CP_SHA256_HEX];
	struct tm tm;
	long long xref;

	/* PDF/X-1a: the print condition by its registered name (no profile
	 * embedded: the ICC registry's characterization is the reference) */
	c->offset[1] = c->pos;
	if (put_text(c, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OutputIntents [ << /Type"
			" /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier ") < 0 ||
	    put_string(c, info->output_condition) < 0 ||
	    put_text(c, " /OutputCondition ") < 0 || put_string(c, info->output_condition) < 0 ||
	    put_text(c, " /RegistryName (http://www.color.org) /Info ") < 0 ||
	    put_string(c, info->output_condition) < 0 || put_text(c, " >> ] >>\nendobj\n") < 0)
		goto fail;
	c->offset[2] = c->pos;
	if (put(c, "2 0 obj\n<< /Type /Pages /Kids [", 31) < 0)
		goto fail;
	for (size_t i = 0; i < c->nkids; i++)
		if (putf(c, i % 16 ? " %ld 0 R" : "\n%ld 0 R", c->kids[i]) < 0)
			goto fail;
	if (putf(c, " ] /Count %ld >>\nendobj\n", (long)c->nkids) < 0)
		goto fail;
	if (*c->newest) {
		snprintf(date, sizeof(date), "D:%s+00'00'", c->newest);
	} else {
		gmtime_r(&info->created, &tm);
		strftime(date, sizeof(date), "D:%Y%m%d%H%M%S+00'00'", &tm);
	}
	c->offset[3] = c->pos;
	if (put(c, "3 0 obj\n<< /Producer (certpress) /Title ", 39) < 0 ||
	    put_string(c, info->title) < 0 || put_text(c, " /CreationDate ") < 0 ||
	    put_string(c, date) < 0 || put_text(c, " /ModDate ") < 0 || put_string(c, date) < 0 ||
	    put_text(c, " /GTS_PDFXVersion (PDF/X-1a:2003) /Trapped /False >>\nendobj\n") < 0)
		goto fail;
	xref = c->pos;
	if (putf(c, "xref\n0 %ld\n0000000000 65535 f\r\n", (long)c->nobj) < 0)
		goto fail;
	for (size_t i = 1; i < c->nobj; i++) {
		char line[24];

		snprintf(line, sizeof(line), "%010lld 00000 n\r\n", c->offset[i]);
		if (put(c, line, 20) < 0)
			goto fail;
	}
	/* the file identifier: of everything written before it (so the same
	 * inputs give the same bytes, and another print file another /ID) */
	cp_sha256_final_hex(&c->sha, id);
	c->sha.ctx = NULL;
	if (putf(c, "trailer\n<< /Size %ld /Root 1 0 R /Info 3 0 R", (long)c->nobj) < 0 ||
	    putf(c, " /ID [<%.32s> <%.32s>] >>\n", id, id) < 0 ||
	    putf(c, "startxref\n%ld\n%%%%EOF\n", (long)xref) < 0)
		goto fail;
	free(c->offset);
	free(c->kids);
	c->offset = NULL;
	c->kids = NULL;
	return cp_atomic_commit(&c->out);
fail:
	cp_concat_abort(c);
	return -1;
}

void cp_concat_abort(struct cp_concat *c)
{
	if (c->sha.ctx)
		cp_sha256_discard(&c->sha);
	cp_atomic_abort(&c->out);
	free(c->offset);
	free(c->kids);
	c->offset = NULL;
	c->kids = NULL;
}
