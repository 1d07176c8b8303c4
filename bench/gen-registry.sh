#!/bin/bash
# bench/gen-registry.sh DIR DOCUMENTS: a registry of DOCUMENTS documents
# (a third each certificates, transcripts, letters of as many awards) in
# DIR/spool/registry.sqlite, made by certpress (schema) and filled by SQL:
# last names from 2,000 stems times 50 suffixes, first names from 200,
# dates of birth over 30 years, every document valid and published, and
# the search keys as cp_fold makes them for ASCII names (lower case, the
# letters kept). The search bench times certpress search on it.
set -eu
dir=$1 docs=$2
awards=$(( (docs + 2) / 3 ))
mkdir -p "$dir"
cd "$dir"
cat > certpress.conf <<CONF
[certpress]
spool = spool
registry = spool/registry.sqlite
key-file = reference.key
CONF
CERTPRESS_CONF=$dir/certpress.conf certpress keygen 2> /dev/null
CERTPRESS_CONF=$dir/certpress.conf certpress status > /dev/null
sqlite3 spool/registry.sqlite <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO batches (id, results_name, results_sha256, created, status)
  VALUES ('20260101-000000-001', 'bench.xml', 'x', '2026-01-01T00:00:00Z', 'done');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $awards)
INSERT INTO awards (id, enrolment, qualification, awarded, qualification_title, level,
  candidate, first_name, last_name, dob, grade, centre, centre_name, course_run, batch_id)
SELECT i, printf('BEN%011d', i), '603/9000/1', '2026-11-01', 'Bench Certificate', 2,
  printf('%08d', 10000000 + i), 'First' || char(97 + i % 26) || char(97 + (i / 26) % 26) || (i % 200),
  'Stem' || char(97 + (i / 7) % 26) || char(97 + (i / 182) % 26) || char(97 + (i / 4732) % 26)
    || (i % 50),
  date('1980-01-01', '+' || (i % 10957) || ' days'), 'Pass',
  printf('C%05d', i % 900), 'Centre ' || (i % 900), 'CR-' || (i % 5000),
  '20260101-000000-001'
FROM n;
INSERT INTO search_keys (award_id, last_key, first_key)
  SELECT id, lower(replace(last_name, ' ', '')), lower(first_name) FROM awards;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $docs - 1)
INSERT INTO documents (reference, serial, issue, award_id, type, issued, expires, status,
  batch_id, published)
SELECT printf('%08d-01-%04d', i, i % 10000), i, 1, i / 3 + 1,
  CASE i % 3 WHEN 0 THEN 'certificate' WHEN 1 THEN 'transcript' ELSE 'letter' END,
  '2026-11-20', NULL, 'valid', '20260101-000000-001', '2026-11-20T00:00:00Z'
FROM n;
COMMIT;
ANALYZE;
SQL
