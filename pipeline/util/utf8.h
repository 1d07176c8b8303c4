/* UTF-8 text checks for names and other fields printed on documents. */
#ifndef CP_UTF8_H
#define CP_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point from s (at most n bytes). Returns its length in
 * bytes, or 0 if the bytes there are not valid UTF-8 (overlong forms,
 * surrogates and values above U+10FFFF are invalid). */
size_t cp_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* True if the n bytes are valid UTF-8. */
bool cp_utf8_valid(const char *s, size_t n);
/* Write cp as UTF-8 into out (4 bytes at most, not terminated); returns
 * the length. */
size_t cp_utf8_encode(uint32_t cp, char *out);
/* Number of code points in a valid UTF-8 string. */
size_t cp_utf8_length(const char *s);
/* True if the code point is a control or formatting character that must not
 * appear in a name: C0, DEL, C1, line and paragraph separators, and the
 * bidirectional embedding, override and isolate controls. */
bool cp_utf8_is_control(uint32_t cp);
/* True if the valid UTF-8 string holds such a character. */
bool cp_utf8_has_control(const char *s);
/* True for a character that shows nothing on its own: the invisible
 * fillers and blanks that are not white space (U+2800 BRAILLE PATTERN
 * BLANK, the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0) and the
 * default-ignorable characters that are neither formatting characters nor
 * variation selectors (U+034F COMBINING GRAPHEME JOINER, U+17B4, U+17B5...). */
bool cp_utf8_is_invisible(uint32_t cp);
/* A copy of s without leading and trailing white space: every character
 * with Unicode's White_Space property (spaces of every width, U+3000, tabs,
 * line breaks, NEL, the line and paragraph separators) and the blank
 * fillers above (U+2800, U+115F, U+1160, U+3164, U+FFA0). */
char *cp_utf8_trim(const char *s);

/* A file name as data: a copy of name that is printable UTF-8, at most max
 * bytes (max at least 16). Bytes that are not UTF-8, control and formatting
 * characters (cp_utf8_is_control, category Cf) and '%' itself become %XX
 * for each byte ("r\xe9s\n.xml" is "r%E9s%0A.xml"); a longer result keeps
 * its start and its extension around a '~' ("nnnn...nnn~.xml"). */
char *cp_utf8_safe_name(const char *name, size_t max);

/* The rule a name is checked against (README, validate): each class of
 * character a name must not hold, with the first code point of that class
 * found (0: none), and whether it has a letter (general category L that is
 * not an invisible filler). */
enum cp_name_class {
	CP_NAME_CONTROL,    /* cp_utf8_is_control */
	CP_NAME_FORMAT,     /* other format characters (Cf): soft hyphen, ZWSP,
			     * LRM and RLM, word joiner, tags...; ZWJ and ZWNJ
			     * only between two letters or marks of one script
			     * that joins (Arabic, Syriac, N'Ko, Mongolian, the
			     * Indic scripts, Sinhala, Tibetan, Myanmar, Khmer) */
	CP_NAME_INVISIBLE,  /* cp_utf8_is_invisible, and a variation selector
			     * anywhere but after a Han ideograph (an
			     * ideographic variation sequence) or a Mongolian
			     * free variation selector after a Mongolian letter */
	CP_NAME_UNASSIGNED, /* unassigned (Cn, noncharacters) or private use (Co) */
	CP_NAME_REPLACEMENT, /* U+FFFD: decoded with the wrong encoding before */
	CP_NAME_NO_BASE,    /* a combining mark first in the name or in a word */
	CP_NAME_MARKS,      /* more than CP_NAME_MAX_MARKS marks on one character */
	CP_NAME_NCLASSES
};
/* Vietnamese stacks two marks, Thai and the Indic scripts two or three; a
 * tower of them is built to overprint the lines around it. */
#define CP_NAME_MAX_MARKS 5
struct cp_name_check {
	uint32_t first[CP_NAME_NCLASSES];
	bool letter;
};
/* Check a valid UTF-8 name (trimmed) against that rule. */
void cp_utf8_name_check(const char *s, struct cp_name_check *out);

/* What a check found, worded for a message after the field's name ("last
 * name" + " contains an invisible character U+2800"), one reason per class
 * found and "has no letter" last; returns how many were written to why. */
#define CP_NAME_NREASONS (CP_NAME_NCLASSES + 1)
#define CP_NAME_REASON_MAX 128
int cp_utf8_name_reasons(const struct cp_name_check *c,
			 char why[CP_NAME_NREASONS][CP_NAME_REASON_MAX]);

#endif
