/* The printing house's confirmation (certpress printed FILE,
 * pipeline/certpress/printed.c, config/confirmation.xsd): any bytes as the
 * confirmation, read and checked by the command itself against a small
 * registry (a real SQLite file) made once per process in a folder beside
 * this program (in its build folder, removed at exit) and copied afresh for
 * each input, so every one of the checker's refusals can be reached: two
 * print batches, documents printed before, one in no print batch, a
 * consignment held for a centre the register has now and one it still
 * lacks, an order that follows its document.
 *
 * A file taken (0) is valid against the schema when read again by plain
 * libxml2, every document and consignment in it is recorded as it says,
 * and the same file again changes nothing. A file refused (65) says so with
 * every error naming the file and a line, and leaves the registry as it
 * was. Nothing else is ever the answer. */
#include "fuzz.h"
#include "fuzzxml.h"

#include <limits.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "certpress/cmd.h"
#include "registry.h"
#include "util/msg.h"
#include "util/xml.h"

#define SCHEMA CP_FUZZ_TOP "/config/confirmation.xsd"

static const char *top; /* fuzz_dir() */
static char config[PATH_MAX + 32], registry[PATH_MAX + 32], pristine[PATH_MAX + 32];
static xmlSchemaPtr schema;
static char *before; /* the registry's rows as made */

static void put(const char *name, const char *text)
{
	fuzz_write(name, (const uint8_t *)text, strlen(text));
}

/* The rows the confirmation may change (and the ones it must not), as one
 * string: each table in its order, a value after another. */
struct rows {
	char *s;
	size_t n, size;
};

static int row(void *ctx, int ncol, char **vals, char **names)
{
	struct rows *r = ctx;

	(void)names;
	for (int i = 0; i < ncol; i++) {
		const char *v = vals[i] ? vals[i] : "NULL";
		size_t need = r->n + strlen(v) + 2;

		if (need > r->size) {
			r->size = need * 2;
			if (!(r->s = realloc(r->s, r->size)))
				abort();
		}
		r->n += (size_t)sprintf(r->s + r->n, "%s%c", v, i + 1 < ncol ? '|' : '\n');
	}
	return 0;
}

static sqlite3 *db_open(void)
{
	sqlite3 *db;

	if (sqlite3_open_v2(registry, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		abort();
	return db;
}

static char *rows_of(void)
{
	static const char *const tables[] = { "print_batches", "print_batch_states",
					      "consignments", "print_documents", "orders",
					      "order_states", "order_emails", "documents" };
	struct rows r = { 0 };
	sqlite3 *db = db_open();

	for (size_t i = 0; i < sizeof(tables) / sizeof(*tables); i++) {
		char q[96];

		snprintf(q, sizeof(q), "SELECT * FROM %s ORDER BY rowid", tables[i]);
		row(&r, 1, (char *[]){ (char *)tables[i] }, NULL);
		if (sqlite3_exec(db, q, row, &r, NULL) != SQLITE_OK)
			abort();
	}
	sqlite3_close(db);
	return r.s;
}

/* What the registry holds before each input. */
static const char registry_rows[] =
	"INSERT INTO batches (id, results_name, results_sha256, created, status) VALUES"
	" ('20261130-120000-001', 'a.xml', 'aa', '2026-11-30T12:00:00Z', 'done'),"
	" ('20261129-090000-002', 'b.xml', 'bb', '2026-11-29T09:00:00Z', 'done');"
	"INSERT INTO awards (id, enrolment, qualification, awarded, qualification_title, level,"
	" candidate, first_name, last_name, dob, email, grade, centre, centre_name, course_run,"
	" batch_id) VALUES"
	" (1, 'E1', 'Q1', '2026-11-01', 'Q', 3, 'K1', 'A', 'B', '2000-01-01', 'a@example.org',"
	"  'Pass', 'C01234', 'C', 'R1', '20261130-120000-001'),"
	" (2, 'E2', 'Q1', '2026-11-01', 'Q', 3, 'K2', 'C', 'D', '2000-01-01', NULL,"
	"  'Pass', 'C05555', 'C', 'R1', '20261130-120000-001'),"
	" (3, 'E3', 'Q1', '2026-10-01', 'Q', 3, 'K3', 'E', 'F', '2000-01-01', NULL,"
	"  'Pass', 'C09999', 'C', 'R1', '20261129-090000-002');"
	"INSERT INTO documents (reference, serial, issue, award_id, type, issued, batch_id) VALUES"
	" ('00000101-01-AAAA', 101, 1, 1, 'certificate', '2026-11-30', '20261130-120000-001'),"
	" ('00000102-02-BBBB', 102, 2, 1, 'transcript', '2026-11-30', '20261130-120000-001'),"
	" ('00000103-01-CCCC', 103, 1, 2, 'certificate', '2026-11-30', '20261130-120000-001'),"
	" ('00000104-01-DDDD', 104, 1, 3, 'certificate', '2026-11-29', '20261129-090000-002'),"
	" ('00000105-01-EEEE', 105, 1, 3, 'transcript', '2026-11-29', '20261129-090000-002'),"
	" ('00000102-01-FFFF', 102, 1, 1, 'transcript', '2026-11-20', '20261129-090000-002'),"
	" ('00000106-01-GGGG', 106, 1, 2, 'transcript', '2026-11-30', '20261130-120000-001');"
	"INSERT INTO print_batches (id, kind, started_by, started, records, state,"
	" state_changed) VALUES"
	" ('20261130-120000-001', 'certificate-run', 'pack', '2026-11-30T12:10:00Z', 4,"
	"  'sent-to-printer', '2026-11-30T12:10:00Z'),"
	" ('20261129-090000-002', 'certificate-run', 'pack', '2026-11-29T09:10:00Z', 1,"
	"  'sent-to-printer', '2026-11-29T09:10:00Z');"
	"INSERT INTO print_batch_states (print_batch_id, seq, state, at) VALUES"
	" ('20261130-120000-001', 1, 'sent-to-printer', '2026-11-30T12:10:00Z'),"
	" ('20261129-090000-002', 1, 'sent-to-printer', '2026-11-29T09:10:00Z');"
	"INSERT INTO consignments (print_batch_id, id, centre, delivery, address, held) VALUES"
	" ('20261130-120000-001', '1', 'C01234', 'courier', 'Office\n1 Road\n', 0),"
	" ('20261130-120000-001', '2', 'C05555', 'second-class-signed', NULL, 1),"
	" ('20261130-120000-001', '3', 'C09999', 'second-class-signed', NULL, 1),"
	" ('20261129-090000-002', '1', 'C09999', 'courier', 'Office\n', 0);"
	"INSERT INTO print_documents (print_batch_id, reference, consignment_id, position,"
	" outcome, paper_serial, confirmed) VALUES"
	" ('20261130-120000-001', '00000101-01-AAAA', '1', 1, NULL, NULL, NULL),"
	" ('20261130-120000-001', '00000102-02-BBBB', '1', 2, NULL, NULL, NULL),"
	" ('20261130-120000-001', '00000103-01-CCCC', '2', 3, NULL, NULL, NULL),"
	" ('20261130-120000-001', '00000106-01-GGGG', '3', 4, NULL, NULL, NULL),"
	" ('20261129-090000-002', '00000104-01-DDDD', '1', 1, 'printed', 'P-0004',"
	"  '2026-11-29T15:00:00Z');"
	/* the transcript's reprint: it follows its document */
	"INSERT INTO orders (id, kind, reference, replaces, serial, enrolment, centre, ordered_by,"
	" ordered, reason, delivery, address, state, state_changed, print_batch_id) VALUES"
	" (1, 'reprint', '00000102-02-BBBB', '00000102-01-FFFF', 102, 'E1', 'C01234', 'op',"
	"  '2026-11-25T10:00:00Z', 'lost', 'courier', 'Office\n1 Road\n', 'to-be-printed',"
	"  '2026-11-30T12:10:00Z', '20261130-120000-001');"
	"INSERT INTO order_states (order_id, seq, state, at, note) VALUES"
	" (1, 1, 'to-be-generated', '2026-11-25T10:00:00Z', NULL),"
	" (1, 2, 'to-be-printed', '2026-11-30T12:10:00Z', NULL);";

static const char centres_xml[] =
	"<centres xmlns=\"urn:certpress:centres:1\">\n"
	"  <centre number=\"C01234\" name=\"One\" delivery=\"courier\">\n"
	"    <address><line>Office</line><line>1 Road</line></address>\n"
	"  </centre>\n"
	"  <centre number=\"C05555\" name=\"Five\">\n"
	"    <address><line>Five House</line></address>\n"
	"  </centre>\n"
	"</centres>\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct cp_registry r;
	sqlite3 *db;
	char conf[3 * PATH_MAX];

	(void)argc;
	(void)argv;
	top = fuzz_dir();
	cp_xml_init();
	if (!(schema = cp_xml_schema_load(SCHEMA)))
		abort();
	snprintf(conf, sizeof(conf),
		 "[certpress]\n"
		 "awarding-body = Example Awards\n"
		 "verify-url = https://verify.example.org/v/\n"
		 "spool = spool\n"
		 "registry = spool/registry.sqlite\n"
		 "catalogue = %s/fixtures/catalogue.xml\n"
		 "layouts = %s/layouts\n"
		 "key-file = reference.key\n"
		 "schemas = %s/config\n"
		 "centres = centres.xml\n"
		 "[mail]\n"
		 "transport = file:outbox\n"
		 "from = Example Awards <certificates@example.org>\n",
		 CP_FUZZ_TOP, CP_FUZZ_TOP, CP_FUZZ_TOP);
	put("certpress.conf", conf);
	put("centres.xml", centres_xml);
	snprintf(config, sizeof(config), "%s/certpress.conf", top);
	snprintf(registry, sizeof(registry), "%s/spool/registry.sqlite", top);
	snprintf(pristine, sizeof(pristine), "%s/registry.pristine", top);
	/* the schema as certpress makes it, then the rows */
	if (cp_registry_open(&r, registry) < 0)
		abort();
	cp_registry_close(&r);
	db = db_open();
	if (sqlite3_exec(db, registry_rows, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "fuzz: printed: %s\n", sqlite3_errmsg(db));
		abort();
	}
	sqlite3_close(db);
	if (rename(registry, pristine) < 0)
		abort();
	return 0;
}

/* The registry as made, for the next input. */
static void registry_afresh(void)
{
	char wal[PATH_MAX + 40], shm[PATH_MAX + 40], buf[65536];
	int in, out;
	ssize_t n;

	snprintf(wal, sizeof(wal), "%s-wal", registry);
	snprintf(shm, sizeof(shm), "%s-shm", registry);
	unlink(wal);
	unlink(shm);
	in = open(pristine, O_RDONLY);
	out = open(registry, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || out < 0)
		abort();
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			abort();
	if (n < 0 || close(in) < 0 || close(out) < 0)
		abort();
	if (!before)
		before = rows_of();
}

static char *attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);

	FUZZ_ASSERT(v);
	return (char *)v;
}

/* The one value the query gives for the two keys. */
static char *one(sqlite3 *db, const char *q, const char *a, const char *b)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
		abort();
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

/* Every document and consignment of the file taken is in the registry as
 * the file says. */
static void recorded(xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	char *batch = attr(root, "print-batch");
	sqlite3 *db = db_open();

	for (xmlNodePtr n = root->children; n; n = n->next) {
		char *want, *got;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrcmp(n->name, (const xmlChar *)"document")) {
			char *ref = attr(n, "reference"), *serial = attr(n, "paper-serial");
			char *outcome = attr(n, "outcome");

			want = malloc(strlen(outcome) + strlen(serial) + 2);
			sprintf(want, "%s %s", outcome, serial);
			got = one(db, "SELECT outcome || ' ' || paper_serial FROM print_documents"
				      " WHERE print_batch_id = ?1 AND reference = ?2", batch, ref);
			FUZZ_ASSERT(got && !strcmp(got, want));
			xmlFree(ref);
			xmlFree(serial);
			xmlFree(outcome);
		} else {
			char *id = attr(n, "id"), *date = attr(n, "dispatched");
			char *tracking = attr(n, "tracking");

			want = malloc(strlen(date) + strlen(tracking) + 2);
			sprintf(want, "%s %s", date, tracking);
			got = one(db, "SELECT dispatched || ' ' || tracking FROM consignments"
				      " WHERE print_batch_id = ?1 AND id = ?2", batch, id);
			FUZZ_ASSERT(got && !strcmp(got, want));
			xmlFree(id);
			xmlFree(date);
			xmlFree(tracking);
		}
		free(want);
		free(got);
	}
	sqlite3_close(db);
	xmlFree(batch);
}

static int printed(const char *path, const char **said)
{
	char *argv[] = { (char *)"printed", (char *)path, NULL };
	int rc, out = dup(1), null = open("/dev/null", O_WRONLY);

	/* its summary line, once a run, is not wanted in libFuzzer's log */
	fflush(stdout);
	if (out < 0 || null < 0 || dup2(null, 1) < 0)
		abort();
	close(null);
	fuzz_stderr_begin();
	rc = cp_cmd_printed(2, argv, config);
	fflush(stdout);
	*said = fuzz_stderr_end();
	if (dup2(out, 1) < 0)
		abort();
	close(out);
	return rc;
}

/* The count of errors at the end ("PATH: N error(s): nothing recorded")
 * taken out of what was said, into *summaries; the rest is left. */
static char *without_summary(const char *said, const char *path, long *summaries)
{
	char *rest = strdup(said), *o = rest, head[PATH_MAX + 32];
	size_t hn = (size_t)snprintf(head, sizeof(head), "certpress: error: %s: ", path);

	*summaries = 0;
	for (const char *l = said; *l;) {
		const char *end = strchr(l, '\n');
		size_t len = end ? (size_t)(end - l) + 1 : strlen(l);
		char *tail;

		if (!strncmp(l, head, hn) && l[hn] >= '1' && l[hn] <= '9' &&
		    (strtol(l + hn, &tail, 10), !strncmp(tail, " error", 6)) &&
		    strstr(tail, ": nothing recorded\n") == tail + strcspn(tail, ":")) {
			++*summaries;
		} else {
			memmove(o, l, len);
			o += len;
		}
		l += len;
	}
	*o = '\0';
	return rest;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write("confirmation.xml", data, size), *said, *bad = NULL;
	char unread[PATH_MAX];
	xmlDocPtr doc;
	char *after, *rest;
	long errors, summaries;
	int rc;

	registry_afresh();
	rc = printed(path, &said);
	FUZZ_ASSERT(rc == 0 || rc == 65);
	/* screened and refused before it was parsed: no line to name */
	snprintf(unread, sizeof(unread), "%s: cannot read the confirmation: ", path);
	rest = without_summary(said, path, &summaries);
	errors = fuzz_errors_name_lines(rest, "certpress", path,
					(const char *const[]){ unread, NULL }, &bad);
	if (errors < 0)
		fprintf(stderr, "fuzz: said: %s", bad);
	free(rest);
	FUZZ_ASSERT(errors >= 0 && summaries <= 1);
	after = rows_of();
	if (rc != 0) {
		FUZZ_ASSERT(errors >= 1);
		/* nothing recorded */
		FUZZ_ASSERT(!strcmp(before, after));
		free(after);
		return 0;
	}
	FUZZ_ASSERT(errors == 0);
	doc = fuzz_schema_valid(schema, "confirmation.xml", data, size);
	FUZZ_ASSERT(doc);
	recorded(doc);
	xmlFreeDoc(doc);
	/* the same file again: taken, and nothing changes */
	rc = printed(path, &said);
	FUZZ_ASSERT(rc == 0);
	{
		char *again = rows_of();

		FUZZ_ASSERT(!strcmp(after, again));
		free(again);
	}
	free(after);
	return 0;
}
