#!/bin/bash
# Exports on demand (certpress export) and the downloads list: each way of
# choosing (a batch, references, a course run, awards between two dates)
# makes a centre zip as the nightly one is made (manifest.csv, the
# folders, 0640), of the documents valid now only (README.txt names those
# left out), under the name given (a file name, never a path); Pending
# while it is built, Finished, Expired by the sweep after retention-hours,
# then made again; `certpress downloads` lists them beside the nightly zip.
. "$(dirname "$0")/lib.sh"
make_key
t0=$(date -u -d 2026-11-23T10:00:00Z +%s)
export CERTPRESS_NOW=$t0
me=$(logname 2> /dev/null || id -un)
dl=spool/downloads/C01234

check_exit 0 "a batch of centre C01234" certpress run "$FIX/results/good.xml"
b1=$(sql "select id from batches order by id desc limit 1")
printf 'OT0001|Olwen|Other|\nOT0002|Osian|Other|\n' | results_file other.xml OTHER "Other College"
check_exit 0 "a batch of centre C05678" certpress run other.xml
b2=$(sql "select id from batches order by id desc limit 1")
revoked=$(doc_ref Winbery certificate)
check_exit 0 "one of C01234's documents revoked" certpress revoke "$revoked" --reason "entered in error"

# the references a selection should give: valid (issued, not revoked or
# superseded) documents of the centre's awards matching WHERE, sorted
valid_refs() {
	sql "select d.reference from documents d join awards a on a.id = d.award_id
	     where a.centre = 'C01234' and d.status = 'valid' and d.published is not null and ($1)
	     order by 1"
}
# the references in a zip's manifest and its document entries, sorted
manifest_refs() {
	unzip -p "$1" manifest.csv | sed 1d | cut -d, -f1 | sort
}
entry_refs() {
	zipinfo -1 "$1" | sed -n 's,^\(certificates\|transcripts\|letters\)/\(.*\)\.pdf$,\2,p' | sort
}
# the zip holds exactly the valid documents WHERE chooses, whole, with its
# manifest and README
zip_is() { # ZIP WHERE
	valid_refs "$2" > want.refs
	[ -s want.refs ] && unzip -tq "$1" > /dev/null &&
		manifest_refs "$1" > manifest.refs && diff want.refs manifest.refs &&
		entry_refs "$1" > entry.refs && diff want.refs entry.refs &&
		zipinfo -1 "$1" | grep -qx README.txt && zipinfo -1 "$1" | grep -qx manifest.csv
}
status_of() { # FILE
	sql "select status from downloads where centre = 'C01234' and file = '$1'"
}
json_of() { # NAME KEY: the downloads --json field of the download NAME
	python3 -c "import json, sys
d = [x for x in json.load(open('out')) if x['name'] == sys.argv[1]]
assert len(d) == 1, d
print(d[0][sys.argv[2]])" "$1" "$2"
}

# --batch
check_exit 0 "export --batch" certpress export --centre C01234 --batch "$b1" --name "Batch one" \
	--description "all of November's" --by "Ann Exporter"
z1="$dl/Batch one.zip"
check "...prints the zip's path, named NAME.zip" "[ \"\$(cat out)\" = \"$SCRATCH/$z1\" ] && [ -f \"$z1\" ]"
check "...holds the batch's valid documents, its manifest and README" "zip_is '$z1' \"a.batch_id = '$b1'\""
check "...not the revoked one, and says so in README.txt" \
	"! manifest_refs '$z1' | grep -q $revoked && unzip -p '$z1' README.txt | grep -q '^  $revoked  certificate *revoked\$' &&
	 unzip -p '$z1' README.txt | grep -q '^left out: 1\$' && unzip -p '$z1' README.txt | grep -q 'Only documents valid on 2026-11-23'"
check "...its manifest as the nightly zip's (header and a row's bytes)" \
	"nightly=spool/exports/$b1/C01234-$b1.zip && [ \"\$(unzip -p \$nightly manifest.csv | head -1)\" = \"\$(unzip -p '$z1' manifest.csv | head -1)\" ] &&
	 ref=\$(unzip -p '$z1' manifest.csv | sed -n 2p | cut -d, -f1) && unzip -p \$nightly manifest.csv | grep -F \"\$ref\" > a.row &&
	 unzip -p '$z1' manifest.csv | grep -F \"\$ref\" > b.row && cmp a.row b.row"
check "...mode 0640 (personal data)" "[ \$(stat -c %a '$z1') = 640 ]"
check "...recorded finished with who, when, its expiry, size and SHA-256" \
	"[ \"\$(sql \"select status, created_by, created, expires, bytes, sha256, documents, left_out from downloads where file = 'Batch one.zip'\")\" = \"finished|Ann Exporter|2026-11-23T10:00:00Z|2026-11-24T10:00:00Z|\$(stat -c %s '$z1')|\$(sha256sum '$z1' | cut -d' ' -f1)|\$(valid_refs \"a.batch_id = '$b1'\" | wc -l)|1\" ]"
check "...no temp file left" "[ -z \"\$(ls -A $dl | grep cptmp)\" ]"

check_exit 65 "the same name again while it is finished" certpress export --centre C01234 --batch "$b1" --name "Batch one.zip"
check "...refused, naming who made it and its expiry" "contains err 'exists (made by Ann Exporter, expires 2026-11-24T10:00:00Z)'"

# --ref (twice the same is once), --course-run, --awarded-from/--awarded-to
r1=$(doc_ref Llywelyn certificate)
r2=$(doc_ref Llywelyn transcript)
check_exit 0 "export --ref" certpress export --centre C01234 --ref "$r1" --ref "$(echo "$r2" | tr 'A-Z' 'a-z')" --ref "$r1" --name refs
check "...holds those documents" "zip_is $dl/refs.zip \"d.reference in ('$r1', '$r2')\""
check_exit 0 "export --course-run" certpress export --centre C01234 --course-run CR-2026-0043 --name run43
check "...holds the course run's documents" "zip_is $dl/run43.zip \"a.course_run = 'CR-2026-0043'\""
check_exit 0 "export --awarded-from --awarded-to" certpress export --centre C01234 --awarded-from 2026-11-01 --awarded-to 01/11/2026 --name nov1
check "...holds the awards of those dates" "zip_is $dl/nov1.zip \"a.awarded = '2026-11-01'\""
check "...whose README says what was chosen" "unzip -p $dl/nov1.zip README.txt | grep -q '^chosen: *awards made from 2026-11-01 to 2026-11-01\$'"

# what cannot be chosen
check_exit 65 "--ref of another centre's document" certpress export --centre C01234 --ref "$(sql "select d.reference from documents d join awards a on a.id = d.award_id where a.centre = 'C05678' limit 1")" --name theirs
check "...refused, naming whose it is" "contains err 'is a document of centre C05678, not C01234'"
check_exit 65 "--ref that is not a reference of ours" certpress export --centre C01234 --ref 12345678-01-ZZZZ --name bad
check_exit 65 "--ref of a revoked document only: nothing valid" certpress export --centre C01234 --ref "$revoked" --name gone
check "...says so" "contains err 'no valid document of centre C01234 matches (1 that are not valid)'"
check_exit 65 "--batch of another centre" certpress export --centre C01234 --batch "$b2" --name b2
check_exit 64 "two ways of choosing" certpress export --centre C01234 --batch "$b1" --course-run CR-2026-0043 --name two
check_exit 64 "no way of choosing" certpress export --centre C01234 --name none
check_exit 64 "--awarded-from without --awarded-to" certpress export --centre C01234 --awarded-from 2026-11-01 --name half
check_exit 64 "--awarded-from after --awarded-to" certpress export --centre C01234 --awarded-from 2026-11-02 --awarded-to 2026-11-01 --name back
check "nothing recorded for what was refused" "[ \$(sql 'select count(*) from downloads') = 4 ]"

# hostile names: refused with a clear message, nothing written anywhere
n=0
for name in ../evil /tmp/evil a/b 'a\b' .hidden -rf "" "CON" "lpt1.zip" "x<y" 'a"b' "a|b" "what?" "end." "end " \
	"$(printf 'new\nline')" "$(printf 'tab\there')" "$(printf 'bidi\xe2\x80\xaeexe.zip')" "$(printf 'zero\xe2\x80\x8bwidth')" "$(printf '\xff\xfe')" \
	"$(printf 'x%.0s' $(seq 101))"; do
	n=$((n + 1))
	run certpress export --centre C01234 --batch "$b1" --name "$name"
	check "hostile name $n ($(printf '%q' "$name" | cut -c1-20)) refused (65) with a message" \
		"[ $rc = 65 ] && grep -q \"export name '.*' refused: .* (a file name, not a path)\" err"
done
check "...nothing was written for them" \
	"[ ! -e spool/evil.zip ] && [ ! -e /tmp/evil.zip ] && [ \$(ls -A $dl | grep -vc '^lock\$') = 4 ] &&
	 [ ! -e spool/downloads/evil.zip ] && [ \$(sql 'select count(*) from downloads') = 4 ]"
check_exit 65 "a centre number that is not one" certpress export --centre ../C01234 --batch "$b1" --name x

# Pending while it is built: stopped at the zip's rename
pause_at "rename:/pend.zip" certpress export --centre C01234 --batch "$b1" --name pend --by "Pat Pending"
check "stopped before the zip has its name" "[ -s pause/paused ] && [ ! -e $dl/pend.zip ] && ls -A $dl | grep -q '^\.pend\.zip\.cptmp\.'"
check "...recorded pending" "[ \"\$(status_of pend.zip)\" = pending ]"
run certpress downloads --json
check "...downloads --json says pending, with no expiry or size yet" \
	"[ \"\$(json_of pend.zip status)\" = pending ] && [ \"\$(json_of pend.zip expires)\" = None ] && [ \"\$(json_of pend.zip bytes)\" = None ]"
run certpress downloads
check "...downloads says Pending" "grep '^pend.zip ' out | grep -q ' Pending '"
resume
check "let go, it finishes (exit 0), finished" "[ $rc = 0 ] && [ \"\$(status_of pend.zip)\" = finished ] && [ -f $dl/pend.zip ]"

# the downloads list: the nightly zips and the exports, text and JSON
run certpress downloads --json
check "downloads --json parses; every export and the nightly zips" \
	"[ \$(python3 -c 'import json; print(len(json.load(open(\"out\"))))') = 7 ]"
check "...the export: name, description, type, status, created, expiration, size, who" \
	"[ \"\$(json_of 'Batch one.zip' description)|\$(json_of 'Batch one.zip' type)|\$(json_of 'Batch one.zip' status)|\$(json_of 'Batch one.zip' created)|\$(json_of 'Batch one.zip' expires)|\$(json_of 'Batch one.zip' bytes)|\$(json_of 'Batch one.zip' created_by)\" = \"all of November's|batch|finished|2026-11-23T10:00:00Z|2026-11-24T10:00:00Z|\$(stat -c %s '$z1')|Ann Exporter\" ]"
check "...a selection's type" "[ \"\$(json_of refs.zip type)\" = selection ] && [ \"\$(json_of run43.zip type)\" = selection ]"
check "...the nightly zip, as a batch made by whoever started it" \
	"[ \"\$(json_of C01234-$b1.zip type)|\$(json_of C01234-$b1.zip status)|\$(json_of C01234-$b1.zip batch)|\$(json_of C01234-$b1.zip created_by)|\$(json_of C01234-$b1.zip description)\" = \"batch|finished|$b1|$me|nightly zip of batch $b1\" ]"
check "...with jq as well" "jq -e 'map(select(.centre == \"C05678\")) | length == 1' out > /dev/null"
run certpress downloads --centre C05678 --json
check "--centre: only that centre's" "jq -e 'length == 1 and .[0].name == \"C05678-$b2.zip\"' out > /dev/null"
run certpress downloads
check "the text list: a header and a line each" \
	"head -1 out | grep -q '^NAME .* TYPE .* STATUS .* CREATED .* EXPIRES .* SIZE .* CREATED BY .* SWEPT BY .* DESCRIPTION\$' && [ \$(wc -l < out) = 8 ] &&
	 grep '^Batch one.zip ' out | grep -q \" batch  *Finished  *2026-11-23T10:00:00Z  *2026-11-24T10:00:00Z  *\$(stat -c %s '$z1') .*Ann Exporter  *-  *all of November's\$\""

# Expired after retention-hours, by the sweep; then made again
CERTPRESS_NOW=$((t0 + 23 * 3600)) run certpress sweep
check "a sweep before the expiry leaves them" "[ $rc = 0 ] && [ -f '$z1' ] && [ \"\$(status_of 'Batch one.zip')\" = finished ]"
CERTPRESS_NOW=$((t0 + 25 * 3600)) run certpress sweep
check "the sweep after it expires them (exit 0)" "[ $rc = 0 ] && grep -qx 'expired C01234 Batch one.zip' out && grep -qx 'expired C01234 refs.zip' out"
check "...their zips are deleted" "[ ! -e '$z1' ] && [ ! -e $dl/refs.zip ] && [ ! -e $dl/pend.zip ]"
check "...recorded expired and swept" \
	"[ \"\$(sql \"select count(*) from downloads where status = 'expired' and swept is not null\")\" = 5 ]"
run certpress downloads --json
check "...downloads says expired, the nightly zip too" \
	"[ \"\$(json_of 'Batch one.zip' status)\" = expired ] && [ \"\$(json_of C01234-$b1.zip status)\" = expired ]"
run certpress downloads
check "...Expired in the text list" "grep '^Batch one.zip ' out | grep -q ' Expired '"
CERTPRESS_NOW=$((t0 + 26 * 3600)) run certpress export --centre C01234 --batch "$b1" --name "Batch one" --by "Eve Again"
check "an expired export made again (exit 0)" "[ $rc = 0 ] && zip_is '$z1' \"a.batch_id = '$b1'\""
check "...finished anew: its own time, user and expiry" \
	"[ \"\$(sql \"select status, created_by, created, expires, swept is null from downloads where file = 'Batch one.zip'\")\" = 'finished|Eve Again|2026-11-24T12:00:00Z|2026-11-25T12:00:00Z|1' ]"
CERTPRESS_NOW=$((t0 + 27 * 3600)) run certpress sweep
check "...and the sweep leaves it until it expires" "[ -f '$z1' ] && [ \"\$(status_of 'Batch one.zip')\" = finished ]"

# a sweep while an export of the centre holds its lock leaves that centre
CERTPRESS_NOW=$((t0 + 60 * 3600)) pause_at "rename:/late.zip" certpress export --centre C01234 --course-run CR-2026-0042 --name late
CERTPRESS_NOW=$((t0 + 60 * 3600)) run certpress sweep
check "a sweep during an export of the centre leaves its exports (75)" \
	"[ $rc = 75 ] && contains err 'centre C01234 is being worked on' && [ -f '$z1' ]"
resume
CERTPRESS_NOW=$((t0 + 60 * 3600)) run certpress sweep
check "...the next one expires them" "[ $rc = 0 ] && [ ! -e '$z1' ] && [ -f $dl/late.zip ]"

# killed while pending, then nothing of its choice is valid any more: the
# export again refuses and records it failed (not pending for ever)
r3=$(doc_ref Llywelyn letter)
pause_at "rename:/stale.zip" certpress export --centre C01234 --ref "$r3" --name stale
kill -9 "$paused_pid"
wait "$paused_pid" 2> /dev/null
paused_pid=
check "an export killed while built is pending" "[ \"\$(status_of stale.zip)\" = pending ] && [ ! -e $dl/stale.zip ]"
run certpress revoke "$r3" --reason "issued in error"
check_exit 65 "...its one document revoked since, the export again" certpress export --centre C01234 --ref "$r3" --name stale
check "...records it failed" "[ \"\$(status_of stale.zip)\" = failed ] && [ ! -e $dl/stale.zip ]"

# [export] encrypt = yes: every entry AES-256 with the centre's password,
# as the nightly zip's
printf 'centre-secret-42\n' | certpress export-password C01234 2> /dev/null
sed -i 's/^encrypt *= no/encrypt = yes/' certpress.conf
check_exit 0 "an export with encryption on" certpress export --centre C01234 --course-run CR-2026-0043 --name secret
check "...opens with the centre's password (7z t), not without" \
	"7z t -pcentre-secret-42 $dl/secret.zip > /dev/null && ! 7z t -pwrong $dl/secret.zip > /dev/null 2>&1"
check "...every entry encrypted" "[ \$(7z l -slt -pcentre-secret-42 $dl/secret.zip | grep -c '^Encrypted = +') = \$(zipinfo -1 $dl/secret.zip | wc -l) ]"
sed -i 's/^encrypt *= yes/encrypt = no/' certpress.conf

# a replacement, once a print file carried it: its copy from spool/reprints,
# the original it supersedes left out
orig=$(doc_ref Llywelyn transcript)
check_exit 0 "a reprint" certpress reprint "$orig" --reason "damaged in the post"
new=$(head -1 out)
printf 'OT0003|Owain|Other|\n' | results_file other2.xml OTHER2 "Other College"
check_exit 0 "...carried by the next batch's print file" certpress run other2.xml
check_exit 0 "export --ref of the original and its replacement" \
	certpress export --centre C01234 --ref "$orig" --ref "$new" --name replaced
check "...holds the replacement alone, its copy the one reprint made" \
	"[ \"\$(entry_refs $dl/replaced.zip)\" = $new ] && unzip -p $dl/replaced.zip transcripts/$new.pdf | cmp - spool/reprints/digital/$new.pdf"
check "...README says the original was superseded" "unzip -p $dl/replaced.zip README.txt | grep -q '^  $orig  transcript *superseded\$'"

# the registry and the spool agree for the nightly zips
run "$TOP/tests/tools/invariants" spool
check "the invariants hold" "[ $rc = 0 ]"

done_testing
