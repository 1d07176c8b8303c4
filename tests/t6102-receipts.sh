#!/bin/bash
# Receipts per course run, as the post-certification process asks: a
# centre confirms each course run of an export (or all of them), every
# confirmation is kept; status --receipts [--pending] [--json] is the
# Certificate Receipt Pending report with due dates in working days from
# receipt-days, empty when nothing is outstanding; the centre's email and
# the Certification Report state that due date and those working days; a
# batch with no documents asks for no receipt and sends no empty zip.
. "$(dirname "$0")/lib.sh"
make_key
start_smtpd
echo 2026-11-25 > holidays.txt
sed -i 's|^retention-hours = 24|retention-hours = 24\nreceipt-days = 3\nholidays = holidays.txt|' certpress.conf
# Monday 23 November 2026: 3 working days without Wednesday 25th is Friday 27th
export CERTPRESS_NOW=$(date -u -d '2026-11-23 10:00:00' +%s) CERTPRESS_TODAY=2026-11-23

check_exit 0 "a batch of three course runs" certpress run "$FIX/results/good.xml"
batch=$(sql "select id from batches")
zip=spool/exports/$batch/C01234-$batch.zip
centre_mail=$(grep -l '^To: .*exams@fanshaws.example' smtp/*.eml)
check "the centre's email states receipt-days and the due date" \
	"tr -d '\r' < $centre_mail | grep -q 'within\$' && tr -d '\r' < $centre_mail | grep -q '^3 working days, by 2026-11-27\.\$'"
check "...not the fixed 10 working days" "! grep -q '10 working days' $centre_mail"
unzip -p "$zip" certification-report.pdf > report.pdf
check "the Certification Report states them too" \
	"pdftotext report.pdf - | tr -s ' \n' ' ' | grep -q 'within 3 working days, by 2026-11-27'"
runs=$(sql "select count(distinct a.course_run) from documents d join awards a on a.id = d.award_id where d.batch_id = '$batch'")
check "the batch has documents of three course runs" "[ $runs = 3 ]"

check_exit 0 "status --receipts --pending" certpress status --receipts --pending
check "...a row per course run, each due on Friday 27th, pending" \
	"[ \$(grep -c \"^$batch  *C01234 .* 2026-11-27 pending \" out) = 3 ]"
check "...with a header" "head -1 out | grep -q '^BATCH *CENTRE *COURSE RUN'"
for r in CR-2026-0042 CR-2026-0043 CR-2026-0044; do
	check "...$r is listed" "grep -q \" $r \" out"
done

check_exit 0 "receipt for one course run" \
	certpress receipt "$batch" C01234 --course-run CR-2026-0042 --date 2026-11-23 --note "box 1 of 2" --by "Jo Bloggs"
check_exit 0 "a second receipt for it" \
	certpress receipt "$batch" C01234 --course-run CR-2026-0042 --note "box 2 of 2" --by "Jo Bloggs"
check "both confirmations are kept, none overwritten" \
	"[ \"\$(sql \"select course_run, received, note, confirmed_by from receipts order by id\" | tr '\n' ' ')\" = 'CR-2026-0042|2026-11-23|box 1 of 2|Jo Bloggs CR-2026-0042|2026-11-23|box 2 of 2|Jo Bloggs ' ]"
run certpress status "$batch"
check "status BATCH shows each confirmation with who, when and the note" \
	"grep -q 'C01234 CR-2026-0042: received 2026-11-23, confirmed by Jo Bloggs, recorded 2026-11-23T.*: box 1 of 2' out &&
	 grep -q 'box 2 of 2' out"
run certpress status --receipts --pending
check "--pending no longer lists the confirmed course run" \
	"! grep -q CR-2026-0042 out && [ \$(grep -c ' pending ' out) = 2 ]"
run certpress status --receipts
check "without --pending it is listed confirmed, with the date and who" \
	"grep -q \"^$batch  *C01234  *CR-2026-0042 .* confirmed  *2026-11-23 Jo Bloggs\" out"

CERTPRESS_TODAY=2026-11-27 run certpress status --receipts --pending
check "on the due day the rest are pending" "[ \$(grep -c ' pending ' out) = 2 ]"
CERTPRESS_TODAY=2026-11-30 run certpress status --receipts --pending
check "the next working day they are overdue" "[ \$(grep -c ' overdue ' out) = 2 ]"
CERTPRESS_TODAY=2026-11-30 run certpress status --receipts --pending --json
check "--json says so" \
	"python3 -c '
import json
d = json.load(open(\"out\"))
assert sorted(x[\"course_run\"] for x in d) == [\"CR-2026-0043\", \"CR-2026-0044\"], d
assert all(x[\"overdue\"] and x[\"receipt\"] == \"overdue\" and x[\"due\"] == \"2026-11-27\" for x in d), d
assert all(x[\"received\"] is None for x in d), d
'"

check_exit 66 "receipt for a course run the export does not hold" \
	certpress receipt "$batch" C01234 --course-run CR-NOPE --by Jo
check "...names it" "contains err \"no course run 'CR-NOPE'\""
check_exit 66 "receipt for a centre without an export of the batch" certpress receipt "$batch" C99999 --by Jo
check_exit 64 "receipt --date that is not a date" certpress receipt "$batch" C01234 --date 2026-13-01 --by Jo
check_exit 65 "receipt --date in the future" certpress receipt "$batch" C01234 --date 2026-12-01 --by Jo
check_exit 64 "receipt --note with a control character" \
	certpress receipt "$batch" C01234 --note "$(printf 'a\nb')" --by Jo
check "...nothing recorded by any of them" "[ \$(sql 'select count(*) from receipts') = 2 ]"
check_exit 64 "status --pending without --receipts" certpress status --pending

check_exit 0 "receipt for the whole export, without --by" certpress receipt "$batch" C01234
check "...recorded with the login name, for all course runs" \
	"[ \"\$(sql 'select coalesce(course_run, \"all\"), confirmed_by from receipts order by id desc limit 1')\" = \"all|\$(id -un)\" ]"
check_exit 0 "status --receipts --pending when all are in" certpress status --receipts --pending
check "...prints nothing at all" "[ ! -s out ]"
run certpress status --receipts --pending --json
check "...--json an empty list" "[ \"\$(cat out)\" = '[]' ]"

# a batch with no documents: every learner rejected
results_file none.xml NONE-1 "Empty Centre" <<'LEARNERS'
NON00001|Nia|Nothing|nia@learners.example
LEARNERS
sed -i 's/awarded="2026-11-01"/awarded="2031-01-01"/' none.xml
before=$(ls smtp/*.eml | wc -l)
run certpress run none.xml
cp err none.err
none=$(sql "select id from batches where id != '$batch'")
check "a batch whose learners are all rejected runs to the end" \
	"[ $rc = 0 ] && [ \$(sql \"select count(*) from documents where batch_id = '$none'\") = 0 ] &&
	 [ -e spool/batches/$none/notified.xml ]"
check "...no zip is made for its centre" "[ -z \"\$(ls spool/exports/$none 2> /dev/null)\" ]"
check "...no export recorded, no receipt asked" \
	"[ \$(sql \"select count(*) from exports where batch_id = '$none'\") = 0 ] &&
	 run certpress status --receipts && ! grep -q \"$none\" out"
check "...the centre is sent no email" "[ \$(ls smtp/*.eml | wc -l) = $before ]"
check "...and pack says why" "contains none.err \"batch $none has no documents: no export for centre C05678\""

# a registry from before receipts per course run: the one receipt its
# export held is carried over as a receipt of all its course runs
cp spool/registry.sqlite old.sqlite
sqlite3 old.sqlite "delete from receipts; update exports set receipt_at = '2026-11-24T09:00:00Z',
	receipt_by = 'Old Officer' where batch_id = '$batch';
	$UNDO_SCHEMA_LATER pragma user_version = 5"
sed "s|^registry .*|registry = $SCRATCH/old.sqlite|" certpress.conf > old.conf
CERTPRESS_CONF=$SCRATCH/old.conf run certpress status --receipts --pending
check "an export's receipt from before is carried over: nothing pending" "[ $rc = 0 ] && [ ! -s out ]"
check "...as a receipt of all its course runs" \
	"[ \"\$(sqlite3 old.sqlite 'select coalesce(course_run, \"all\"), received, confirmed_by from receipts')\" = 'all|2026-11-24|Old Officer' ]"

stop_smtpd
done_testing
