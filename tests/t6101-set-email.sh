#!/bin/bash
# Learners who were not emailed: status BATCH (text and --json) lists each
# by enrolment with why (no address, an address notify cannot use, the
# server's refusal, deferred); certpress set-email records a corrected or
# new address (checked as notify checks, kept with who and when) and makes
# the batches that did not email the learner send it; certpress notify
# BATCH (or the next retry) then mails exactly those learners, once, over a
# real SMTP server (aiosmtpd).
. "$(dirname "$0")/lib.sh"
make_key
start_smtpd

results_file first.xml SET-1 "Set Centre" <<'LEARNERS'
SET00001|Ada|Sent|ada@learners.example
SET00002|Bea|Nomail|
SET00003|Cai|Nomail|
SET00004|Dan|Refused|dan@refused.example
LEARNERS
echo dan@refused.example > smtp/reject
check_exit 0 "a batch with learners who cannot be emailed runs to the end" certpress run first.xml
batch=$(sql "select id from batches order by id limit 1")
stored() { # how many messages the server holds for address $1
	smtpd_stored | grep -cxF "$1"
}
check "...only Ada and the centre were mailed" \
	"[ \"\$(smtpd_stored | tr '\n' ' ')\" = 'ada@learners.example exams@centre.example ' ]"

run certpress status "$batch"
check "status BATCH: the counts say 2 not notifiable and 1 failed" \
	"contains out 'emails: 1 sent, 0 deferred, 1 failed, 2 not notifiable'"
check "...each learner without an address, by enrolment, says so" \
	"contains out 'SET00002 not notifiable: no email address' &&
	 contains out 'SET00003 not notifiable: no email address'"
check "...the refused one with the server's reply" "grep -q 'SET00004 failed after 1 attempts: 550 ' out"
check "...Ada, who was emailed, is not listed" "! grep -q 'SET00001' out"
run certpress status --json "$batch"
check "status --json BATCH lists the same three, with status and reason" \
	"python3 -c '
import json, sys
d = json.load(open(\"out\"))
got = {n[\"recipient\"]: (n[\"status\"], n[\"reply\"]) for n in d[\"emails_not_sent\"]}
assert sorted(got) == [\"SET00002\", \"SET00003\", \"SET00004\"], got
assert got[\"SET00002\"] == (\"not-notifiable\", \"no email address\"), got
assert got[\"SET00004\"][0] == \"failed\" and got[\"SET00004\"][1].startswith(\"550 \"), got
assert d[\"emails_not_notifiable\"] == 2 and d[\"emails_failed\"] == 1, d
'"

# an address notify could not use is refused before anything is recorded
check_exit 65 "set-email with an address notify cannot use" certpress set-email SET00002 'bea at learners'
check "...says why, without the address" "contains err \"enrolment 'SET00002'\" && ! grep -q 'bea at' err"
check "...nothing recorded" "[ \$(sql 'select count(*) from address_changes') = 0 ] &&
	[ -e spool/batches/$batch/notified.xml ]"
check_exit 65 "set-email with two addresses" certpress set-email SET00002 'a@b.example,c@d.example'
check_exit 66 "set-email for an enrolment the registry does not hold" certpress set-email NOSUCH1 x@y.example
check_exit 64 "set-email without an address" certpress set-email SET00002
check_exit 64 "set-email --by with a control character" certpress set-email SET00002 b@l.example --by "$(printf 'a\tb')"

# Save: the corrected addresses
check_exit 0 "set-email SET00002 --by alice" certpress set-email SET00002 bea@learners.example --by alice
check "...prints the batch that is to send it" "[ \"\$(cat out)\" = $batch ]"
check "...the batch waits at notify" "run certpress status $batch; grep -q \"batch $batch: waiting at notify\" out"
check "...and shows who set the address" "grep -q 'SET00002 by alice at ' out"
check "...the learner is listed as waiting to be sent, saying who set it" \
	"grep -q 'SET00002 deferred after 0 attempts: address set by alice at ' out"
check_exit 0 "set-email SET00004 without --by" certpress set-email SET00004 dan@learners.example
check "...recorded with the login name" \
	"[ \"\$(sql \"select set_by from address_changes where enrolment = 'SET00004'\")\" = \"\$(id -un)\" ]"
check "the history keeps the address before it" \
	"[ \"\$(sql \"select coalesce(previous, '-') || ' ' || address from address_changes order by id\" | tr '\n' ' ')\" = '- bea@learners.example dan@refused.example dan@learners.example ' ]"
check "...and the learner's awards carry the new one" \
	"[ \"\$(sql \"select distinct email from awards where enrolment = 'SET00004'\")\" = dan@learners.example ]"
run certpress status --json "$batch"
check "status --json shows who set the addresses" \
	"python3 -c '
import json
d = json.load(open(\"out\"))
assert [(a[\"enrolment\"], a[\"set_by\"]) for a in d[\"addresses_set\"]][0] == (\"SET00002\", \"alice\"), d
'"

# Notify: exactly the corrected learners, once
check_exit 0 "certpress notify BATCH" certpress notify "$batch"
check "...mailed Bea and Dan's new address once each" \
	"[ \$(stored bea@learners.example) = 1 ] && [ \$(stored dan@learners.example) = 1 ]"
check "...nobody else again (Ada, the centre, the refused address)" \
	"[ \$(stored ada@learners.example) = 1 ] && [ \$(stored exams@centre.example) = 1 ] &&
	 [ \$(stored dan@refused.example) = 0 ] && [ \$(smtpd_stored | wc -l) = 4 ]"
check "...the batch is done again" "run certpress status $batch; grep -q \"batch $batch: done\" out"
check "...its notified.xml written again" "[ -e spool/batches/$batch/notified.xml ]"
check "...the two are sent in the registry" \
	"[ \$(sql \"select count(*) from notifications where status = 'sent' and enrolment in ('SET00002', 'SET00004')\") = 2 ]"
check_exit 0 "certpress notify BATCH again" certpress notify "$batch"
check "...sends nothing" "[ \$(smtpd_stored | wc -l) = 4 ]"
check "...says everything has gone out or cannot" "contains err 'every email has gone out or cannot'"

# killed just before its commit: the batch waits at notify and finishes,
# nothing recorded, nothing sent; set-email again then does it all
CERTPRESS_CRASH=commit:1 run certpress set-email SET00003 cai@learners.example --by bob
check "set-email killed before its commit (SIGKILL)" "[ $rc = 137 ]"
check "...nothing recorded" "[ \$(sql \"select count(*) from address_changes where enrolment = 'SET00003'\") = 0 ]"
check "...the batch waits at notify" "run certpress status $batch; grep -q \"batch $batch: waiting at notify\" out"
check_exit 0 "...and retry finishes it" certpress retry "$batch"
check "...sending nothing" "[ \$(smtpd_stored | wc -l) = 4 ] && [ -e spool/batches/$batch/notified.xml ]"

# the next retry sends it as well
check_exit 0 "set-email SET00003" certpress set-email SET00003 cai@learners.example --by bob
check_exit 0 "certpress retry BATCH" certpress retry "$batch"
check "...mailed Cai once, nobody else" "[ \$(stored cai@learners.example) = 1 ] && [ \$(smtpd_stored | wc -l) = 5 ]"

# a learner who was emailed: the address is recorded, nothing is sent again
check_exit 0 "set-email for a learner who was emailed" certpress set-email SET00001 ada2@learners.example
check "...no batch is to send it" "[ ! -s out ] && contains err 'no email of theirs is waiting'"
check "...the batch stays done" "[ -e spool/batches/$batch/notified.xml ]"
check_exit 0 "...certpress notify sends nothing" certpress notify "$batch"
check "...the server holds no more" "[ \$(smtpd_stored | wc -l) = 5 ]"
check "...and status lists nobody of the batch as not emailed" \
	"run certpress status $batch; contains out 'emails: 4 sent, 0 deferred, 0 failed, 0 not notifiable' &&
	 ! grep -qE 'SET0000[1-4] (not|failed|deferred)' out"

# deferred (450) learners are listed as deferred, and a new address for
# one is sent once the server takes it
results_file second.xml SET-2 "Set Centre" <<'LEARNERS'
SET00011|Fay|Deferred|fay@slow.example
LEARNERS
echo fay@slow.example > smtp/defer
check_exit 75 "a batch whose learner's server defers" certpress run second.xml
second=$(sql "select id from batches order by id desc limit 1")
check "status lists the deferred learner with the reply" \
	"run certpress status $second; grep -q 'SET00011 deferred after 1 attempts: 450 ' out"
check_exit 0 "set-email for the deferred learner" certpress set-email SET00011 fay@learners.example
check "...the batch to send it is printed" "[ \"\$(cat out)\" = $second ]"
check "...its attempts start again" \
	"[ \"\$(sql \"select status, attempts from notifications where enrolment = 'SET00011'\")\" = 'deferred|0' ]"
check_exit 0 "certpress notify on it" certpress notify "$second"
check "...mailed once at the new address, never at the old" \
	"[ \$(stored fay@learners.example) = 1 ] && [ \$(stored fay@slow.example) = 0 ]"

# a batch not packed yet: notify is refused, naming retry
results_file third.xml SET-3 "Set Centre" <<'LEARNERS'
SET00021|Gus|Early|gus@learners.example
LEARNERS
run certpress-validate third.xml
third=$(last_batch)
check_exit 66 "certpress notify on a batch not packed" certpress notify "$third"
check "...names retry" "contains err \"certpress retry $third\""
check_exit 64 "certpress notify without a batch" certpress notify

stop_smtpd
done_testing
