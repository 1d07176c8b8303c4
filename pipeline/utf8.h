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
/* A copy of s without leading and trailing white space (ASCII white space
 * and U+00A0). */
char *cp_utf8_trim(const char *s);

#endif
