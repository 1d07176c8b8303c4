/* The registry's schema: the migrations from an empty file to this
 * program's version, each applied in one transaction under BEGIN
 * IMMEDIATE, and the version read back (PRAGMA user_version). */
#include "registry/internal.h"

#include <stdlib.h>

#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Migration N brings the schema from version N to N + 1. Never edit one
 * that has shipped: add the next. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE batches ("
	"  id TEXT PRIMARY KEY,"
	"  results_name TEXT NOT NULL,"
	"  results_sha256 TEXT NOT NULL,"
	"  submission TEXT,"
	"  centre TEXT,"
	"  created TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','failed')),"
	"  reason TEXT"
	") STRICT;"
	"CREATE TABLE results_files ("
	"  sha256 TEXT NOT NULL,"
	"  batch_id TEXT NOT NULL REFERENCES batches(id),"
	"  name TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  received TEXT NOT NULL,"
	"  PRIMARY KEY (sha256, batch_id)"
	") STRICT;"
	"CREATE TABLE stage_runs ("
	"  batch_id TEXT NOT NULL REFERENCES batches(id),"
	"  stage TEXT NOT NULL CHECK (stage IN ('validate','assign','render','pack','notify')),"
	"  attempt INTEGER NOT NULL,"
	"  started TEXT NOT NULL,"
	"  finished TEXT,"
	"  exit_code INTEGER,"
	"  outcome TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ('running','ok','failed')),"
	"  counts TEXT,"
	"  PRIMARY KEY (batch_id, stage, attempt)"
	") STRICT;"
	"CREATE TABLE awards ("
	"  id INTEGER PRIMARY KEY,"
	"  enrolment TEXT NOT NULL,"
	"  qualification TEXT NOT NULL,"
	"  awarded TEXT NOT NULL,"
	"  qualification_title TEXT NOT NULL,"
	"  level INTEGER NOT NULL,"
	"  candidate TEXT NOT NULL,"
	"  first_name TEXT NOT NULL,"
	"  middle_names TEXT,"
	"  last_name TEXT NOT NULL,"
	"  dob TEXT NOT NULL,"
	"  email TEXT,"
	"  grade TEXT NOT NULL,"
	"  centre TEXT NOT NULL,"
	"  centre_name TEXT NOT NULL,"
	"  course_run TEXT NOT NULL,"
	"  batch_id TEXT NOT NULL REFERENCES batches(id),"
	"  UNIQUE (enrolment, qualification, awarded)"
	") STRICT;"
	"CREATE INDEX awards_by_name ON awards (last_name COLLATE NOCASE, dob);"
	"CREATE INDEX awards_by_candidate ON awards (candidate);"
	"CREATE INDEX awards_by_batch ON awards (batch_id);"
	"CREATE INDEX awards_by_first_name ON awards (first_name COLLATE NOCASE);"
	/* serial + issue: NNNNNNNN-II; a replacement keeps the serial. */
	"CREATE TABLE documents ("
	"  reference TEXT PRIMARY KEY,"
	"  serial INTEGER NOT NULL,"
	"  issue INTEGER NOT NULL CHECK (issue BETWEEN 1 AND 99),"
	"  award_id INTEGER NOT NULL REFERENCES awards(id),"
	"  type TEXT NOT NULL CHECK (type IN ('certificate','transcript','letter')),"
	"  issued TEXT NOT NULL,"
	"  expires TEXT,"
	"  status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid','superseded','revoked')),"
	"  status_reason TEXT,"
	"  status_changed TEXT,"
	/* NULL for a replacement until a print run carries it. */
	"  batch_id TEXT REFERENCES batches(id),"
	"  UNIQUE (serial, issue),"
	"  UNIQUE (award_id, type, issue)"
	") STRICT;"
	"CREATE INDEX documents_by_award ON documents (award_id);"
	/* Every serial ever drawn, so none is reused whatever happens to documents. */
	"CREATE TABLE serials ("
	"  serial INTEGER PRIMARY KEY CHECK (serial BETWEEN 0 AND 99999999)"
	") STRICT;"
	"CREATE TABLE reprints ("
	"  id INTEGER PRIMARY KEY,"
	"  original TEXT NOT NULL REFERENCES documents(reference),"
	"  replacement TEXT NOT NULL UNIQUE REFERENCES documents(reference),"
	"  reason TEXT NOT NULL,"
	"  ordered TEXT NOT NULL,"
	"  print_batch_id TEXT REFERENCES batches(id)"
	") STRICT;"
	"CREATE TABLE notifications ("
	"  batch_id TEXT NOT NULL REFERENCES batches(id),"
	"  enrolment TEXT NOT NULL,"
	"  recipient TEXT,"
	"  message_id TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN"
	"    ('intent','sent','deferred','failed','not-notifiable')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  reply TEXT,"
	"  updated TEXT NOT NULL,"
	"  PRIMARY KEY (batch_id, enrolment)"
	") STRICT;"
	"CREATE TABLE exports ("
	"  batch_id TEXT NOT NULL REFERENCES batches(id),"
	"  centre TEXT NOT NULL,"
	"  file TEXT NOT NULL,"
	"  created TEXT NOT NULL,"
	"  expires TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('pending','finished','expired','failed')),"
	"  receipt_by TEXT,"
	"  receipt_at TEXT,"
	"  PRIMARY KEY (batch_id, centre)"
	") STRICT;",
	/* 1 -> 2: zip passwords, set by an operator (certpress export-password);
	 * in clear: 16 -> 17 seals them */
	"CREATE TABLE export_passwords ("
	"  centre TEXT PRIMARY KEY,"
	"  password TEXT NOT NULL,"
	"  set_at TEXT NOT NULL"
	") STRICT;"
	"ALTER TABLE exports ADD COLUMN sha256 TEXT;"
	"ALTER TABLE exports ADD COLUMN bytes INTEGER;"
	"ALTER TABLE exports ADD COLUMN swept TEXT;",
	/* 2 -> 3: notify pages through a batch's learners by enrolment */
	"CREATE INDEX awards_by_batch_enrolment ON awards (batch_id, enrolment);",
	/* 3 -> 4: when a pack first published a document (its batch's zip and
	 * print file, or the print file carrying a replacement); a document is
	 * issued from then on. Those packed before count from their pack's end. */
	"ALTER TABLE documents ADD COLUMN published TEXT;"
	"UPDATE documents SET published = (SELECT min(s.finished) FROM stage_runs s"
	"  WHERE s.batch_id = documents.batch_id AND s.stage = 'pack' AND s.outcome = 'ok')"
	" WHERE batch_id IS NOT NULL;"
	"UPDATE documents SET published = (SELECT min(s.finished) FROM reprints p"
	"  JOIN stage_runs s ON s.batch_id = p.print_batch_id AND s.stage = 'pack'"
	"  AND s.outcome = 'ok' WHERE p.replacement = documents.reference)"
	" WHERE batch_id IS NULL;",
	/* 4 -> 5 (issue 19): every learner's address an operator set
	 * (certpress set-email), kept with the one before, who and when
	 * (IF NOT EXISTS: tests make an older schema by lowering the version) */
	"CREATE TABLE IF NOT EXISTS address_changes ("
	"  id INTEGER PRIMARY KEY,"
	"  enrolment TEXT NOT NULL,"
	"  previous TEXT,"
	"  address TEXT NOT NULL,"
	"  set_by TEXT NOT NULL,"
	"  set_at TEXT NOT NULL"
	") STRICT;"
	"CREATE INDEX IF NOT EXISTS address_changes_by_enrolment ON address_changes (enrolment);"
	"CREATE INDEX IF NOT EXISTS awards_by_enrolment ON awards (enrolment);",
	/* 5 -> 6 (issue 19): receipts per course run, every confirmation kept
	 * (course_run NULL: all of the export's); the one receipt an export
	 * held before is carried over */
	"CREATE TABLE IF NOT EXISTS receipts ("
	"  id INTEGER PRIMARY KEY,"
	"  batch_id TEXT NOT NULL REFERENCES batches(id),"
	"  centre TEXT NOT NULL,"
	"  course_run TEXT,"
	"  received TEXT NOT NULL,"
	"  note TEXT,"
	"  confirmed_by TEXT NOT NULL,"
	"  recorded TEXT NOT NULL"
	") STRICT;"
	"CREATE INDEX IF NOT EXISTS receipts_by_export ON receipts (batch_id, centre);"
	"INSERT INTO receipts (batch_id, centre, received, confirmed_by, recorded)"
	" SELECT batch_id, centre, substr(receipt_at, 1, 10), coalesce(receipt_by, 'unknown'),"
	" receipt_at FROM exports WHERE receipt_at IS NOT NULL"
	" AND NOT EXISTS (SELECT 1 FROM receipts);",
	/* 6 -> 7 (issue 19): who approved or held a batch before pack, when */
	"CREATE TABLE IF NOT EXISTS approvals ("
	"  id INTEGER PRIMARY KEY,"
	"  batch_id TEXT NOT NULL REFERENCES batches(id),"
	"  action TEXT NOT NULL CHECK (action IN ('approved','held')),"
	"  decided_by TEXT NOT NULL,"
	"  decided_at TEXT NOT NULL,"
	"  reason TEXT"
	") STRICT;"
	"CREATE INDEX IF NOT EXISTS approvals_by_batch ON approvals (batch_id);",
	/* 7 -> 8 (issue 19): names' search keys (cp_fold: case, accents and
	 * punctuation folded in any script), a row per award, prefix-searchable
	 * by their indexes; every award there is gets its keys; and the dates
	 * of birth and centres staff filter by, indexed */
	"CREATE TABLE IF NOT EXISTS search_keys ("
	"  award_id INTEGER PRIMARY KEY REFERENCES awards(id) ON DELETE CASCADE,"
	"  last_key TEXT NOT NULL,"
	"  first_key TEXT NOT NULL"
	") STRICT;"
	"INSERT OR IGNORE INTO search_keys (award_id, last_key, first_key)"
	" SELECT id, cp_fold(last_name), cp_fold(first_name) FROM awards;"
	"CREATE INDEX IF NOT EXISTS search_keys_by_last ON search_keys (last_key, first_key);"
	"CREATE INDEX IF NOT EXISTS search_keys_by_first ON search_keys (first_key);"
	"CREATE INDEX IF NOT EXISTS awards_by_dob ON awards (dob);"
	"CREATE INDEX IF NOT EXISTS awards_by_centre ON awards (centre);",
	/* 8 -> 9 (issue 19): who revoked a document or ordered its reprint */
	"CREATE TABLE IF NOT EXISTS changes ("
	"  id INTEGER PRIMARY KEY,"
	"  reference TEXT NOT NULL,"
	"  action TEXT NOT NULL CHECK (action IN ('revoked','superseded')),"
	"  changed_by TEXT NOT NULL,"
	"  changed_at TEXT NOT NULL,"
	"  reason TEXT"
	") STRICT;"
	"CREATE INDEX IF NOT EXISTS changes_by_reference ON changes (reference);",
	/* 9 -> 10 (issue 15): what the verification snapshot (certpress publish) shows,
	 * kept so it never needs a batch folder: each award's units as assign
	 * took them, the SHA-256 of a document's digital copy (render, reprint),
	 * the public category of a revocation. Batches assigned before are
	 * listed in fill_pending: their units and digests are read from their
	 * assigned.xml and rendered.xml, where those still exist, by the next
	 * command that opens the registry with the spool (registry/fill.h). */
	"CREATE TABLE IF NOT EXISTS award_units ("
	"  award_id INTEGER NOT NULL REFERENCES awards(id),"
	"  position INTEGER NOT NULL,"
	"  code TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  level INTEGER,"
	"  credits INTEGER,"
	"  grade TEXT NOT NULL,"
	"  PRIMARY KEY (award_id, position)"
	") STRICT;"
	"ALTER TABLE documents ADD COLUMN digital_sha256 TEXT;"
	"ALTER TABLE documents ADD COLUMN revoke_category TEXT"
	"  CHECK (revoke_category IN ('withdrawn','error'));"
	"CREATE INDEX IF NOT EXISTS documents_by_serial ON documents (serial, issue);"
	"CREATE TABLE IF NOT EXISTS fill_pending (batch_id TEXT PRIMARY KEY) STRICT;"
	"INSERT OR IGNORE INTO fill_pending SELECT DISTINCT batch_id FROM awards;",
	/* 10 -> 11 (issue 19): who started a batch (certpress run --by, else
	 * the login name) and who ran each stage attempt; tables of their own,
	 * not columns, so that a registry made older by lowering its version
	 * migrates again */
	"CREATE TABLE IF NOT EXISTS batch_users ("
	"  batch_id TEXT PRIMARY KEY REFERENCES batches(id),"
	"  started_by TEXT NOT NULL"
	") STRICT;"
	"CREATE TABLE IF NOT EXISTS stage_run_users ("
	"  batch_id TEXT NOT NULL,"
	"  stage TEXT NOT NULL,"
	"  attempt INTEGER NOT NULL,"
	"  run_by TEXT NOT NULL,"
	"  PRIMARY KEY (batch_id, stage, attempt)"
	") STRICT;",
	/* 11 -> 12 (issue 19): exports made on demand (certpress export): a
	 * centre's zip of the documents chosen, under the name given, what was
	 * chosen kept so that running it again finishes one a crash stopped */
	"CREATE TABLE IF NOT EXISTS downloads ("
	"  centre TEXT NOT NULL,"
	"  file TEXT NOT NULL,"
	"  description TEXT,"
	"  selection TEXT NOT NULL CHECK (selection IN"
	"    ('batch','references','course-run','awarded')),"
	"  chosen TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  created TEXT NOT NULL,"
	"  expires TEXT,"
	"  status TEXT NOT NULL CHECK (status IN ('pending','finished','expired','failed')),"
	"  documents INTEGER,"
	"  left_out INTEGER,"
	"  sha256 TEXT,"
	"  bytes INTEGER,"
	"  swept TEXT,"
	"  PRIMARY KEY (centre, file)"
	") STRICT;",
	/* 12 -> 13 (issue 19): the other fields staff search by, indexed, so a
	 * search of few matches among a million documents reads only those
	 * (by batch: replacements not yet printed, batch NULL, with them; by
	 * status: the revoked, superseded, expired and not yet issued) */
	"CREATE INDEX IF NOT EXISTS awards_by_qualification ON awards (qualification);"
	"CREATE INDEX IF NOT EXISTS awards_by_awarded ON awards (awarded);"
	"CREATE INDEX IF NOT EXISTS documents_by_batch ON documents (coalesce(batch_id, ''));"
	"CREATE INDEX IF NOT EXISTS documents_by_status ON documents (status, expires);"
	"CREATE INDEX IF NOT EXISTS documents_unpublished ON documents (status)"
	" WHERE published IS NULL;",
	/* 13 -> 14 (issue 17): orders (certpress order: reprints and
	 * proof-of-qualification letters) with their states and each state's
	 * time; the proof letter is a document type of its own, attached to the learner's latest
	 * award, with the awards it lists (letter_awards). documents.type's
	 * CHECK only widens (every row keeps satisfying it), so its text is
	 * changed in place, as SQLite documents for loosening a constraint
	 * (cp_reg_migrate then bumps schema_version). Reprints ordered before
	 * become orders by "(before orders)". documents.template: the template
	 * a document was laid out from (assign, reprint, letter), so it can be
	 * laid out again from the registry alone; NULL for those assigned
	 * before (their batch's assigned.xml names it). */
	"ALTER TABLE documents ADD COLUMN template TEXT;"
	"PRAGMA writable_schema = ON;"
	"UPDATE sqlite_schema SET sql = replace(sql, '''letter''))',"
	"  '''letter'',''proof-letter''))') WHERE type = 'table' AND name = 'documents';"
	"PRAGMA writable_schema = OFF;"
	"CREATE TABLE orders ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('reprint','letter')),"
	"  reference TEXT NOT NULL UNIQUE REFERENCES documents(reference),"
	"  replaces TEXT REFERENCES documents(reference),"
	"  serial INTEGER NOT NULL,"
	"  enrolment TEXT NOT NULL,"
	"  centre TEXT NOT NULL,"
	"  ordered_by TEXT NOT NULL,"
	"  ordered TEXT NOT NULL,"
	"  reason TEXT,"
	"  delivery TEXT NOT NULL CHECK (delivery IN"
	"    ('second-class-signed','first-class-signed','courier','collection')),"
	"  address TEXT,"
	"  state TEXT NOT NULL CHECK (state IN"
	"    ('to-be-generated','to-be-printed','printed','dispatched','spoiled')),"
	"  state_changed TEXT NOT NULL,"
	"  tracking TEXT,"
	"  print_batch_id TEXT REFERENCES batches(id)"
	") STRICT;"
	"CREATE INDEX orders_by_serial ON orders (serial);"
	"CREATE INDEX orders_by_enrolment ON orders (enrolment);"
	"CREATE TABLE order_states ("
	"  order_id INTEGER NOT NULL REFERENCES orders(id),"
	"  seq INTEGER NOT NULL,"
	"  state TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  note TEXT,"
	"  PRIMARY KEY (order_id, seq)"
	") STRICT;"
	/* the emails an order's events owe the learner, sent by certpress-notify
	 * orders with notify's rules: intent before, outcome after */
	"CREATE TABLE order_emails ("
	"  order_id INTEGER NOT NULL REFERENCES orders(id),"
	"  event TEXT NOT NULL CHECK (event IN ('placed','dispatched')),"
	"  recipient TEXT,"
	"  message_id TEXT,"
	"  status TEXT NOT NULL CHECK (status IN"
	"    ('pending','intent','sent','deferred','failed','not-notifiable')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  reply TEXT,"
	"  updated TEXT NOT NULL,"
	"  PRIMARY KEY (order_id, event)"
	") STRICT;"
	"CREATE INDEX order_emails_due ON order_emails (status);"
	"CREATE TABLE letter_awards ("
	"  reference TEXT NOT NULL REFERENCES documents(reference),"
	"  position INTEGER NOT NULL,"
	"  award_id INTEGER NOT NULL REFERENCES awards(id),"
	"  PRIMARY KEY (reference, position)"
	") STRICT;"
	"INSERT INTO orders (kind, reference, replaces, serial, enrolment, centre, ordered_by,"
	"  ordered, reason, delivery, state, state_changed, print_batch_id)"
	" SELECT 'reprint', p.replacement, p.original, d.serial, a.enrolment, a.centre,"
	"  '(before orders)', p.ordered, p.reason, 'second-class-signed',"
	"  CASE WHEN p.print_batch_id IS NULL THEN 'to-be-generated' ELSE 'to-be-printed' END,"
	"  p.ordered, p.print_batch_id"
	" FROM reprints p JOIN documents d ON d.reference = p.replacement"
	" JOIN awards a ON a.id = d.award_id ORDER BY p.id;"
	"INSERT INTO order_states (order_id, seq, state, at, note)"
	" SELECT id, 1, state, ordered, 'recorded when orders began' FROM orders;"
	/* those orders were placed before there were order emails: none owed */
	"INSERT INTO order_emails (order_id, event, status, reply, updated)"
	" SELECT id, 'placed', 'not-notifiable', 'ordered before order emails', ordered"
	" FROM orders;",
	/* 14 -> 15: the print loop (issue 18). A print batch is one print file
	 * (its id the batch whose pack made it) with its state and each
	 * state's time; its consignments (one per delivery address and method,
	 * held where the centres register has no address); every document it
	 * carries, in print order, with what the printing house's confirmation
	 * said of it (printed or spoiled, the security paper's serial: never
	 * two documents on one sheet) and, for a spoiled one, the print batch
	 * that takes it again (same reference, new sheet). */
	"CREATE TABLE print_batches ("
	"  id TEXT PRIMARY KEY REFERENCES batches(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('certificate-run','reprints','letters')),"
	"  started_by TEXT NOT NULL,"
	"  started TEXT NOT NULL,"
	"  finished TEXT,"
	"  records INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN"
	"    ('sent-to-printer','printed','dispatched','complete')),"
	"  state_changed TEXT NOT NULL,"
	"  confirmation_sha256 TEXT"
	") STRICT;"
	"CREATE TABLE print_batch_states ("
	"  print_batch_id TEXT NOT NULL REFERENCES print_batches(id),"
	"  seq INTEGER NOT NULL,"
	"  state TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  PRIMARY KEY (print_batch_id, seq)"
	") STRICT;"
	"CREATE TABLE consignments ("
	"  print_batch_id TEXT NOT NULL REFERENCES print_batches(id),"
	"  id TEXT NOT NULL,"
	"  centre TEXT NOT NULL,"
	"  delivery TEXT NOT NULL,"
	"  address TEXT,"
	"  held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1)),"
	"  dispatched TEXT,"
	"  tracking TEXT,"
	"  PRIMARY KEY (print_batch_id, id)"
	") STRICT;"
	"CREATE TABLE print_documents ("
	"  print_batch_id TEXT NOT NULL REFERENCES print_batches(id),"
	"  reference TEXT NOT NULL REFERENCES documents(reference),"
	"  consignment_id TEXT NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  outcome TEXT CHECK (outcome IN ('printed','spoiled')),"
	"  paper_serial TEXT UNIQUE,"
	"  confirmed TEXT,"
	"  again_in TEXT,"
	"  PRIMARY KEY (print_batch_id, reference)"
	") STRICT;"
	"CREATE INDEX print_documents_by_reference ON print_documents (reference);"
	"CREATE INDEX print_documents_again ON print_documents (again_in);",
	/* 15 -> 16: the centre's emails (issues 17 and 18): its copy of each
	 * order event's email (placed, dispatched) and the dispatch email of a
	 * consignment carrying a run's documents, with notify's states; and a
	 * batch keeps its results file's centre address, the one a centre is
	 * mailed at where the centres register gives none. What happened
	 * before is owed nothing: recorded not notifiable. */
	"ALTER TABLE batches ADD COLUMN centre_email TEXT;"
	"CREATE TABLE centre_emails ("
	"  id INTEGER PRIMARY KEY,"
	"  centre TEXT NOT NULL,"
	"  event TEXT NOT NULL CHECK (event IN ('placed','dispatched')),"
	"  order_id INTEGER REFERENCES orders(id),"
	"  print_batch_id TEXT REFERENCES print_batches(id),"
	"  consignment_id TEXT,"
	"  recipient TEXT,"
	"  message_id TEXT,"
	"  status TEXT NOT NULL CHECK (status IN"
	"    ('pending','intent','sent','deferred','failed','not-notifiable')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  reply TEXT,"
	"  updated TEXT NOT NULL,"
	"  CHECK ((order_id IS NULL) <> (consignment_id IS NULL)),"
	"  CHECK (consignment_id IS NULL OR (event = 'dispatched' AND print_batch_id IS NOT NULL))"
	") STRICT;"
	"CREATE UNIQUE INDEX centre_emails_by_order ON centre_emails (order_id, event)"
	" WHERE order_id IS NOT NULL;"
	"CREATE UNIQUE INDEX centre_emails_by_consignment"
	" ON centre_emails (print_batch_id, consignment_id) WHERE consignment_id IS NOT NULL;"
	"CREATE INDEX centre_emails_due ON centre_emails (status);"
	"INSERT INTO centre_emails (centre, event, order_id, status, reply, updated)"
	" SELECT o.centre, e.event, e.order_id, 'not-notifiable', 'before centre emails',"
	"  e.updated FROM order_emails e JOIN orders o ON o.id = e.order_id;"
	"INSERT INTO centre_emails (centre, event, print_batch_id, consignment_id, status, reply,"
	"  updated)"
	" SELECT centre, 'dispatched', print_batch_id, id, 'not-notifiable',"
	"  'before centre emails', dispatched FROM consignments WHERE dispatched IS NOT NULL;",
	/* 16 -> 17 (issue 20, issue 19): zip passwords sealed (zipseal.h: an
	 * AEAD under a key derived from the reference key, the centre bound
	 * in), with who set them; export_passwords keeps only an older
	 * certpress's clear ones until a command holding the key seals them
	 * (cp_zip_passwords_upgrade), and is empty from then on. Who swept
	 * an export (certpress sweep), who moved a print batch. */
	"CREATE TABLE zip_passwords ("
	"  centre TEXT PRIMARY KEY,"
	"  sealed BLOB NOT NULL,"
	"  set_at TEXT NOT NULL,"
	"  set_by TEXT"
	") STRICT;"
	"ALTER TABLE exports ADD COLUMN swept_by TEXT;"
	"ALTER TABLE downloads ADD COLUMN swept_by TEXT;"
	/* who moved a print batch to each state (pack, certpress printed) */
	"ALTER TABLE print_batch_states ADD COLUMN changed_by TEXT;",
	/* 17 -> 18: a day's reprints and letters in a print file of their own
	 * (certpress print-orders), a print batch whose id is no batch's
	 * (reprints-YYYYMMDD-N, letters-YYYYMMDD-N): the print batch ids of
	 * print_batches, reprints and orders lose their reference to batches
	 * (removing a FOREIGN KEY in place is one of the changes SQLite
	 * documents as safe with writable_schema). order_prints: each such
	 * print file from the claim of its copies until its print batch is
	 * recorded (done), so a killed one is finished under the same id. */
	"PRAGMA writable_schema = ON;"
	"UPDATE sqlite_schema SET sql = replace(sql, 'id TEXT PRIMARY KEY REFERENCES batches(id)',"
	"  'id TEXT PRIMARY KEY') WHERE type = 'table' AND name = 'print_batches';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'print_batch_id TEXT REFERENCES batches(id)',"
	"  'print_batch_id TEXT') WHERE type = 'table' AND name IN ('reprints', 'orders');"
	"PRAGMA writable_schema = OFF;"
	"CREATE TABLE IF NOT EXISTS order_prints ("
	"  id TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('reprints','letters')),"
	"  started_by TEXT NOT NULL,"
	"  started TEXT NOT NULL,"
	"  done TEXT"
	") STRICT;",
};
_Static_assert(sizeof(migrations) / sizeof(*migrations) == CP_REGISTRY_VERSION,
	       "one migration per schema version");

int cp_reg_user_version(struct cp_registry *r, int *version)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "PRAGMA user_version");

	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return cp_reg_error(r, "cannot read the schema version");
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int bump_schema_version(struct cp_registry *r)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "PRAGMA schema_version");
	long long v;
	char *sql;
	int rc;

	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return cp_reg_error(r, "cannot read the schema's version");
	}
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sql = cp_xasprintf("PRAGMA schema_version = %lld", v + 1);
	rc = cp_reg_exec(r, sql);
	free(sql);
	return rc;
}

int cp_reg_migrate(struct cp_registry *r)
{
	int version;
	char *sql;

	if (cp_reg_user_version(r, &version) < 0)
		return -1;
	if (version == CP_REGISTRY_VERSION)
		return 0;
	if (cp_registry_begin(r) < 0)
		return -1;
	/* Read again: another process may have migrated while we waited. */
	if (cp_reg_user_version(r, &version) < 0)
		goto fail;
	if (version > CP_REGISTRY_VERSION) {
		cp_error("%s: schema version %d is newer than this program's (%d)", r->path,
			 version, CP_REGISTRY_VERSION);
		goto fail;
	}
	for (int v = version; v < CP_REGISTRY_VERSION; v++)
		if (cp_reg_exec(r, migrations[v]) < 0)
			goto fail;
	/* a migration may change sqlite_schema's text itself (5 -> 6): other
	 * connections read the schema again when its version moves */
	if (bump_schema_version(r) < 0)
		goto fail;
	sql = cp_xasprintf("PRAGMA user_version = %d", CP_REGISTRY_VERSION);
	if (cp_reg_exec(r, sql) < 0) {
		free(sql);
		goto fail;
	}
	free(sql);
	return cp_registry_commit(r);
fail:
	cp_registry_rollback(r);
	return -1;
}
