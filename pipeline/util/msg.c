/* Diagnostics: every message goes through cp_vlog, which escapes control
 * characters so no input value can add a line to a log. */
#include "util/msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/exitcode.h"
#include "util/banned.h"

static char progname[64] = "certpress";
static char batch[64];
static enum cp_level threshold = CP_INFO;

static const char *const level_names[] = { "debug", "info", "warning", "error" };

void cp_msg_init(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
	const char *name = slash ? slash + 1 : argv0;
	const char *env = getenv("CERTPRESS_LOG");
	int level;

	if (name && *name)
		snprintf(progname, sizeof(progname), "%s", name);
	if (env && (level = cp_msg_parse_level(env)) >= 0)
		threshold = (enum cp_level)level;
}

const char *cp_msg_progname(void)
{
	return progname;
}

void cp_msg_set_level(enum cp_level level)
{
	threshold = level;
}

const char *cp_msg_level_name(void)
{
	return level_names[threshold];
}

int cp_msg_parse_level(const char *s)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(*level_names); i++)
		if (strcmp(s, level_names[i]) == 0)
			return (int)i;
	return -1;
}

void cp_msg_set_batch(const char *b)
{
	snprintf(batch, sizeof(batch), "%s", b ? b : "");
}

char *cp_msg_escape(char *dst, size_t n, const char *src)
{
	size_t o = 0;

	if (n == 0)
		return dst;
	for (; *src && o + 1 < n; src++) {
		unsigned char c = (unsigned char)*src;
		char esc[8];
		size_t len;

		if (c == '\n')
			len = (size_t)snprintf(esc, sizeof(esc), "\\n");
		else if (c == '\t')
			len = (size_t)snprintf(esc, sizeof(esc), "\\t");
		else if (c == '\\')
			len = (size_t)snprintf(esc, sizeof(esc), "\\\\");
		else if (c < 0x20 || c == 0x7f)
			len = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", c);
		else {
			esc[0] = (char)c;
			len = 1;
		}
		if (o + len + 1 > n)
			break;
		memcpy(dst + o, esc, len);
		o += len;
	}
	dst[o] = '\0';
	return dst;
}

void cp_vlog(enum cp_level level, const char *fmt, va_list ap)
{
	char raw[4096], clean[8192];

	if (level < threshold)
		return;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	cp_msg_escape(clean, sizeof(clean), raw);
	if (batch[0])
		fprintf(stderr, "%s: %s: [%s] %s\n", progname, level_names[level],
			batch, clean);
	else
		fprintf(stderr, "%s: %s: %s\n", progname, level_names[level], clean);
}

#define CP_LOG_AT(level)                  \
	do {                              \
		va_list ap;               \
		va_start(ap, fmt);        \
		cp_vlog(level, fmt, ap);  \
		va_end(ap);               \
	} while (0)

void cp_debug(const char *fmt, ...)
{
	CP_LOG_AT(CP_DEBUG);
}

void cp_info(const char *fmt, ...)
{
	CP_LOG_AT(CP_INFO);
}

void cp_warn(const char *fmt, ...)
{
	CP_LOG_AT(CP_WARN);
}

int cp_error(const char *fmt, ...)
{
	CP_LOG_AT(CP_ERROR);
	return -1;
}

void cp_die(int code, const char *fmt, ...)
{
	CP_LOG_AT(CP_ERROR);
	exit(code);
}

void cp_bug(const char *fmt, ...)
{
	CP_LOG_AT(CP_ERROR);
	exit(CP_EX_SOFTWARE);
}

const char *cp_msg_clip(char dst[CP_MSG_CLIP], const char *src)
{
	size_t len = strlen(src), keep = CP_MSG_CLIP - 4;

	if (len < CP_MSG_CLIP) {
		memcpy(dst, src, len + 1);
		return dst;
	}
	/* back to the start of a UTF-8 character: never half of one */
	while (keep > 0 && ((unsigned char)src[keep] & 0xC0) == 0x80)
		keep--;
	memcpy(dst, src, keep);
	memcpy(dst + keep, "...", 4);
	return dst;
}
