/* RFC 5322 messages with MIME: UTF-8 throughout. A header value from data
 * (a name, a title) never reaches a header raw: control characters become
 * spaces and anything that is not plain printable ASCII is written as RFC
 * 2047 encoded words, so a CR or LF in a name can never start a header. The
 * body is quoted-printable, so lines stay short and 8-bit clean. */
#include "notify.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/date.h"
#include "util/utf8.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Printable ASCII only, and nothing a header parser treats specially. */
static bool plain_phrase(const char *s)
{
	for (; *s; s++)
		if (*s < ' ' || *s >= 0x7f || strchr("\"\\<>()[]:;@,=?", *s))
			return false;
	return true;
}

/* A value with every control character made a space. */
static char *clean(const char *s)
{
	char *c = cp_xstrdup(s ? s : "");

	for (unsigned char *p = (unsigned char *)c; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return c;
}

/* s as encoded words of at most 75 characters, never cutting a character,
 * joined by CRLF SPACE (folding). */
static void encoded_words(struct cp_strbuf *b, const char *s)
{
	size_t len = strlen(s), i = 0;
	bool first = true;

	while (i < len) {
		size_t take = 0;
		char out[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];

		while (i + take < len) {
			uint32_t cp;
			size_t n = cp_utf8_decode((const unsigned char *)s + i + take, len - i - take,
						  &cp);

			if (!n)
				n = 1;
			if (take + n > 45)
				break;
			take += n;
		}
		sodium_bin2base64(out, sizeof(out), (const unsigned char *)s + i, take,
				  sodium_base64_VARIANT_ORIGINAL);
		if (!first)
			cp_strbuf_puts(b, "\r\n ");
		cp_strbuf_puts(b, "=?UTF-8?B?");
		cp_strbuf_puts(b, out);
		cp_strbuf_puts(b, "?=");
		first = false;
		i += take;
	}
}

static void header_text(struct cp_strbuf *b, const char *name, const char *value)
{
	char *v = clean(value);

	cp_strbuf_puts(b, name);
	cp_strbuf_puts(b, ": ");
	if (plain_phrase(v) && strlen(v) < 900)
		cp_strbuf_puts(b, v);
	else
		encoded_words(b, v);
	cp_strbuf_puts(b, "\r\n");
	free(v);
}

/* "Name <addr>": the name as it is when plain, else encoded. */
static void header_address(struct cp_strbuf *b, const char *name, const char *display,
			   const char *addr)
{
	char *v = clean(display);

	cp_strbuf_puts(b, name);
	cp_strbuf_puts(b, ": ");
	if (*v) {
		if (plain_phrase(v))
			cp_strbuf_puts(b, v);
		else
			encoded_words(b, v);
		cp_strbuf_puts(b, " ");
	}
	cp_strbuf_puts(b, "<");
	cp_strbuf_puts(b, addr);
	cp_strbuf_puts(b, ">\r\n");
	free(v);
}

/* One line of body text as quoted-printable, soft breaks before 76. */
static void qp_line(struct cp_strbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0, n = strlen(s);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char enc[4];
		size_t w;

		if ((c >= 33 && c <= 126 && c != '=') ||
		    (c == ' ' && i + 1 < n)) { /* a space ending a line is encoded */
			enc[0] = (char)c;
			w = 1;
		} else {
			enc[0] = '=';
			enc[1] = hex[c >> 4];
			enc[2] = hex[c & 15];
			w = 3;
		}
		if (col + w > 75) {
			cp_strbuf_puts(b, "=\r\n");
			col = 0;
		}
		cp_strbuf_put(b, enc, w);
		col += w;
	}
	cp_strbuf_puts(b, "\r\n");
}

/* Expand a template line; a value with line breaks ({documents}) gives
 * several body lines. */
static void body_line(struct cp_strbuf *b, const struct cp_text *t, const struct cp_values *v)
{
	char *s = cp_text_expand(t, v, NULL), *nl;

	/* the next line starts after a newline only when there is one (NULL + 1
	 * is undefined) */
	for (char *line = s;; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		for (char *p = line; *p; p++)
			if ((unsigned char)*p < 0x20 && *p != '\t')
				*p = ' ';
		qp_line(b, line);
		if (!nl)
			break;
	}
	free(s);
}

static void date_header(struct cp_strbuf *b)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t now = cp_clock_now();
	struct tm tm;
	char s[64];

	gmtime_r(&now, &tm);
	snprintf(s, sizeof(s), "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
		 tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
	cp_strbuf_puts(b, s);
}

char *cp_mail_compose(const struct cp_conf *conf, const struct cp_mail_template *t,
		      const struct cp_values *v, const char *to_name, const char *to,
		      const char *message_id)
{
	struct cp_strbuf b = { 0 };
	const char *from = conf->mail_from, *lt = strchr(from, '<');
	struct cp_values safe = *v;
	char *owned[CP_NBINDINGS] = { 0 }, *subject;

	/* only {documents} may break a line: any other value is one line */
	for (int i = 0; i < CP_NBINDINGS; i++)
		if (i != CP_B_DOCUMENTS && v->v[i])
			safe.v[i] = owned[i] = clean(v->v[i]);
	v = &safe;
	subject = cp_text_expand(&t->subject, v, NULL);

	if (lt) {
		char *name = cp_xstrndup(from, (size_t)(lt - from)), *addr = cp_xstrdup(lt + 1);
		size_t n = strlen(name);

		while (n && name[n - 1] == ' ')
			name[--n] = '\0';
		addr[strcspn(addr, ">")] = '\0';
		header_address(&b, "From", name, addr);
		free(name);
		free(addr);
	} else {
		header_address(&b, "From", "", from);
	}
	header_address(&b, "To", to_name, to);
	header_text(&b, "Subject", subject);
	date_header(&b);
	cp_strbuf_puts(&b, "Message-ID: <");
	cp_strbuf_puts(&b, message_id);
	cp_strbuf_puts(&b, ">\r\nMIME-Version: 1.0\r\n"
		  "Content-Type: text/plain; charset=UTF-8\r\n"
		  "Content-Transfer-Encoding: quoted-printable\r\n"
		  "Auto-Submitted: auto-generated\r\n\r\n");
	for (size_t i = 0; i < t->nlines; i++)
		body_line(&b, &t->lines[i], v);
	free(subject);
	for (int i = 0; i < CP_NBINDINGS; i++)
		free(owned[i]);
	return b.s;
}
