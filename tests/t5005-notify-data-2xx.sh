#!/bin/bash
# A broken server answering the DATA command itself with 250 where 354 is
# due: libesmtp sends nothing of the message, so it was not taken. notify
# must not record it sent (the learner would never be mailed): it is
# deferred, an attempt charged, and failed once max-attempts are used up,
# never recorded sent.
. "$(dirname "$0")/lib.sh"
make_key
results_file small.xml 1 "Small Centre" <<'L'
E0001|Ada|Lovelace|ada@example.org
L
through_pack small.xml
check "packed" "[ $rc = 0 ]"
start_smtpd
sed -i '/^\[mail\]/a max-attempts = 2' certpress.conf
echo 250 > smtp/data-reply
state() { sql "select status || ' ' || attempts from notifications where enrolment = 'E0001'"; }

run certpress-notify "$batch"
check "a 250 to DATA: nothing stored, notify exits 75" \
	"[ $rc = 75 ] && [ \$(smtpd_stored | wc -l) = 0 ]"
check "...the learner deferred at one attempt, not sent: $(state)" "[ \"\$(state)\" = 'deferred 1' ]"
check "...the reply says why" \
	"[ \"\$(sql \"select reply from notifications where enrolment = 'E0001'\")\" = 'the server answered DATA with 250 before any content: not sent' ]"
run certpress-notify "$batch"
check "again: failed after max-attempts (2), never recorded sent: $(state)" \
	"[ \"\$(state)\" = 'failed 2' ] && [ \$(smtpd_stored | grep -cx ada@example.org) = 0 ]"

done_testing
