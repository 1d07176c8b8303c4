/* JSON string escaping (RFC 8259): quotes, backslashes, controls. */
#include "util/json.h"

#include "util/banned.h"

void cp_json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void cp_json_field(FILE *f, int *first, const char *key, const char *value)
{
	if (!*first)
		fputc(',', f);
	*first = 0;
	cp_json_str(f, key);
	fputc(':', f);
	cp_json_str(f, value);
}
