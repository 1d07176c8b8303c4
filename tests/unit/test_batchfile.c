/* Batch files (xmlout.c writes them, batchfile.c reads them): what is
 * written is read back as it was, course runs and learners in order, any
 * text escaped and returned exactly; a file cut anywhere before its end is
 * refused, and so is one whose end marker does not agree with it. */
#include "unit.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "batchfile.h"
#include "xmlout.h"

static char dir[] = "/tmp/cp-batchfile-XXXXXX";
static char whole[128];

static const char hostile[] = "a \"quoted\" <b> & 'c' ]]> \t Ελένη Ó'Brien";

static int setup(void **state)
{
	(void)state;
	if (unit_dir_make(dir) < 0)
		return -1;
	snprintf(whole, sizeof(whole), "%s/assigned.xml", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return unit_dir_remove(dir);
}

static void learner(struct cp_xmlout *x, const char *enrolment, const char *name, int docs)
{
	cp_xmlout_start(x, "learner");
	cp_xmlout_attr(x, "enrolment", enrolment);
	cp_xmlout_attr_long(x, "line", 6 + docs);
	cp_xmlout_text_element(x, "first-name", name);
	cp_xmlout_attr_opt(x, "never", NULL);
	for (int i = 0; i < docs; i++) {
		cp_xmlout_start(x, "document");
		cp_xmlout_attr(x, "type", i ? "transcript" : "certificate");
		cp_xmlout_end(x);
	}
	cp_xmlout_end(x);
}

/* A batch file of three course runs and three learners, count as its end
 * says (-1: no end), a learner after the end if extra, to path. */
static void write_file(const char *path, const char *root, long count, int extra)
{
	FILE *f = fopen(path, "w");
	struct cp_xmlout x;

	assert_non_null(f);
	assert_int_equal(cp_xmlout_open(&x, f), 0);
	cp_xmlout_start(&x, root);
	cp_xmlout_attr(&x, "xmlns", "urn:certpress:batch:1");
	cp_xmlout_attr(&x, "batch", "20261123-010203-001");
	cp_xmlout_start(&x, "centre");
	cp_xmlout_attr(&x, "number", "C01234");
	cp_xmlout_attr(&x, "name", hostile);
	cp_xmlout_end(&x);
	cp_xmlout_start(&x, "course-run");
	cp_xmlout_attr(&x, "id", "CR-1");
	learner(&x, "E1", hostile, 2);
	learner(&x, "E2", "Siân", 1);
	cp_xmlout_start(&x, "duplicate");
	cp_xmlout_attr(&x, "enrolment", "E9");
	cp_xmlout_end(&x);
	cp_xmlout_end(&x);
	cp_xmlout_start(&x, "course-run");
	cp_xmlout_attr(&x, "id", "CR-2");
	learner(&x, "E3", "Zoë", 0);
	cp_xmlout_end(&x);
	cp_xmlout_start(&x, "course-run"); /* empty */
	cp_xmlout_attr(&x, "id", "CR-3");
	cp_xmlout_end(&x);
	if (count >= 0) { /* count -1: no end marker */
		cp_xmlout_start(&x, "end");
		cp_xmlout_attr_long(&x, "count", count);
		cp_xmlout_attr_long(&x, "documents", 3);
		cp_xmlout_end(&x);
	}
	if (extra) {
		cp_xmlout_start(&x, "learner");
		cp_xmlout_end(&x);
	}
	cp_xmlout_end(&x);
	assert_int_equal(cp_xmlout_finish(&x), 0);
	assert_int_equal(fclose(f), 0);
}

/* What the reader hands over, one event a line. */
struct events {
	char log[4096];
	int stop_at; /* the learner callback fails at this learner (1-based), 0 never */
	int learners;
};

static void add(struct events *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct events *e, const char *fmt, ...)
{
	size_t n = strlen(e->log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->log + n, sizeof(e->log) - n, fmt, ap);
	va_end(ap);
}

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

static int on_header(void *ctx, xmlNodePtr n)
{
	add(ctx, "header %s %s\n", (const char *)n->name, or_dash(cp_node_attr(n, "name")));
	return 0;
}

static int on_run_start(void *ctx, xmlNodePtr n)
{
	add(ctx, "run %s\n", or_dash(cp_node_attr(n, "id")));
	return 0;
}

static int on_run_end(void *ctx, xmlNodePtr n)
{
	(void)n;
	add(ctx, "run end\n");
	return 0;
}

static int on_learner(void *ctx, xmlNodePtr n)
{
	struct events *e = ctx;
	char docs[16];
	int k = 0;

	for (xmlNodePtr d = cp_node_child(n, "document"); d; d = d->next)
		k += d->type == XML_ELEMENT_NODE;
	snprintf(docs, sizeof(docs), "%d", k);
	add(e, "%s %s %s docs %s\n", (const char *)n->name, or_dash(cp_node_attr(n, "enrolment")),
	    or_dash(cp_node_text(n, "first-name")), docs);
	if (!strcmp((const char *)n->name, "learner") && ++e->learners == e->stop_at)
		return -1;
	return 0;
}

/* Read path as an assigned file; its messages in *msgs (caller frees). */
static int read_file(const char *path, struct events *e, xmlNodePtr *end, char **msgs)
{
	struct cp_batchfile_handler h = { e, on_header, on_run_start, on_run_end, on_learner };
	int saved = unit_capture();
	int rc = cp_batchfile_read(path, "assigned", &h, end);

	*msgs = unit_captured(saved);
	return rc;
}

static void read_back_as_written(void **state)
{
	struct events e = { .stop_at = 0 };
	xmlNodePtr end;
	char *msgs, want[1024];

	(void)state;
	write_file(whole, "assigned", 3, 0);
	assert_int_equal(read_file(whole, &e, &end, &msgs), 0);
	assert_string_equal(msgs, "");
	free(msgs);
	snprintf(want, sizeof(want),
		 "header centre %s\n"
		 "run CR-1\n"
		 "learner E1 %s docs 2\n"
		 "learner E2 Siân docs 1\n"
		 "duplicate E9 - docs 0\n"
		 "run end\n"
		 "run CR-2\n"
		 "learner E3 Zoë docs 0\n"
		 "run end\n"
		 "run CR-3\n"
		 "run end\n", hostile, hostile);
	assert_string_equal(e.log, want);
	assert_non_null(end);
	assert_int_equal(cp_node_attr_long(end, "count", -1), 3);
	assert_int_equal(cp_node_attr_long(end, "documents", -1), 3);
	assert_int_equal(cp_node_attr_long(end, "batch", -7), -7); /* none: the fallback */
	xmlFreeNode(end);
}

static void node_helpers(void **state)
{
	static const char src[] = "<a n=\"12\" x=\"12x\" e=\"\"><b>one</b><c/><b>two</b></a>";
	xmlDocPtr doc = xmlReadMemory(src, (int)strlen(src), NULL, NULL, 0);
	xmlNodePtr a = xmlDocGetRootElement(doc);

	(void)state;
	assert_non_null(doc);
	assert_int_equal(cp_node_attr_long(a, "n", 0), 12);
	assert_int_equal(cp_node_attr_long(a, "x", -1), -1);
	assert_int_equal(cp_node_attr_long(a, "e", -2), -2);
	assert_int_equal(cp_node_attr_long(a, "none", -3), -3);
	assert_string_equal(cp_node_attr(a, "e"), "");
	assert_null(cp_node_attr(a, "none"));
	assert_null(cp_node_attr(NULL, "n"));
	assert_string_equal(cp_node_text(a, "b"), "one");
	assert_non_null(cp_node_child(a, "c"));
	assert_null(cp_node_child(a, "d"));
	assert_null(cp_node_text(a, "d"));
	xmlFreeDoc(doc);
}

/* Every prefix of the file shorter than the whole document is refused,
 * with a message naming the file. */
static void a_file_cut_anywhere_is_refused(void **state)
{
	char cut[160], *buf, *msgs;
	struct stat st;
	size_t closing;
	FILE *f;
	int refused = 0, silent = 0;

	(void)state;
	write_file(whole, "assigned", 3, 0);
	assert_int_equal(stat(whole, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	f = fopen(whole, "r");
	assert_int_equal(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	buf[st.st_size] = '\0';
	closing = (size_t)(strstr(buf, "</assigned>") - buf) + strlen("</assigned>");
	snprintf(cut, sizeof(cut), "%s/cut.xml", dir);
	for (size_t k = 0; k < closing; k++) {
		struct events e = { .stop_at = 0 };

		f = fopen(cut, "w");
		fwrite(buf, 1, k, f);
		fclose(f);
		if (read_file(cut, &e, NULL, &msgs) == -1)
			refused++;
		else
			fail_msg("a file cut at byte %zu of %zu was taken", k, closing);
		if (!strstr(msgs, cut)) /* a message names the file */
			silent++;
		free(msgs);
	}
	assert_int_equal(refused, (int)closing);
	assert_int_equal(silent, 0);
	/* the whole document, without its last line feed, is whole */
	{
		struct events e = { .stop_at = 0 };

		f = fopen(cut, "w");
		fwrite(buf, 1, closing, f);
		fclose(f);
		assert_int_equal(read_file(cut, &e, NULL, &msgs), 0);
		free(msgs);
	}
	free(buf);
}

static void end_markers_that_do_not_agree(void **state)
{
	struct events e = { .stop_at = 0 };
	char path[160], *msgs;
	xmlNodePtr end = (xmlNodePtr)1;

	(void)state;
	snprintf(path, sizeof(path), "%s/bad.xml", dir);
	write_file(path, "assigned", 4, 0);
	assert_int_equal(read_file(path, &e, &end, &msgs), -1);
	assert_null(end);
	assert_non_null(strstr(msgs, "truncated: the end marker says 4 learners, the file has 3"));
	free(msgs);
	write_file(path, "assigned", 2, 0);
	assert_int_equal(read_file(path, &e, NULL, &msgs), -1);
	assert_non_null(strstr(msgs, "truncated: the end marker says 2 learners, the file has 3"));
	free(msgs);
	write_file(path, "assigned", -1, 0); /* well-formed, but no end */
	assert_int_equal(read_file(path, &e, NULL, &msgs), -1);
	assert_non_null(strstr(msgs, "bad.xml: truncated: no end marker"));
	free(msgs);
	write_file(path, "assigned", 3, 1);
	assert_int_equal(read_file(path, &e, NULL, &msgs), -1);
	assert_non_null(strstr(msgs, "content after the end marker"));
	free(msgs);
	write_file(path, "rendered", 3, 0);
	assert_int_equal(read_file(path, &e, NULL, &msgs), -1);
	assert_non_null(strstr(msgs, "not a assigned file (root 'rendered')"));
	free(msgs);
	snprintf(path, sizeof(path), "%s/none.xml", dir);
	assert_int_equal(read_file(path, &e, NULL, &msgs), -1);
	assert_non_null(strstr(msgs, "none.xml: cannot open"));
	free(msgs);
}

/* A handler that fails stops the reading there. */
static void a_handler_stops_it(void **state)
{
	struct events e = { .stop_at = 2 };
	char *msgs;

	(void)state;
	write_file(whole, "assigned", 3, 0);
	assert_int_equal(read_file(whole, &e, NULL, &msgs), -1);
	free(msgs);
	assert_int_equal(e.learners, 2);
	assert_null(strstr(e.log, "E3"));
}

/* Elements copied from a parsed document (cp_xmlout_node, start_copy) come
 * back with their attributes and text. */
static void nodes_copied_as_they_are(void **state)
{
	static const char src[] =
		"<learner enrolment=\"E1\" a=\"x &amp; &quot;y&quot;\">\n"
		"   <first-name>Ζωή &lt;3</first-name>\n"
		"   <unit ref=\"K/650/1234\"/>\n"
		"</learner>";
	static const char run[] = "<course-run id=\"CR-1\" qualification=\"603/1465/5\"/>";
	xmlDocPtr doc = xmlReadMemory(src, (int)strlen(src), NULL, NULL, 0);
	xmlDocPtr rdoc = xmlReadMemory(run, (int)strlen(run), NULL, NULL, 0);
	struct events e = { .stop_at = 0 };
	struct cp_xmlout x;
	char *msgs;
	FILE *f = fopen(whole, "w");

	(void)state;
	assert_non_null(doc);
	cp_xmlout_strip_blanks(xmlDocGetRootElement(doc));
	{ /* only the elements are left, so the copy can be indented evenly */
		xmlNodePtr l = xmlDocGetRootElement(doc);

		assert_int_equal(xmlChildElementCount(l), 2);
		assert_int_equal(l->children->type, XML_ELEMENT_NODE);
		assert_ptr_equal(l->children->next, l->last);
		assert_string_equal((const char *)l->children->children->content, "Ζωή <3");
	}
	assert_int_equal(cp_xmlout_open(&x, f), 0);
	cp_xmlout_start(&x, "assigned");
	cp_xmlout_start_copy(&x, xmlDocGetRootElement(rdoc));
	cp_xmlout_node(&x, xmlDocGetRootElement(doc));
	cp_xmlout_end(&x);
	cp_xmlout_start(&x, "end");
	cp_xmlout_attr_long(&x, "count", 1);
	cp_xmlout_end(&x);
	cp_xmlout_end(&x);
	assert_int_equal(cp_xmlout_finish(&x), 0);
	fclose(f);
	xmlFreeDoc(doc);
	xmlFreeDoc(rdoc);
	assert_int_equal(read_file(whole, &e, NULL, &msgs), 0);
	free(msgs);
	assert_string_equal(e.log, "run CR-1\nlearner E1 Ζωή <3 docs 0\nrun end\n");
}

/* A write that fails is remembered, and finish says so with its errno. */
static void a_failed_write_is_reported(void **state)
{
	FILE *f = fopen("/dev/full", "w");
	struct cp_xmlout x;

	(void)state;
	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	cp_xmlout_open(&x, f);
	cp_xmlout_start(&x, "assigned");
	for (int i = 0; i < 1000; i++)
		cp_xmlout_text_element(&x, "x", "some text to fill libxml2's buffer");
	cp_xmlout_end(&x);
	errno = 0;
	assert_int_equal(cp_xmlout_finish(&x), -1);
	assert_int_equal(errno, ENOSPC);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_back_as_written),
		cmocka_unit_test(node_helpers),
		cmocka_unit_test(a_file_cut_anywhere_is_refused),
		cmocka_unit_test(end_markers_that_do_not_agree),
		cmocka_unit_test(a_handler_stops_it),
		cmocka_unit_test(nodes_copied_as_they_are),
		cmocka_unit_test(a_failed_write_is_reported),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
