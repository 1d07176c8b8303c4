/* Email templates: plain UTF-8 text under layouts/, with the bindings of
 * the layout engine. The first line is "Subject: ...", then a blank line,
 * then the body. Every error names the file and the line. */
#include "notify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "util/readfile.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define MAX_TEMPLATE (64 * 1024)

static int parse_line(struct cp_mail_template *t, struct cp_text *out, const char *src,
		      long line)
{
	char why[256];

	if (cp_text_parse(out, src, 0, why, sizeof(why)) < 0)
		return cp_error("%s:%ld: %s", t->path, line, why);
	return 0;
}

int cp_mail_template_load(struct cp_mail_template *t, const char *dir, const char *name)
{
	FILE *f;
	char *buf = NULL, *text;
	size_t cap = 0, size;
	ssize_t len;
	long line = 0;
	int rc = 0, state = 0; /* 0 subject, 1 the blank line, 2 body */

	memset(t, 0, sizeof(*t));
	t->path = cp_xasprintf("%s/%s.txt", dir, name);
	/* a FIFO or a device is refused, never waited on; at most 64 KB */
	if (cp_read_text_file(t->path, "email template", MAX_TEMPLATE, &text, &size) < 0) {
		cp_mail_template_release(t);
		return -1;
	}
	if (!(f = fmemopen(text, size ? size : 1, "r"))) {
		free(text);
		rc = cp_error("%s: cannot read the email template: %s", t->path, strerror(errno));
		cp_mail_template_release(t);
		return rc;
	}
	while (rc == 0 && (len = getline(&buf, &cap, f)) >= 0) {
		line++;
		if (len && buf[len - 1] == '\n')
			buf[--len] = '\0';
		if (len && buf[len - 1] == '\r')
			buf[--len] = '\0';
		if (!cp_utf8_valid(buf, (size_t)len) || cp_utf8_has_control(buf)) {
			rc = cp_error("%s:%ld: not UTF-8 text without control characters, or too long",
				      t->path, line);
		} else if (state == 0) {
			if (strncmp(buf, "Subject: ", 9) || !buf[9])
				rc = cp_error("%s:%ld: the first line must be 'Subject: ...'", t->path,
					      line);
			else
				rc = parse_line(t, &t->subject, buf + 9, line);
			state = 1;
		} else if (state == 1) {
			if (*buf)
				rc = cp_error("%s:%ld: a blank line must follow the subject", t->path,
					      line);
			state = 2;
		} else {
			t->lines = cp_xrealloc(t->lines, (t->nlines + 1) * sizeof(*t->lines));
			rc = parse_line(t, &t->lines[t->nlines], buf, line);
			if (rc == 0)
				t->nlines++;
		}
	}
	free(buf);
	fclose(f);
	free(text);
	if (rc == 0 && state < 2)
		rc = cp_error("%s: no body after the subject", t->path);
	if (rc < 0)
		cp_mail_template_release(t);
	return rc;
}

void cp_mail_template_release(struct cp_mail_template *t)
{
	cp_text_release(&t->subject);
	for (size_t i = 0; i < t->nlines; i++)
		cp_text_release(&t->lines[i]);
	free(t->lines);
	free(t->path);
	memset(t, 0, sizeof(*t));
}
