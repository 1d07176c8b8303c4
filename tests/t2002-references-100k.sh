#!/bin/bash
# 100,000 references drawn through the assign stage: assigned.xml and the
# registry agree, every serial recorded as drawn, every reference with valid
# check characters.
. "$(dirname "$0")/lib.sh"
make_key

python3 "$TOP/bench/gen-results.py" 34000 big.xml
run certpress-validate -q big.xml
batch=$(last_batch)
start=$(date +%s.%N)
check_exit 0 "assign 34,000 learners" certpress-assign -q "$batch"
end=$(date +%s.%N)
n=$(sql 'select count(*) from documents')
echo "# $n references in $(echo "$end - $start" | bc) s" >&2
check "at least 100,000 references" "[ $n -ge 100000 ]"
check "assigned.xml and the registry agree, document by document" "assigned_agrees $batch"
check "each reference carries its document's serial and issue" \
	"[ \$(sql \"select count(*) from documents where reference = printf('%08d-%02d-', serial, issue) || substr(reference, 13)\") = $n ]"
check "every serial is recorded as drawn (never to be drawn again)" \
	"[ \$(sql 'select count(*) from documents d join serials s on s.serial = d.serial') = $n ]"
check "serials spread over the whole range" \
	"[ \$(sql 'select min(serial) < 100000 and max(serial) > 99900000 from documents') = 1 ]"
sql 'select reference from documents order by random() limit 300' > sample
bad=0
for r in $(cat sample); do # known, with their check characters; not issued yet
	[ "$(certpress verify "$r" 2> /dev/null | head -1)" = not-issued ] || bad=$((bad + 1))
done
check "a sample of 300 verifies as known (not-issued)" "[ $bad = 0 ]"

done_testing
