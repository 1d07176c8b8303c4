/* Finding a signature's byte ranges and value in bytes that may be
 * hostile: a well-made file is found, the value decoded, the coverage
 * told; a range outside the file, a value not between the ranges, odd or
 * non-hex digits, an absurd number and a file that is not a PDF are "no
 * signature", never a read outside the buffer (run under ASan too). */
#include "unit.h"

#include <string.h>

#include "engine/pdfsigfind.h"

/* A file of the shape pdfsign.c writes: head, the value <hex>, tail. */
static char *make(const char *head_extra, const char *hex, const char *tail, int bump, size_t *len)
{
	static char buf[1024];
	char head[512];
	size_t b, c;
	int n;

	/* the ranges depend on where the value lands: write it twice */
	n = snprintf(head, sizeof(head),
		     "%%PDF-1.7\n%s1 0 obj << /Type /Sig /ByteRange [ 0 %010d %010d %010d ] /Contents ",
		     head_extra, 0, 0, 0);
	b = (size_t)n;
	c = b + 2 + strlen(hex);
	*len = c + strlen(tail);
	snprintf(head, sizeof(head),
		 "%%PDF-1.7\n%s1 0 obj << /Type /Sig /ByteRange [ 0 %010zu %010zu %010zu ] /Contents ",
		 head_extra, b, c, *len - c + (size_t)bump);
	snprintf(buf, sizeof(buf), "%s<%s>%s", head, hex, tail);
	return buf;
}

static void found_and_decoded(void **state)
{
	struct cp_pdfsig sig;
	const char *why = NULL;
	size_t len;
	char *f = make("", "3082aBcD00", " >> endobj\n%%EOF\n", 0, &len);

	(void)state;
	assert_int_equal(cp_pdfsig_find((unsigned char *)f, len, &sig, &why), 1);
	assert_int_equal(sig.der_len, 5);
	assert_memory_equal(sig.der, "\x30\x82\xab\xcd\x00", 5);
	assert_true(sig.whole);
	assert_int_equal(sig.after, 0);
	assert_int_equal(sig.range[0], 0);
	assert_int_equal(sig.range[2] + sig.range[3], len);
	cp_pdfsig_release(&sig);
}

static void appended_bytes_are_counted(void **state)
{
	struct cp_pdfsig sig;
	const char *why = NULL;
	size_t len;
	char *f = make("", "3082", " >> endobj\n%%EOF\n", 0, &len);

	(void)state;
	strcat(f, "% more\n");
	assert_int_equal(cp_pdfsig_find((unsigned char *)f, len + 7, &sig, &why), 1);
	assert_false(sig.whole);
	assert_int_equal(sig.after, 7);
	cp_pdfsig_release(&sig);
}

static void hostile_files_have_no_signature(void **state)
{
	struct cp_pdfsig sig;
	const char *why;
	size_t len;
	char *f;

	(void)state;
	/* the second range runs past the end of the file */
	f = make("", "3082", " >> endobj\n", 1, &len);
	why = NULL;
	assert_int_equal(cp_pdfsig_find((unsigned char *)f, len, &sig, &why), 0);
	assert_string_equal(why, "a signature whose byte ranges are not inside the file");
	/* digits that are not hex, and an odd number of them */
	f = make("", "30zz", " >> endobj\n", 0, &len);
	assert_int_equal(cp_pdfsig_find((unsigned char *)f, len, &sig, &why), 0);
	assert_string_equal(why, "a signature value that is not hexadecimal");
	assert_null(sig.der);
	f = make("", "308", " >> endobj\n", 0, &len);
	assert_int_equal(cp_pdfsig_find((unsigned char *)f, len, &sig, &why), 0);
	/* a number of more digits than any file has bytes */
	f = "%PDF-1.7\n<< /Type /Sig /ByteRange [ 0 99999999999999999999 1 1 ] >>";
	assert_int_equal(cp_pdfsig_find((unsigned char *)f, strlen(f), &sig, &why), 0);
	/* a /ByteRange at the very end, its bracket never closed */
	f = "%PDF-1.7\n/Type /Sig /ByteRange [ 0 1";
	assert_int_equal(cp_pdfsig_find((unsigned char *)f, strlen(f), &sig, &why), 0);
	/* not a PDF, or one without a signature */
	assert_int_equal(cp_pdfsig_find((unsigned char *)"PK\3\4zipzip", 10, &sig, &why), 0);
	assert_string_equal(why, "not a PDF");
	f = "%PDF-1.7\n1 0 obj << >> endobj\n";
	assert_int_equal(cp_pdfsig_find((unsigned char *)f, strlen(f), &sig, &why), 0);
	assert_string_equal(why, "no signature in it");
}

static void keywords_only_inside_the_bytes_given(void **state)
{
	static const char x[] = "<pdf:Keywords>00650852-01-QVRG</pdf:Keywords>";
	char out[32];

	(void)state;
	assert_true(cp_pdfsig_keywords((const unsigned char *)x, sizeof(x) - 1, out, sizeof(out)));
	assert_string_equal(out, "00650852-01-QVRG");
	/* the closing tag outside the signed bytes: not taken */
	assert_false(cp_pdfsig_keywords((const unsigned char *)x, 30, out, sizeof(out)));
	/* too long for the caller's buffer */
	assert_false(cp_pdfsig_keywords((const unsigned char *)x, sizeof(x) - 1, out, 8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(found_and_decoded),
		cmocka_unit_test(appended_bytes_are_counted),
		cmocka_unit_test(hostile_files_have_no_signature),
		cmocka_unit_test(keywords_only_inside_the_bytes_given),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
