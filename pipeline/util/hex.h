/* One hexadecimal digit's value: a percent-escape in a URL, a PDF's hex
 * string. */
#ifndef CP_UTIL_HEX_H
#define CP_UTIL_HEX_H

/* 0 to 15 for 0-9, a-f, A-F; -1 for anything else. */
int cp_hex_digit(int c);

#endif
