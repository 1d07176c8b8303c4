#!/bin/bash
# The awarding body's check before release: with [run] approval = required
# a batch stops after render as awaiting approval (run exits 75), with
# proof.pdf holding every certificate small, several to a sheet, each with
# its reference and learner line (pdftotext finds every reference); hold
# keeps it back with its reason, shown by status; approve lets pack and
# notify go on (retry); who decided and when is recorded and shown.
. "$(dirname "$0")/lib.sh"
make_key
printf '\n[run]\napproval = required\n' >> certpress.conf

check_exit 75 "run with approval required stops the batch" certpress run "$FIX/results/good.xml"
batch=$(sql "select id from batches")
dir=spool/batches/$batch
check "...after render" "[ -e $dir/rendered.xml ] && [ ! -e $dir/packed.xml ]"
check "...saying it awaits approval and where the proof is" \
	"contains err \"batch $batch awaits approval: check\" && contains err 'proof.pdf'"
check "...nothing packed or published: no zip, no print file, no email" \
	"[ -z \"\$(ls spool/exports/$batch 2> /dev/null)\" ] && [ -z \"\$(ls spool/print/$batch 2> /dev/null)\" ] &&
	 [ -z \"\$(ls spool/outbox 2> /dev/null)\" ] &&
	 [ \$(sql \"select count(*) from documents where batch_id = '$batch' and published is not null\") = 0 ]"
run certpress status "$batch"
check "status BATCH says awaiting approval" "grep -q \"^batch $batch: awaiting approval\" out"
run certpress status
check "the list says so too" "grep -q \"^$batch  *awaiting approval \" out"
check_exit 0 "...and it is not stuck (a person is to act)" certpress status --stuck

# the proof
check "proof.pdf is a good PDF" "qpdf --check $dir/proof.pdf > /dev/null"
sql "select d.reference from documents d where d.batch_id = '$batch' and d.type = 'certificate' order by 1" > certs
pdftotext -layout $dir/proof.pdf proof.txt
check "the batch has certificates" "[ \$(wc -l < certs) -gt 6 ]"
check "the proof holds every certificate's reference" \
	"while read -r r; do grep -q \"\$r\" proof.txt || exit 1; done < certs"
check "...and no other document's" \
	"! sql \"select reference from documents where batch_id = '$batch' and type != 'certificate'\" | grep -qFf - proof.txt"
check "...each certificate once as a caption" \
	"[ \$(grep -oE '[0-9]{8}-01-[0-9A-Z]{4}' proof.txt | sort | uniq | wc -l) = \$(wc -l < certs) ]"
n=$(wc -l < certs)
check "several to a sheet: $n certificates on $(( (n + 5) / 6 )) pages" \
	"[ \$(qpdf --show-npages $dir/proof.pdf) = $(( (n + 5) / 6 )) ]"
# a learner whose line fits a tile (a long one is cut at its width)
name=$(sql "select first_name || ' ' || middle_names || ' ' || last_name || ', ' || enrolment from awards where last_name = 'Winbery'")
check "...each with its learner line (name, enrolment)" "grep -qF \"$name\" proof.txt"
check "...and drawn small: the certificate's own text is there" \
	"grep -q 'Example Awards' proof.txt"

# hold
check_exit 64 "hold without --reason" certpress hold "$batch"
check_exit 0 "hold BATCH --reason" certpress hold "$batch" --reason "a name to check" --by "Checker One"
check "status shows it held, with the reason and who" \
	"run certpress status $batch; grep -q \"^batch $batch: held (a name to check, held by Checker One at \" out"
check_exit 75 "retry of a held batch" certpress retry "$batch"
check "...says it is held" "contains err \"batch $batch is held (a name to check\""
check "...still nothing packed" "[ ! -e $dir/packed.xml ] && [ -z \"\$(ls spool/exports/$batch 2> /dev/null)\" ]"

# approve
check_exit 0 "approve BATCH --by" certpress approve "$batch" --by "Chief Checker"
check "...says how it goes on" "contains err \"certpress retry $batch\""
check_exit 0 "retry once approved runs to the end" certpress retry "$batch"
check "...packed, published and emailed" \
	"[ -e $dir/notified.xml ] && [ -e spool/exports/$batch/C01234-$batch.zip ] && [ -n \"\$(ls spool/outbox)\" ]"
run certpress status "$batch"
check "status shows who held and who approved, and when" \
	"grep -q '^    held by Checker One at .*: a name to check' out && grep -q '^    approved by Chief Checker at ' out &&
	 grep -q \"^batch $batch: done\" out"
run certpress status --json "$batch"
check "...in --json too" \
	"python3 -c '
import json
d = json.load(open(\"out\"))
assert [(a[\"action\"], a[\"by\"]) for a in d[\"approvals\"]] == [(\"held\", \"Checker One\"), (\"approved\", \"Chief Checker\")], d
assert d[\"approvals\"][0][\"reason\"] == \"a name to check\"
'"
check_exit 65 "hold of a packed batch is refused" certpress hold "$batch" --reason late
check_exit 0 "approve of a packed batch does nothing" certpress approve "$batch"
check "...nothing recorded by either" "[ \$(sql 'select count(*) from approvals') = 2 ]"

# a batch not rendered yet
python3 "$TOP/bench/gen-results.py" 2 early.xml 11 > /dev/null
run certpress-validate early.xml
early=$(last_batch)
check_exit 66 "approve of a batch not rendered" certpress approve "$early"
check_exit 66 "hold of a batch not rendered" certpress hold "$early" --reason x
check_exit 75 "...retry takes it on to approval" certpress retry "$early"
check "...with its proof" "[ -e spool/batches/$early/proof.pdf ]"
check_exit 0 "approve without --by" certpress approve "$early"
check "...records the login name" \
	"[ \"\$(sql \"select decided_by from approvals where batch_id = '$early'\")\" = \"\$(id -un)\" ]"

# a value that is neither is a configuration error naming the line
sed -i 's/^approval = required/approval = maybe/' certpress.conf
check_exit 78 "approval = maybe" certpress status
check "...names the file, line and key" "grep -q \"certpress.conf:\$(grep -n '^approval' certpress.conf | cut -d: -f1):.*approval.*'maybe' is not none or required\" err"

# approval none: no proof, no stop; a hold still keeps a batch back
write_config
python3 "$TOP/bench/gen-results.py" 2 free.xml 12 > /dev/null
check_exit 0 "with approval none a batch runs to the end" certpress run free.xml
free=$(sql "select id from batches order by id desc limit 1")
check "...without a proof" "[ ! -e spool/batches/$free/proof.pdf ]"
results_file kept.xml KEPT-1 "Kept Centre" <<'LEARNERS'
KEP00001|Kim|Kept|kim@learners.example
LEARNERS
through_render kept.xml
check_exit 0 "hold with approval none" certpress hold "$batch" --reason "centre query"
check_exit 75 "...pack is kept back" certpress retry "$batch"
check_exit 0 "...until approved" certpress approve "$batch"
check_exit 0 "...then it finishes" certpress retry "$batch"
check "...packed with its documents" "[ -e spool/exports/$batch/C05678-$batch.zip ]"

done_testing
