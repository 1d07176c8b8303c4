/* Text for libharu, fast: each UTF-8 string is cut into runs, each in the
 * first single-byte code page (CP1252, CP1250, CP1251, CP1253, ...) that
 * holds its characters; what no code page holds goes through the UTF-8
 * encoder (slow: libharu maps all 65,536 code points for it). One font file
 * is embedded however many code pages of it a document uses. */
#ifndef CP_PDFTEXT_H
#define CP_PDFTEXT_H

#include <stddef.h>

#define CP_ENC_UTF8 (cp_pdftext_nencoders - 1)
#define CP_MAX_RUNS 64

extern const char *const cp_pdftext_encoders[];
extern const int cp_pdftext_nencoders;

struct cp_run_text {
	int enc;        /* index into cp_pdftext_encoders */
	char *bytes;    /* NUL-terminated, in that encoding */
};

struct cp_runs {
	struct cp_run_text run[CP_MAX_RUNS];
	int n;
	char buf[2048];
};

/* Build the code page tables from libharu's own encoders. Call once. */
int cp_pdftext_init(void);
/* Cut valid UTF-8 into runs (a longer text is cut short). */
void cp_pdftext_split(const char *utf8, struct cp_runs *out);

#endif
