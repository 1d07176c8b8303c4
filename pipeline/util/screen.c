/* One byte-wise pass over an input file: size, SHA-256, line count, NUL,
 * UTF-8 validity, the encoding declaration and DOCTYPE/ENTITY markup; and
 * the one way an outside file is opened (regular files only, never
 * blocking, links refused where they must be). */
#include "util/screen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/msg.h"
#include "util/banned.h"

struct utf8_state {
	int need;      /* continuation bytes still expected */
	int len;       /* length of the sequence being read */
	uint32_t cp;
};

/* Feed one byte; false if the byte cannot be where it is. */
static bool utf8_feed(struct utf8_state *u, unsigned char c)
{
	if (u->need == 0) {
		if (c < 0x80)
			return true;
		if (c >= 0xc2 && c <= 0xdf)
			u->len = 2, u->cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			u->len = 3, u->cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			u->len = 4, u->cp = c & 0x07;
		else
			return false;
		u->need = u->len - 1;
		return true;
	}
	if ((c & 0xc0) != 0x80)
		return false;
	u->cp = (u->cp << 6) | (c & 0x3f);
	if (--u->need == 0) {
		if ((u->len == 3 && u->cp < 0x800) || (u->len == 4 && (u->cp < 0x10000 ||
		    u->cp > 0x10ffff)) || (u->cp >= 0xd800 && u->cp <= 0xdfff))
			return false;
	}
	return true;
}

struct matcher {
	const char *pattern;
	size_t at;
};

static bool match_feed(struct matcher *m, unsigned char c)
{
	if ((unsigned char)m->pattern[m->at] == c) {
		if (m->pattern[++m->at] == '\0') {
			m->at = 0;
			return true;
		}
		return false;
	}
	m->at = (c == (unsigned char)m->pattern[0]) ? 1 : 0;
	return false;
}

static int refuse(struct cp_screen *s, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int refuse(struct cp_screen *s, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
	s->line = line;
	return 1;
}

/* The XML declaration may name an encoding; only UTF-8 is accepted. */
static int check_declaration(struct cp_screen *s, const unsigned char *buf, size_t n)
{
	char head[256], *end, *enc;
	size_t len = n < sizeof(head) - 1 ? n : sizeof(head) - 1;

	if (len >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf) {
		buf += 3;
		len -= 3;
	}
	memcpy(head, buf, len);
	head[len] = '\0';
	if (strncmp(head, "<?xml", 5) != 0 || !(end = strstr(head, "?>")))
		return 0;
	*end = '\0';
	enc = strstr(head, "encoding");
	if (!enc)
		return 0;
	enc += strlen("encoding");
	enc += strspn(enc, " \t\r\n=");
	if ((*enc == '"' || *enc == '\'') && strncasecmp(enc + 1, "UTF-8", 5) == 0 &&
	    enc[6] == *enc)
		return 0;
	return refuse(s, 1, "the XML declaration names an encoding other than UTF-8");
}

static const char *file_type(mode_t m)
{
	return S_ISLNK(m) ? "a symbolic link" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m)
	       ? "a character device" : S_ISBLK(m) ? "a block device" : S_ISSOCK(m)
	       ? "a socket" : S_ISDIR(m) ? "a folder" : "not a file";
}

int cp_screen_open(const char *path, bool follow, struct cp_screen *s)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
	struct stat st;
	int e = errno;

	memset(s, 0, sizeof(*s));
	if (fd < 0 && e == ELOOP && !follow) {
		refuse(s, 0, "not a regular file (%s)", file_type(S_IFLNK));
		return CP_SCREEN_REFUSED;
	}
	if (fd < 0) {
		/* a socket cannot be opened at all (ENXIO): what is there, if
		 * anything, is still no regular file, and is refused as one */
		if ((follow ? stat(path, &st) : lstat(path, &st)) == 0 && !S_ISREG(st.st_mode)) {
			refuse(s, 0, "not a regular file (%s)", file_type(st.st_mode));
			return CP_SCREEN_REFUSED;
		}
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) < 0 || fcntl(fd, F_SETFL, 0) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		refuse(s, 0, "not a regular file (%s)", file_type(st.st_mode));
		return CP_SCREEN_REFUSED;
	}
	return fd;
}

int cp_screen_fd(int fd, const char *path, off_t max_bytes, struct cp_screen *s, FILE *copy)
{
	struct matcher doctype = { "<!DOCTYPE", 0 }, entity = { "<!ENTITY", 0 };
	struct utf8_state u = { 0, 0, 0 };
	unsigned char buf[1 << 16];
	struct cp_sha256 h;
	long line = 1;
	ssize_t got;
	int first = 1, r = 0;

	memset(s, 0, sizeof(*s));
	cp_sha256_init(&h);
	for (;;) {
		/* one byte past the limit tells a file over it, and no more */
		off_t room = max_bytes + 1 - s->size;
		size_t want = room < (off_t)sizeof(buf) ? (size_t)room : sizeof(buf);
		size_t n;

		got = read(fd, buf, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n = (size_t)got;
		if (copy && fwrite(buf, 1, n, copy) != n) {
			cp_sha256_discard(&h);
			return cp_error("%s: cannot copy: %s", path, strerror(errno));
		}
		cp_sha256_update(&h, buf, n);
		s->size += (off_t)n;
		if (s->size > max_bytes) {
			r = refuse(s, 0, "the file is larger than %lld MB",
				   (long long)(max_bytes >> 20));
			break;
		}
		if (first && (r = check_declaration(s, buf, n)))
			break;
		first = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = buf[i];

			if (c == '\n')
				line++;
			if (c == 0) {
				r = refuse(s, line, "NUL byte in the file");
				break;
			}
			if (!utf8_feed(&u, c)) {
				r = refuse(s, line, "invalid UTF-8 (byte 0x%02x)", c);
				break;
			}
			if (match_feed(&doctype, c)) {
				r = refuse(s, line, "a DOCTYPE is not allowed in this file");
				break;
			}
			if (match_feed(&entity, c)) {
				r = refuse(s, line, "an ENTITY declaration is not allowed");
				break;
			}
		}
		if (r)
			break;
	}
	if (got < 0) {
		int e = errno;

		cp_sha256_discard(&h);
		return cp_error("%s: cannot read: %s", path, strerror(e));
	}
	if (r == 0 && u.need)
		r = refuse(s, line, "invalid UTF-8 (the file ends inside a character)");
	if (r == 0 && s->size == 0)
		r = refuse(s, 0, "the file is empty");
	s->lines = line;
	cp_sha256_final_hex(&h, s->sha256);
	return r;
}

int cp_screen_file(const char *path, off_t max_bytes, struct cp_screen *s)
{
	int fd = cp_screen_open(path, true, s), r;

	if (fd == CP_SCREEN_REFUSED)
		return 1;
	if (fd < 0)
		return cp_error("%s: cannot open: %s", path, strerror(errno));
	r = cp_screen_fd(fd, path, max_bytes, s, NULL);
	close(fd);
	return r;
}
