#!/bin/bash
# The assign stage on the good fixture: one reference per document, the same
# references on every re-run, duplicates recorded instead of reissued.
. "$(dirname "$0")/lib.sh"

check_exit 78 "no key file yet" sh -c 'certpress-validate "$0" >/dev/null && certpress-assign "$(ls spool/batches | head -1)"' "$FIX/results/good.xml"
check "says the key is missing" "contains err 'reference.key: cannot read the reference key'"
rm -rf spool
make_key
check "keygen makes a 0600 key" "[ \"\$(stat -c %a keys/reference.key)\" = 600 ] && [ \$(tr -d '\\n' < keys/reference.key | wc -c) = 64 ]"
before=$(cat keys/reference.key)
check_exit 0 "keygen again leaves the key alone" certpress keygen
check "the key is unchanged" "[ \"\$(cat keys/reference.key)\" = \"$before\" ]"

validate_and_assign "$FIX/results/good.xml"
dir=spool/batches/$batch
check "assign exits 0" "[ $rc = 0 ]"
check "prints the batch and folder" "grep -q '^$batch .*/spool/batches/$batch$' out"
check "108 documents: 40 certificates, 28 transcripts, 40 letters" \
	"[ \"\$(sql \"select type || '=' || count(*) from documents group by type order by type\" | tr '\\n' ' ')\" = 'certificate=40 letter=40 transcript=28 ' ]"
check "40 awards, each recorded with this batch" "[ \$(sql \"select count(*) from awards where batch_id = '$batch'\") = 40 ]"
check "every reference has the NNNNNNNN-01-CCCC shape" \
	"[ \$(sql \"select count(*) from documents where reference glob '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-01-[0-9A-HJKMNP-TV-Z][0-9A-HJKMNP-TV-Z][0-9A-HJKMNP-TV-Z][0-9A-HJKMNP-TV-Z]'\") = 108 ]"
check "assigned.xml lists every document" "[ \$(grep -c '<document ' $dir/assigned.xml) = 108 ]"
check "assigned.xml ends with its counts" "contains $dir/assigned.xml '<end count=\"40\" documents=\"108\" duplicates=\"0\"/>'"
check "assigned.xml is well-formed" "xmllint --noout $dir/assigned.xml"
check "assigned.xml and the registry agree, document by document" "assigned_agrees $batch"
check "no transcript for a qualification without one (610/0001/X)" \
	"[ \$(sql \"select count(*) from documents d join awards a on a.id = d.award_id where a.qualification = '610/0001/X' and d.type = 'transcript'\") = 0 ]"
check "expiry follows the qualification (36 months, none, 24 months)" \
	"[ \"\$(sql \"select distinct a.qualification || ' ' || coalesce(d.expires, '-') from documents d join awards a on a.id = d.award_id order by 1\" | tr '\\n' ,)\" = '601/2000/1 -,603/1465/5 2029-11-01,610/0001/X 2028-11-02,' ]"
check "issued today" "[ \"\$(sql 'select distinct issued from documents')\" = 2026-11-23 ]"
check "the stage run is recorded" \
	"[ \"\$(sql \"select outcome || ' ' || counts from stage_runs where stage = 'assign'\")\" = 'ok {\"learners\":40,\"documents\":108,\"new_documents\":108,\"duplicates\":0}' ]"
sql "select reference from documents order by reference" > refs.first

# Every reference is known, with the right check characters (not issued
# until a pack publishes it: t6005-verify-issued.sh).
ok=0
for r in $(head -20 refs.first); do
	[ "$(certpress verify "$r" 2> /dev/null | head -1)" = not-issued ] && ok=$((ok + 1))
done
check "references verify as known, not yet issued" "[ $ok = 20 ]"

# Assign again: nothing changes.
cp $dir/assigned.xml assigned.first
check_exit 0 "assign again is a no-op" certpress-assign "$batch"
check "assigned.xml unchanged" "cmp -s $dir/assigned.xml assigned.first"
# Lose assigned.xml (as if the rename never happened): the same references.
rm $dir/assigned.xml
check_exit 0 "assign after assigned.xml is lost" certpress-assign "$batch"
check "the same references come back" "cmp -s $dir/assigned.xml assigned.first"
check "no new documents" "[ \$(sql 'select count(*) from documents') = 108 ]"
check "assigned.xml and the registry still agree" "assigned_agrees $batch"

# The batch folder can be named by its path too.
check_exit 0 "assign takes the batch's folder" certpress-assign "$SCRATCH/$dir/"
check_exit 66 "assign of a batch that does not exist" certpress-assign 20200101-000000-001
check_exit 66 "assign of something that is not a batch id" certpress-assign ../../etc
# A folder named like a batch but outside this spool is not taken for this
# spool's batch of the same name.
mkdir -p elsewhere/$batch
check_exit 66 "assign of a same-named folder outside the spool" certpress-assign "$SCRATCH/elsewhere/$batch"
check "says the folder is not this spool's" "contains err 'not a batch folder of this spool'"

# A batch that failed validation has nothing to assign.
run certpress-validate "$FIX/results/bad/file-nul.xml"
check_exit 66 "assign of a batch with no accepted.xml" certpress-assign "$(last_batch)"
check "says it is not validated" "contains err 'has not been through validate yet'"

# Two files with the same learners, both validated before either is assigned:
# the second assign records duplicates and issues nothing.
rm -rf spool
sed 's/SUB-2026-11-20-0042/SUB-A/' "$FIX/results/good.xml" > a.xml
sed 's/SUB-2026-11-20-0042/SUB-B/' "$FIX/results/good.xml" > b.xml
run certpress-validate a.xml; first=$(last_batch)
run certpress-validate b.xml; second=$(last_batch)
run certpress-assign "$first"
check_exit 0 "assign of the second batch" certpress-assign "$second"
check "40 duplicates, no documents" \
	"contains spool/batches/$second/assigned.xml '<end count=\"0\" documents=\"0\" duplicates=\"40\"/>' && [ \$(sql 'select count(*) from documents') = 108 ]"
check "both batches' assigned.xml agree with the registry (duplicates: awards of the first)" \
	"assigned_agrees $first && assigned_agrees $second"
check "each duplicate is reported" \
	"[ \$(grep -c \"was certificated in another batch\" err) = 40 ] && contains spool/batches/$second/assigned.xml '<duplicate line=\"9\" enrolment=\"AMS00009824701\"'"

# The key file must be private.
chmod 644 keys/reference.key
run certpress-validate "$FIX/results/bad/rule-credits.xml"
check_exit 78 "a key file others can read is refused" certpress-assign "$(last_batch)"
check "says so" "contains err 'readable or writable by others (mode 0644)'"
chmod 600 keys/reference.key

done_testing
