#!/bin/bash
# verify, show and search say "valid" only for an issued document: one a
# pack stage has published (its batch's zip and print file, or the print
# file that carries a replacement). Before that, whatever the batch's state
# (assigned, render stopped, rendered, pack stopped), the status is
# not-issued and verify exits 1; revoked and superseded stay what they are;
# unknown stays for a reference that does not exist.
. "$(dirname "$0")/lib.sh"
make_key

status_of() { certpress verify "$1" 2> /dev/null | head -1; }
not_issued() { # REF: verify, show, search and --json all say not-issued
	run certpress verify "$1"
	[ $rc = 1 ] && [ "$(head -1 out)" = not-issued ] || return 1
	run certpress verify --json "$1"
	python3 -c 'import json; d = json.load(open("out")); assert d["status"] == "not-issued" and d["document"]["status"] == "not-issued"' || return 1
	run certpress show "$1"
	[ $rc = 0 ] && contains out 'status:         not-issued' || return 1
	run certpress search --reference "$1"
	[ $rc = 0 ] && grep -q "^$1  [a-z]* *not-issued " out
}

python3 "$TOP/bench/gen-results.py" 3 g.xml 11 > /dev/null
validate_and_assign g.xml
check "an assigned batch" "[ $rc = 0 ]"
ref=$(doc_ref "$(sql "select last_name from awards order by enrolment limit 1")" certificate)
other=$(sql "select reference from documents where type = 'transcript' order by reference limit 1")
check "assigned, never rendered: verify, show and search say not-issued" "not_issued $ref"
CERTPRESS_TODAY=2099-01-01 run certpress verify "$ref"
check "...also after its expiry date (never issued is not expired)" "[ $rc = 1 ] && [ \"\$(head -1 out)\" = not-issued ]"

CERTPRESS_CRASH=rename:3 run certpress-render "$batch"
check "render killed half way" "[ $rc != 0 ] && [ ! -e spool/batches/$batch/rendered.xml ]"
check "render stopped: not-issued" "not_issued $ref"
run certpress-render "$batch"
check "rendered" "[ $rc = 0 ]"
check "rendered, not packed: not-issued" "not_issued $ref"

# pack commits twice: the reprints it takes (and the statuses it reads),
# then, once the zip and print file are written, that it published them
CERTPRESS_CRASH=commit:2 run certpress-pack "$batch"
check "pack killed before recording what it published" \
	"[ $rc != 0 ] && [ ! -e spool/batches/$batch/packed.xml ]"
check "pack stopped: not-issued" "not_issued $ref"
# stopped while its outputs are made (the zip's rename, then the print
# file's ticket): nothing is issued before all of them are out
for at in rename:.zip rename:.ticket.xml; do
	pause_at $at certpress-pack "$batch"
	check "pack stopped at the $at" "[ $? = 0 ] && [ ! -e spool/batches/$batch/packed.xml ]"
	check "...its outputs are not all out: not-issued" "not_issued $ref"
	kill -9 "$paused_pid"
	wait "$paused_pid" 2> /dev/null
	paused_pid=
	check "...and still not-issued once that pack is killed there" "not_issued $ref"
done
pause_at rename:/packed.xml certpress-pack "$batch"
check "pack stopped just before packed.xml's rename" "[ $? = 0 ] && [ -e spool/exports/$batch/C09999-$batch.zip ]"
check "...its zip and print file are out: valid" "[ \"\$(status_of $ref)\" = valid ]"
kill -9 "$paused_pid"
wait "$paused_pid" 2> /dev/null
paused_pid=
check "...and still valid once that pack is killed there" \
	"[ ! -e spool/batches/$batch/packed.xml ] && [ \"\$(status_of $ref)\" = valid ]"
run certpress-pack "$batch"
check "packed" "[ $rc = 0 ]"
check_exit 0 "a packed document verifies" certpress verify "$ref"
check "...as valid, and show and search agree" \
	"[ \"\$(head -1 out)\" = valid ] && certpress show $ref | grep -q 'status:         valid' &&
	 certpress search --reference $ref | grep -qE '^$ref +[a-z]+ +valid '"
CERTPRESS_TODAY=2099-01-01 run certpress verify "$ref"
check "after its expiry date an issued document is expired" "[ $rc = 1 ] && [ \"\$(head -1 out)\" = expired ]"

# A replacement is issued by the print file that carries it.
run certpress reprint "$ref" --reason "lost"
new=$(cat out)
check "the original is superseded at once" "[ \"\$(status_of $ref)\" = superseded ]"
check "the replacement is not issued before a print file carries it" "not_issued $new"
python3 "$TOP/bench/gen-results.py" 2 next.xml 12 > /dev/null
sed -i 's/BEN000/BEX000/g' next.xml # other learners
through_pack next.xml
check "the next batch is packed, printing the replacement" \
	"[ $rc = 0 ] && contains spool/print/$batch/print-$batch.ticket.xml $new"
check_exit 0 "then the replacement verifies" certpress verify "$new"
check "...as valid" "[ \"\$(head -1 out)\" = valid ]"

# Revoked and superseded are stored, issued or not.
python3 "$TOP/bench/gen-results.py" 2 third.xml 13 > /dev/null
sed -i 's/BEN000/BEY000/g' third.xml
validate_and_assign third.xml
unissued=$(sql "select d.reference from documents d join awards a on a.id = d.award_id
		where a.enrolment like 'BEY%' and d.type = 'certificate' limit 1")
unissued2=$(sql "select d.reference from documents d join awards a on a.id = d.award_id
		 where a.enrolment like 'BEY%' and d.type = 'transcript' limit 1")
check "a third batch, assigned: not-issued" "not_issued $unissued"
run certpress revoke "$unissued" --reason "entered in error"
check "revoked before it was issued: revoked" "[ \"\$(status_of $unissued)\" = revoked ]"

# A registry made before documents recorded their publication (schema 3,
# before migration 3 -> 4 adds documents.published; the later migrations
# create what is not there yet, and what 9 -> 10 and 10 -> 11 add is taken
# away as they add it): upgrading it counts every document a finished pack
# carried as issued.
cp spool/registry.sqlite old.sqlite
version=4
sqlite3 old.sqlite "drop index if exists documents_unpublished; $UNDO_SCHEMA_LATER
	alter table documents drop column published; pragma user_version = $((version - 1))" 2> sqlite.err
sed "s|^registry .*|registry = $SCRATCH/old.sqlite|" certpress.conf > old.conf
check "an old registry (schema 3)" "[ \$(sqlite3 old.sqlite 'pragma user_version') = 3 ] && [ ! -s sqlite.err ]"
check "after the upgrade a packed batch's document is valid" \
	"[ \"\$(CERTPRESS_CONF=$SCRATCH/old.conf certpress verify $other 2> /dev/null | head -1)\" = valid ]"
check "...a printed replacement valid" \
	"[ \"\$(CERTPRESS_CONF=$SCRATCH/old.conf certpress verify $new 2> /dev/null | head -1)\" = valid ]"
check "...a document of a batch never packed not-issued" \
	"[ \"\$(CERTPRESS_CONF=$SCRATCH/old.conf certpress verify $unissued2 2> /dev/null | head -1)\" = not-issued ]"
# verify only reads; the next command that writes fills what schema 10 added
CERTPRESS_CONF=$SCRATCH/old.conf run certpress sweep
check "...and every award's units are filled again from the batches' assigned.xml" \
	"contains err 'units and' && [ \$(sqlite3 old.sqlite 'select count(*) from award_units') = \$(sqlite3 spool/registry.sqlite 'select count(*) from award_units') ] && [ \$(sqlite3 old.sqlite 'select count(*) from award_units') -gt 0 ]"

# unknown: wrong check characters, and a well-made reference not in the registry
bad=$(echo "$ref" | sed 's/-01-/-07-/')
check_exit 1 "a reference whose check characters are wrong" certpress verify "$bad"
check "...is unknown" "[ \"\$(cat out)\" = unknown ]"
rm -rf spool # the key stays: the references are well made, the registry has none
check_exit 1 "a well-made reference the registry does not hold" certpress verify "$ref"
check "...is unknown" "[ \"\$(cat out)\" = unknown ]"

done_testing
