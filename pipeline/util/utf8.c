/* A strict UTF-8 decoder (RFC 3629) and the character classes that names
 * are checked against, the Unicode ones from libunistring's tables. */
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>

#include "util/xalloc.h"
#include "util/banned.h"

size_t cp_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

bool cp_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	while (n) {
		size_t len = cp_utf8_decode(p, n, &cp);

		if (!len)
			return false;
		p += len;
		n -= len;
	}
	return true;
}

size_t cp_utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t cp_utf8_length(const char *s)
{
	size_t count = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			count++;
	return count;
}

bool cp_utf8_is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb);
}

bool cp_utf8_has_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	uint32_t cp;

	while (n) {
		size_t len = cp_utf8_decode(p, n, &cp);

		if (!len || cp_utf8_is_control(cp))
			return true;
		p += len;
		n -= len;
	}
	return false;
}

bool cp_utf8_is_invisible(uint32_t c)
{
	if (c == 0x2800 || c == 0x115f || c == 0x1160 || c == 0x3164 || c == 0xffa0)
		return true;
	return uc_is_property_default_ignorable_code_point(c) &&
	       !uc_is_general_category(c, UC_CATEGORY_Cf) && !uc_is_property_variation_selector(c);
}

static bool trimmable(uint32_t c)
{
	return uc_is_property_white_space(c) || c == 0x2800 || c == 0x115f || c == 0x1160 ||
	       c == 0x3164 || c == 0xffa0;
}

/* The length of the character that ends the n bytes at s (0 if none is
 * valid there). */
static size_t last_char(const char *s, size_t n, uint32_t *cp)
{
	size_t k = 1;

	if (n == 0)
		return 0;
	while (k < n && k < 4 && ((unsigned char)s[n - k] & 0xc0) == 0x80)
		k++;
	return cp_utf8_decode((const unsigned char *)s + n - k, k, cp) == k ? k : 0;
}

char *cp_utf8_trim(const char *s)
{
	size_t n = strlen(s), k;
	uint32_t cp;

	while ((k = cp_utf8_decode((const unsigned char *)s, n, &cp)) && trimmable(cp)) {
		s += k;
		n -= k;
	}
	while ((k = last_char(s, n, &cp)) && trimmable(cp))
		n -= k;
	return cp_xstrndup(s, n);
}

/* Scripts whose writing uses ZWJ and ZWNJ inside words: cursive joining
 * (Arabic, Syriac, N'Ko, Mongolian) and conjuncts (Brahmic scripts). */
static bool joins(const uc_script_t *script)
{
	static const char *const names[] = {
		"Arabic", "Syriac", "Nko", "Mongolian", "Devanagari", "Bengali", "Gurmukhi",
		"Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala",
		"Tibetan", "Myanmar", "Khmer",
	};

	for (size_t i = 0; script && i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(script->name, names[i]))
			return true;
	return false;
}

/* The script of the letter nearest v[i] going by step (-1 or 1), looking
 * through marks of no script of their own (an Arabic shadda is
 * "Inherited"); NULL if anything else comes first. */
static const uc_script_t *script_near(const uint32_t *v, long i, int step, long n)
{
	for (; i >= 0 && i < n; i += step) {
		const uc_script_t *s = uc_script(v[i]);

		if (uc_is_general_category(v[i], UC_CATEGORY_L))
			return s;
		if (!uc_is_general_category(v[i], UC_CATEGORY_M))
			return NULL;
		if (s && strcmp(s->name, "Inherited") && strcmp(s->name, "Common"))
			return s;
	}
	return NULL;
}

static bool joiner_allowed(const uint32_t *v, size_t i, size_t n)
{
	const uc_script_t *before = script_near(v, (long)i - 1, -1, (long)n);
	const uc_script_t *after = script_near(v, (long)i + 1, 1, (long)n);

	return before && before == after && joins(before);
}

/* A variation selector picks a glyph of the character before it: kept
 * where names need that (ideographic variation sequences and the
 * standardized ones of the CJK compatibility ideographs after Han; the
 * free variation selectors after a Mongolian letter), refused as an
 * invisible character anywhere else (an emoji style in a Latin name). */
static bool variation_allowed(const uint32_t *v, size_t i)
{
	const uc_script_t *s = i ? uc_script(v[i - 1]) : NULL;
	bool mongolian = v[i] >= 0x180b && v[i] <= 0x180f;

	if (!s || !uc_is_general_category(v[i - 1], UC_CATEGORY_L))
		return false;
	return !strcmp(s->name, mongolian ? "Mongolian" : "Han");
}

static void found(struct cp_name_check *out, int cls, uint32_t c)
{
	if (!out->first[cls])
		out->first[cls] = c;
}

void cp_utf8_name_check(const char *s, struct cp_name_check *out)
{
	size_t n = 0, len = strlen(s), marks = 0;
	uint32_t *v = cp_xcalloc(len + 1, sizeof(*v));
	const unsigned char *p = (const unsigned char *)s;
	bool base = false; /* a character before that a mark can sit on */

	memset(out, 0, sizeof(*out));
	while (len) {
		size_t k = cp_utf8_decode(p, len, &v[n]);

		if (!k)
			break;
		n++;
		p += k;
		len -= k;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t c = v[i];
		bool joiner = c == 0x200c || c == 0x200d;

		if (cp_utf8_is_control(c))
			found(out, CP_NAME_CONTROL, c);
		else if (uc_is_general_category(c, UC_CATEGORY_Cf)) {
			if (!joiner || !joiner_allowed(v, i, n))
				found(out, CP_NAME_FORMAT, c);
		} else if (uc_is_property_variation_selector(c)) {
			if (!variation_allowed(v, i))
				found(out, CP_NAME_INVISIBLE, c);
			continue; /* part of the character before, not a mark on it */
		} else if (cp_utf8_is_invisible(c))
			found(out, CP_NAME_INVISIBLE, c);
		else if (uc_is_general_category(c, UC_CATEGORY_Cn) ||
			 uc_is_general_category(c, UC_CATEGORY_Co))
			found(out, CP_NAME_UNASSIGNED, c);
		else if (c == 0xfffd)
			found(out, CP_NAME_REPLACEMENT, c);
		else if (uc_is_general_category(c, UC_CATEGORY_L))
			out->letter = true;
		if (uc_is_general_category(c, UC_CATEGORY_M)) {
			if (!base)
				found(out, CP_NAME_NO_BASE, c);
			else if (++marks > CP_NAME_MAX_MARKS)
				found(out, CP_NAME_MARKS, c);
		} else if (!joiner) {
			base = !uc_is_property_white_space(c);
			marks = 0;
		}
	}
	free(v);
}

/* One class's reason into w (CP_NAME_REASON_MAX bytes). */
static void reason(char *w, int k, unsigned c)
{
	size_t m = CP_NAME_REASON_MAX;

	switch (k) {
	case CP_NAME_CONTROL:
		snprintf(w, m, "contains a control character");
		break;
	case CP_NAME_FORMAT:
		snprintf(w, m, "contains an invisible formatting character U+%04X", c);
		break;
	case CP_NAME_INVISIBLE:
		snprintf(w, m, "contains an invisible character U+%04X", c);
		break;
	case CP_NAME_UNASSIGNED:
		snprintf(w, m, "contains an unassigned or private-use character U+%04X", c);
		break;
	case CP_NAME_REPLACEMENT:
		snprintf(w, m, "contains U+%04X REPLACEMENT CHARACTER (text decoded with the "
			 "wrong encoding somewhere before)", c);
		break;
	case CP_NAME_NO_BASE:
		snprintf(w, m, "has a combining mark U+%04X at the start of a word", c);
		break;
	default:
		snprintf(w, m, "has more than %d combining marks on one character (U+%04X)",
			 CP_NAME_MAX_MARKS, c);
		break;
	}
}

int cp_utf8_name_reasons(const struct cp_name_check *c,
			 char why[CP_NAME_NREASONS][CP_NAME_REASON_MAX])
{
	int n = 0;

	for (int k = 0; k < CP_NAME_NCLASSES; k++)
		if (c->first[k])
			reason(why[n++], k, (unsigned)c->first[k]);
	if (!c->letter)
		snprintf(why[n++], CP_NAME_REASON_MAX, "has no letter");
	return n;
}

char *cp_utf8_safe_name(const char *name, size_t max)
{
	size_t n = strlen(name), o = 0, cut = 0, ext;
	char *out = cp_xcalloc(3 * n + 1, 1), *r;
	const unsigned char *p = (const unsigned char *)name;

	while (n) {
		uint32_t cp;
		size_t k = cp_utf8_decode(p, n, &cp);
		bool plain = k && cp != '%' && !cp_utf8_is_control(cp) &&
			     !uc_is_general_category(cp, UC_CATEGORY_Cf);

		if (!k)
			k = 1;
		for (size_t i = 0; i < k; i++) {
			if (plain)
				out[o++] = (char)p[i];
			else
				o += (size_t)snprintf(out + o, 4, "%%%02X", p[i]);
		}
		if (o + 1 <= max)
			cut = o; /* the longest whole-character start that fits */
		p += k;
		n -= k;
	}
	if (o <= max)
		return out;
	/* too long: the start, '~', the extension (up to 10 bytes) */
	r = strrchr(out, '.');
	ext = r && strlen(r) <= 10 ? strlen(r) : 0;
	while (cut > 0 && cut + 1 + ext > max)
		cut--;
	while (cut > 0 && ((unsigned char)out[cut] & 0xc0) == 0x80)
		cut--; /* never inside a character */
	while (cut > 0 && (out[cut - 1] == '%' || (cut > 1 && out[cut - 2] == '%')))
		cut--; /* nor inside an escape */
	r = cp_xasprintf("%.*s~%s", (int)cut, out, ext ? out + o - ext : "");
	free(out);
	return r;
}
