#!/bin/bash
# 100,000 references drawn through the assign stage: no duplicate reference,
# no duplicate serial, every one with valid check characters.
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
check "no reference twice" "[ \$(sql 'select count(distinct reference) from documents') = $n ]"
check "no serial twice" "[ \$(sql 'select count(distinct serial) from documents') = $n ]"
check "serials spread over the whole range" \
	"[ \$(sql 'select min(serial) < 100000 and max(serial) > 99900000 from documents') = 1 ]"
sql 'select reference from documents order by random() limit 300' > sample
bad=0
for r in $(cat sample); do # known, with their check characters; not issued yet
	[ "$(certpress verify "$r" 2> /dev/null | head -1)" = not-issued ] || bad=$((bad + 1))
done
check "a sample of 300 verifies as known (not-issued)" "[ $bad = 0 ]"

done_testing
