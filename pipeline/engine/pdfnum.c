/* PDF numbers without printf (pdfnum.h). */
#include "engine/pdfnum.h"

#include <math.h>

#include "util/banned.h"

size_t cp_pdfnum_int(char *out, long v)
{
	char digits[20];
	size_t n = 0, len = 0;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		out[len++] = '-';
	while (n)
		out[len++] = digits[--n];
	return len;
}

size_t cp_pdfnum_real(char *out, double v, int decimals)
{
	static const long scale[] = { 1, 10, 100, 1000, 10000 };
	long s = scale[decimals < 0 ? 0 : decimals > 4 ? 4 : decimals];
	double r = round(fabs(v) * (double)s);
	long whole, frac;
	size_t len = 0;
	int places = decimals < 0 ? 0 : decimals > 4 ? 4 : decimals;

	if (!isfinite(v) || r >= 1e15) /* never for a page; keep the stream valid */
		r = 0;
	whole = (long)(r / (double)s);
	frac = (long)(r - (double)whole * (double)s);
	if (v < 0 && r > 0)
		out[len++] = '-';
	len += cp_pdfnum_int(out + len, whole);
	while (places && frac % 10 == 0) {
		frac /= 10;
		places--;
	}
	if (places) {
		out[len++] = '.';
		for (int i = places - 1; i >= 0; i--, frac /= 10)
			out[len + (size_t)i] = (char)('0' + frac % 10);
		len += (size_t)places;
	}
	return len;
}

size_t cp_pdfnum_hex4(char *out, unsigned v)
{
	static const char hex[] = "0123456789ABCDEF";

	for (int i = 3; i >= 0; i--, v >>= 4)
		out[i] = hex[v & 15];
	return 4;
}
