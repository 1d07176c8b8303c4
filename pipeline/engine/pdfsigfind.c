/* Locating a signature's byte ranges and value (pdfsigfind.h). */
#include "engine/pdfsigfind.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

static const unsigned char *find(const unsigned char *p, size_t n, const char *s)
{
	return memmem(p, n, s, strlen(s));
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "[ a b c d ]" at p (up to end): 0 and the four numbers, or -1. */
static int parse_range(const unsigned char *p, const unsigned char *end, size_t r[4])
{
	while (p < end && *p == ' ')
		p++;
	if (p == end || *p++ != '[')
		return -1;
	for (int i = 0; i < 4; i++) {
		size_t v = 0;
		int digits = 0;

		while (p < end && *p == ' ')
			p++;
		while (p < end && *p >= '0' && *p <= '9' && digits < 15) {
			v = v * 10 + (size_t)(*p++ - '0');
			digits++;
		}
		if (!digits)
			return -1;
		r[i] = v;
	}
	while (p < end && *p == ' ')
		p++;
	return p < end && *p == ']' ? 0 : -1;
}

int cp_pdfsig_find(const unsigned char *buf, size_t len, struct cp_pdfsig *sig, const char **why)
{
	const unsigned char *br = find(buf, len, "/ByteRange");
	size_t *r = sig->range, hexlen;

	memset(sig, 0, sizeof(*sig));
	if (len < 8 || memcmp(buf, "%PDF-", 5)) {
		*why = "not a PDF";
		return 0;
	}
	if (!br || !find(buf, len, "/Type /Sig")) {
		*why = "no signature in it";
		return 0;
	}
	if (parse_range(br + 10, buf + len, r) < 0 || r[0] != 0 || r[1] < 2 || r[2] <= r[1] ||
	    r[2] > len || r[3] > len - r[2]) {
		*why = "a signature whose byte ranges are not inside the file";
		return 0;
	}
	/* what lies between the ranges is the value, <hex>, and nothing else */
	hexlen = r[2] - r[1] - 2;
	if (buf[r[1]] != '<' || buf[r[2] - 1] != '>' || hexlen % 2) {
		*why = "a signature whose value is not between its byte ranges";
		return 0;
	}
	sig->der = cp_xmalloc(hexlen / 2 + 1);
	for (size_t i = 0; i < hexlen; i += 2) {
		int hi = hexval(buf[r[1] + 1 + i]), lo = hexval(buf[r[1] + 2 + i]);

		if (hi < 0 || lo < 0) {
			cp_pdfsig_release(sig);
			*why = "a signature value that is not hexadecimal";
			return 0;
		}
		sig->der[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	sig->der_len = hexlen / 2;
	sig->after = len - r[2] - r[3];
	sig->whole = sig->after == 0;
	return 1;
}

void cp_pdfsig_release(struct cp_pdfsig *sig)
{
	free(sig->der);
	sig->der = NULL;
}

bool cp_pdfsig_keywords(const unsigned char *buf, size_t n, char *out, size_t outn)
{
	static const char open[] = "<pdf:Keywords>";
	const unsigned char *p = find(buf, n, open), *q;

	if (!p)
		return false;
	p += sizeof(open) - 1;
	q = find(p, n - (size_t)(p - buf), "</pdf:Keywords>");
	if (!q || (size_t)(q - p) >= outn)
		return false;
	memcpy(out, p, (size_t)(q - p));
	out[q - p] = '\0';
	return true;
}
