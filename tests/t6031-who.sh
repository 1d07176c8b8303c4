#!/bin/bash
# Who did it, for batches: whoever starts a batch (certpress run --by, else
# the login name; certpress-validate alone: the login name) is recorded
# with it and shown by status (text and --json), and every stage attempt
# records who ran it (run, retry, notify --by), shown with the attempt.
. "$(dirname "$0")/lib.sh"
make_key
me=$(logname 2> /dev/null || id -un)

check_exit 0 "run --by" certpress run --by "Ann Operator" "$FIX/results/good.xml"
b1=$(sql "select id from batches order by id desc limit 1")
run certpress status "$b1"
check "status BATCH says who started it" "grep -q '^  results file .*, started .* by Ann Operator\$' out"
check "...every attempt of its stages says who ran it" \
	"[ \$(grep -c '^    [a-z]* *#1 .* by Ann Operator\$' out) = 5 ]"
run certpress status --json "$b1"
check "...in --json: started_by and each stage's by" \
	"python3 -c 'import json; d = json.load(open(\"out\")); assert d[\"started_by\"] == \"Ann Operator\", d; assert [s[\"by\"] for s in d[\"stages\"]] == [\"Ann Operator\"] * 5, d[\"stages\"]'"
run certpress status --json
check "the batch list has started_by too" \
	"python3 -c 'import json; d = json.load(open(\"out\")); assert [b[\"started_by\"] for b in d if b[\"id\"] == \"$b1\"] == [\"Ann Operator\"]'"
run certpress status
check "...and the text list a STARTED BY column" \
	"head -1 out | grep -q 'STARTED BY' && grep '^$b1 ' out | grep -q 'Ann Operator'"

# without --by: the login name; the stage alone too
sed 's/id="SUB-[^"]*"/id="SUB-WHO-2"/' "$FIX/results/good.xml" > two.xml
sed -i 's/enrolment="\([A-Z]*\)0/enrolment="\1W/' two.xml
check_exit 0 "run without --by" certpress run two.xml
b2=$(sql "select id from batches order by id desc limit 1")
run certpress status --json "$b2"
check "...the login name is recorded" \
	"python3 -c 'import json; d = json.load(open(\"out\")); assert d[\"started_by\"] == \"$me\", d'"
sed 's/id="SUB-[^"]*"/id="SUB-WHO-3"/' two.xml | sed 's/enrolment="\([A-Z]*\)W/enrolment="\1V/' > three.xml
run certpress-validate three.xml
b3=$(last_batch)
check "certpress-validate alone records the login name" \
	"[ \"\$(sql \"select started_by from batch_users where batch_id = '$b3'\")\" = \"$me\" ]"

# retry --by: the later attempts are the retrier's
check_exit 0 "retry --by" certpress retry --by "Bob Retrier" "$b3"
run certpress status "$b3"
check "...the batch is still the starter's" "grep -q 'started .* by $me\$' out"
check "...the attempts retry ran are Bob Retrier's" \
	"[ \$(grep -c '^    [a-z]* *#1 .* by Bob Retrier\$' out) = 4 ] && grep -q '^    validate *#1 .* by $me\$' out"

# notify --by: its attempt is the sender's
check_exit 0 "set-email for a learner of the first batch" certpress set-email AMS00009824704 new.address@example.org
check_exit 0 "notify --by" certpress notify --by "Nora Notifier" "$b1"
run certpress status "$b1"
check "...its attempt says who sent them" "grep -q '^    notify *#2 .* by Nora Notifier\$' out"

check_exit 64 "run --by with a control character" certpress run --by "$(printf 'a\tb')" three.xml
check_exit 64 "retry --by empty" certpress retry --by "" "$b3"

done_testing
