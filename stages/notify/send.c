/* The transports behind one call: smtp://host:port (smtp.c) or file:DIR,
 * each message written atomically as DIR/<Message-ID>.eml, the embedded
 * default for demos; "sent" there means the file is complete on disk. */
#include "notify.h"

#include <stdlib.h>
#include <string.h>

#include "util/atomic.h"
#include "util/xalloc.h"
#include "util/banned.h"

void cp_mail_clean_text(char *dst, size_t size, const char *text)
{
	size_t i = 0;

	for (; text && *text && i + 1 < size; text++)
		dst[i++] = (unsigned char)*text < 0x20 || *text == 0x7f ? ' ' : *text;
	while (i && dst[i - 1] == ' ')
		i--;
	dst[i] = '\0';
}

void cp_mail_set_reply(struct cp_mail *m, int code, const char *text)
{
	m->code = code;
	cp_mail_clean_text(m->reply, sizeof(m->reply), text);
}

int cp_mail_remake(struct cp_mail *m)
{
	int r = m->remake ? m->remake(m) : 0;

	if (r == 1) {
		m->withheld = true;
		m->attempted = false;
		cp_mail_set_reply(m, 0, "withheld: nothing of it is valid any more");
	} else if (r < 0) {
		m->attempted = false;
		cp_mail_set_reply(m, 0, "not tried: the registry cannot be read to make it again");
	} else if (m->handover && cp_handover_note(m->handover, m->message_id) < 0) {
		m->attempted = false;
		cp_mail_set_reply(m, 0, "not tried: it cannot be recorded as handed over");
		r = -1;
	}
	return r;
}

static enum cp_mail_session send_files(const char *dir, struct cp_mail *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *path;

		if (cp_mail_remake(&m[i]) != 0)
			continue;
		path = cp_xasprintf("%s/%s.eml", dir, m[i].message_id);

		/* a local failure is never the learner's: no attempt counted */
		m[i].attempted = cp_atomic_write_file(path, m[i].text, strlen(m[i].text), 0640) == 0;
		if (m[i].attempted && m[i].handover)
			cp_handover_accepted(m[i].handover, m[i].message_id);
		if (m[i].attempted)
			cp_mail_set_reply(&m[i], 250, "written to the outbox");
		else
			cp_mail_set_reply(&m[i], 0, "not tried: cannot write the message file");
		free(path);
	}
	return CP_MAIL_DONE;
}

enum cp_mail_session cp_mail_send(const struct cp_conf *conf, struct cp_mail *m, size_t n)
{
	if (!strncmp(conf->mail_transport, "file:", 5))
		return send_files(conf->mail_transport + 5, m, n);
	return cp_mail_send_smtp(conf, m, n);
}
