#!/bin/bash
# certpress run, status, retry and receipt end to end: an inbox of three
# files (good, with rejects, malformed), two runs at once on one inbox, a
# batch stopped by a mail server that is down and finished by retry, a
# re-render after a template change, and receipt due dates in working days.
. "$(dirname "$0")/lib.sh"
make_key

mkdir -p spool/inbox
cp "$FIX/results/good.xml" "$FIX/results/bad/rule-many.xml" "$FIX/results/bad/file-truncated.xml" spool/inbox/
run certpress run
check "run over three inbox files exits 65 (one file unusable)" "[ $rc = 65 ]"
check "the inbox is empty afterwards" "[ -z \"\$(ls -A spool/inbox)\" ]"
check "the malformed file is in spool/failed/ with its reason" \
	"ls spool/failed/*-file-truncated.xml && grep -q 'not well-formed' spool/failed/*-file-truncated.xml.reason"
check "two batches done" "[ \$(grep -c ' done ' out) = 2 ]"
check "the summary counts learners, documents and emails" \
	"grep -q '^3 batches: 2 done, 1 stopped; learners 41 accepted, 1 rejected, 2 held; 111 documents issued; emails 35 sent, 0 deferred, 0 failed' out"
check "the summary gives the time per stage" "grep -qE '^time: validate [0-9.]+ s, assign [0-9.]+ s, render [0-9.]+ s, pack [0-9.]+ s, notify [0-9.]+ s' out"
check "each done batch has its zip, print file and emails" \
	"[ \$(ls spool/exports/*/*.zip | wc -l) = 2 ] && [ \$(ls spool/print/*/print-*.pdf | wc -l) = 2 ] && [ \$(ls spool/outbox/*.eml | wc -l) = 37 ]"
run certpress status
check "status lists the three batches" "[ \$(grep -c '^2026' out) = 3 ] && grep -q refused out && [ \$(grep -c ' done ' out) = 2 ]"
rb=$(sql "select id from batches where results_name = 'rule-many.xml'")
run certpress status "$rb"
check "status BATCH shows the rejected learner with reasons and lines" \
	"grep -q 'BAD00002 (line 15, course run CR-BAD-1)' out && grep -q \"line 15: grade 'Excellent' is not one of\" out"
check "...and every stage with its outcome" "[ \$(grep -cE '^    (validate|assign|render|pack|notify) +#1 .* ok ' out) = 5 ]"
run certpress status --json "$rb"
check "status --json BATCH is JSON with the rejected learners" \
	"python3 -c 'import json,sys; d=json.load(open(\"out\")); assert d[\"rejected\"] == 1 and d[\"rejected_learners\"][0][\"enrolment\"] == \"BAD00002\" and len(d[\"stages\"]) == 5'"
run certpress run --json
check "run with an empty inbox exits 0 with an empty JSON summary" \
	"[ $rc = 0 ] && python3 -c 'import json; d=json.load(open(\"out\")); assert d[\"batches\"] == []'"

cp "$FIX/results/bad/rule-grade.xml" spool/inbox/
run certpress -q run
check "-q quiets the stages too: nothing on stderr, the summary on stdout" \
	"[ $rc = 0 ] && [ ! -s err ] && grep -q '^1 batches: 1 done' out"

# two runs at once on one inbox: every learner certificated once
rm -rf spool
make_key
mkdir -p spool/inbox
for i in 1 2 3 4; do
	python3 "$TOP/bench/gen-results.py" 30 spool/inbox/r$i.xml $i > /dev/null 2>&1
done
certpress run > run1.out 2> run1.err &
p1=$!
certpress run > run2.out 2> run2.err &
p2=$!
wait $p1
r1=$?
wait $p2
r2=$?
check "two concurrent runs both finish" "[ $r1 = 0 ] && [ $r2 = 0 ]"
check "each inbox file made one batch" "[ \$(sql 'select count(*) from batches') = 4 ] && [ -z \"\$(ls -A spool/inbox)\" ]"
# The four files hold the same 30 enrolments (one award each): each award
# is made by one batch, and is a duplicate (at assign, or already at
# validate) in the others.
certificated_once() {
	for b in $(sql 'select id from batches'); do
		assigned_agrees "$b" || return 1
		python3 "$TOP/tests/tools/assigned.py" learners "spool/batches/$b/assigned.xml"
	done | cut -d'|' -f2-4 | sort > awarded
	[ -z "$(uniq -d awarded)" ] && [ "$(cut -d'|' -f1 awarded | sort -u | wc -l)" = 30 ] &&
	[ "$(wc -l < awarded)" = "$(sql 'select count(*) from awards')" ]
}
check "every learner certificated once (assigned.xml and the registry agree)" certificated_once
check "every learner mailed once" \
	"[ -z \"\$(grep -h '^Message-ID' spool/outbox/*.eml | sort | uniq -d)\" ] && [ \$(sql \"select count(*) from notifications where status = 'sent'\") = \$(ls spool/outbox/*.eml | wc -l) ]"

# the mail server down: the batch stops at notify with 69; retry finishes it
rm -rf spool smtp
make_key
start_smtpd
port=$smtp_port
stop_smtpd
mkdir -p spool/inbox
cp "$FIX/results/good.xml" spool/inbox/
run certpress run
check "run with the SMTP server down exits 69" "[ $rc = 69 ]"
batch=$(sql 'select id from batches')
run certpress status
check "status shows the batch failed at notify" "grep -q 'failed at notify (unavailable)' out"
check "...and where the emails stand" "run certpress status $batch; grep -q 'emails: 0 sent' out"
rm -rf smtp
start_smtpd
sed -i "s|^transport = .*|transport = smtp://127.0.0.1:$smtp_port|" certpress.conf
run certpress retry "$batch"
check "retry finishes the batch" "[ $rc = 0 ] && [ -e spool/batches/$batch/notified.xml ]"
notifiable=$(sql "select count(distinct enrolment) from awards where email is not null and email != ''")
check "...with every email sent once" "[ \$(ls smtp/*.eml | wc -l) = \$(( $notifiable + 1 )) ]"
run certpress status
check "status shows it done" "grep -q \"^$batch  *done \" out"
run certpress retry "$batch"
check "retry of a complete batch does nothing" "[ $rc = 0 ] && grep -q 'nothing to retry' err"

# retry --from render after a template change: new PDFs, same references, no emails
mkdir layouts
cp -r "$TOP/layouts/"* layouts/
sed -i "s|^layouts .*|layouts = $SCRATCH/layouts|" certpress.conf
sed -i 's/Certificate of Achievement/Certificate of Attainment/' layouts/certificate.xml
refs=$(sql 'select group_concat(reference) from documents order by reference')
cert=$(doc_ref Brontë certificate)
old=$(sha256sum spool/batches/$batch/digital/$cert.pdf | cut -d' ' -f1)
mails=$(ls smtp/*.eml | wc -l)
run certpress retry --from render "$batch"
check "retry --from render exits 0" "[ $rc = 0 ]"
check "the certificate is laid out again from the changed template" \
	"[ \$(sha256sum spool/batches/$batch/digital/$cert.pdf | cut -d' ' -f1) != $old ] && pdftotext spool/batches/$batch/print/$cert.pdf - | grep -q 'Certificate of Attainment'"
check "the references are the same" "[ \"\$(sql 'select group_concat(reference) from documents order by reference')\" = \"$refs\" ]"
check "no email was sent again" "[ \$(ls smtp/*.eml | wc -l) = $mails ]"
check "the zip was packed again with the new PDF" \
	"unzip -p spool/exports/$batch/C01234-$batch.zip certificates/$cert.pdf | cmp -s - spool/batches/$batch/digital/$cert.pdf"
check_exit 64 "retry --from validate is refused" certpress retry --from validate "$batch"
stop_smtpd

# receipts: sent on Friday 18 December 2026 before the Christmas holidays
rm -rf spool
write_config
make_key
cat > holidays.txt <<'H'
# bank holidays
2026-12-25
2026-12-28
2027-01-01
H
sed -i 's|^retention-hours = 24|retention-hours = 24\nholidays = holidays.txt|' certpress.conf
friday=$(date -u -d '2026-12-18 10:00:00' +%s)
for f in good.xml; do
	CERTPRESS_NOW=$friday CERTPRESS_TODAY=2026-12-18 run certpress run "$FIX/results/$f"
done
b1=$(sql 'select id from batches')
mkdir -p spool/inbox
python3 "$TOP/bench/gen-results.py" 5 spool/inbox/second.xml 7 > /dev/null 2>&1
CERTPRESS_NOW=$friday CERTPRESS_TODAY=2026-12-18 run certpress run
CERTPRESS_TODAY=2027-01-06 run certpress status --receipts
runs=$(($(wc -l < out) - 1)) # a row per course run of each export
check "exports sent on Friday 18 December are due on 6 January (weekends and holidays skipped)" \
	"[ $runs -ge 2 ] && [ \$(grep -c ' 2027-01-06 ' out) = $runs ]"
check "on the due day all are pending" "[ \$(grep -c ' pending ' out) = $runs ]"
run certpress receipt "$b1" C01234 --by 'Exams Officer'
check "receipt records the confirmation" "[ $rc = 0 ]"
check_exit 66 "receipt for an unknown export" certpress receipt "$b1" C99999
CERTPRESS_TODAY=2027-01-07 run certpress status --receipts
check "the next day: the first batch's course runs confirmed, the other's overdue" \
	"! grep -q \"^$b1 .* \(pending\|overdue\) \" out && grep -q \"^$b1 .* confirmed .* Exams Officer\" out &&
	 grep -v \"^$b1 \" out | tail -n +2 | grep -q ' overdue '"
CERTPRESS_TODAY=2027-01-07 run certpress status --receipts --json
check "status --receipts --json" \
	"python3 -c 'import json; d=json.load(open(\"out\")); assert set(x[\"receipt\"] for x in d) == {\"confirmed\", \"overdue\"} and d[0][\"due\"] == \"2027-01-06\"'"

done_testing
