/* Numbers as PDF content streams and font dictionaries write them, without
 * printf: formatting numbers with snprintf was a tenth of render's time. */
#ifndef CP_PDFNUM_H
#define CP_PDFNUM_H

#include <stddef.h>

/* Each writes at out (no terminating NUL) and returns the length. */
size_t cp_pdfnum_int(char *out, long v);                     /* at most 20 bytes */
size_t cp_pdfnum_real(char *out, double v, int decimals);   /* at most 24; 0-4 decimals,
							      trailing zeros dropped */
size_t cp_pdfnum_hex4(char *out, unsigned v);                /* 4 upper-case digits */

#endif
