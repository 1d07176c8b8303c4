#!/bin/bash
# The good fixture: 42 learners in three course runs -> 40 accepted,
# 0 rejected, 2 held (one query, one withdrawn); the batch folder, the
# registry and the inbox are left as documented.
. "$(dirname "$0")/lib.sh"

mkdir -p spool/inbox
cp "$FIX/results/good.xml" spool/inbox/good.xml
check_exit 0 "validate the good file from the inbox" certpress-validate spool/inbox/good.xml
batch=$(last_batch)
dir=spool/batches/$batch
check "prints the batch id and its folder" "grep -qE '^[0-9]{8}-[0-9]{6}-[0-9]{3} .*/spool/batches/[0-9-]+$' out"
check "reports the counts" \
	"contains err 'good.xml: 42 learners: 40 accepted, 0 rejected, 2 held (1 withdrawn)'"
check "the inbox file moved into the batch" "[ ! -e spool/inbox/good.xml ] && cmp -s $dir/results.xml '$FIX/results/good.xml'"
check "40 accepted" "[ \$(count_learners $dir/accepted.xml) = 40 ]"
check "0 rejected" "[ \$(count_learners $dir/rejected.xml) = 0 ]"
check "2 held" "[ \$(count_learners $dir/held.xml) = 2 ]"
check "held: the query and the withdrawal" \
	"contains $dir/held.xml 'status=\"query\"' && contains $dir/held.xml 'status=\"withdrawn\"'"
check "every output ends with its count" \
	"contains $dir/accepted.xml '<end count=\"40\"/>' && contains $dir/held.xml '<end count=\"2\"/>' && contains $dir/rejected.xml '<end count=\"0\"/>'"
check "outputs are valid XML" "xmllint --noout $dir/accepted.xml $dir/rejected.xml $dir/held.xml"
check "names are printed exactly (Welsh, Irish, Polish, Greek, Cyrillic)" \
	"contains $dir/accepted.xml '<first-name>Siân</first-name>' &&
	 contains $dir/accepted.xml '<last-name>Ní Mhurchú</last-name>' &&
	 contains $dir/accepted.xml '<last-name>Brzęczyszczykiewicz</last-name>' &&
	 contains $dir/accepted.xml '<last-name>Παπαδόπουλος</last-name>' &&
	 contains $dir/accepted.xml '<last-name>Кузнецова</last-name>' &&
	 contains $dir/accepted.xml \"<last-name>O'Connor</last-name>\" &&
	 contains $dir/accepted.xml '<first-name>Anne-Marie</first-name>'"
check "qualification and unit titles come from the catalogue" \
	"contains $dir/accepted.xml '<title>Example Awards Level 3 Diploma in Electrical Installation</title>' &&
	 contains $dir/accepted.xml '<title>Routine vehicle servicing</title>'"
check "expiry where the qualification expires (36 months)" \
	"contains $dir/accepted.xml 'awarded=\"2026-11-01\" expires=\"2029-11-01\"'"
check "no expiry where it does not" "! grep 'qualification=\"601/2000/1\"' $dir/accepted.xml | grep -q expires="
check "each record keeps its line in the results file" "contains $dir/accepted.xml '<learner line=\"9\" enrolment=\"AMS00009824701\"'"
check "no temp files left" "! ls -a $dir | grep -q cptmp"
check "registry: the batch and its file" \
	"[ \"\$(sql \"select status, results_name, submission, centre from batches\")\" = 'open|good.xml|SUB-2026-11-20-0042|C01234' ]"
check "registry: the file's SHA-256" \
	"[ \"\$(sql 'select sha256 from results_files')\" = \"\$(sha256sum '$FIX/results/good.xml' | cut -d' ' -f1)\" ]"
check "registry: the stage run with its counts" \
	"[ \"\$(sql \"select stage, outcome, exit_code, counts from stage_runs\")\" = 'validate|ok|0|{\"learners\":42,\"accepted\":40,\"rejected\":0,\"held\":2,\"withdrawn\":1}' ]"
check "registry: WAL, STRICT tables, schema version" \
	"[ \"\$(sql 'pragma journal_mode')\" = wal ] && [ \"\$(sql 'pragma user_version')\" -ge 4 ] && sql .schema | grep -q ') STRICT'"

# The same batch again: done already, nothing changes.
before=$(sha256sum $dir/accepted.xml)
check_exit 0 "validating the batch again is a no-op" certpress-validate "$batch"
check "accepted.xml unchanged" "[ \"\$(sha256sum $dir/accepted.xml)\" = \"$before\" ]"

# The same file dropped again is recognised and not certificated twice.
cp "$FIX/results/good.xml" spool/inbox/good.xml
check_exit 65 "the same file dropped twice is refused" certpress-validate spool/inbox/good.xml
dup=$(last_batch)
check "the reason names the first batch" "contains err 'was taken by batch $batch'"
check "moved to spool/failed with a .reason" \
	"[ -f spool/failed/$dup-good.xml ] && contains spool/failed/$dup-good.xml.reason 'was taken by batch $batch' && [ ! -e spool/inbox/good.xml ]"
check "the duplicate's batch is marked failed" "[ \"\$(sql \"select status from batches where id='$dup'\")\" = failed ]"
check "the duplicate has no accepted records" "[ ! -e spool/batches/$dup/accepted.xml ]"

# A file outside the inbox is copied, not moved.
cp "$FIX/results/bad/rule-credits.xml" outside.xml
check_exit 0 "validate a file outside the inbox" certpress-validate outside.xml
check "the original stays where it was" "[ -f outside.xml ]"

done_testing
