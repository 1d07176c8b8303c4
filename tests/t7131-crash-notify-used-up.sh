#!/bin/bash
# notify killed after the server took its messages and before their
# outcomes were committed: the handover journal's acceptances make the
# next notify record them sent, none sent again. Then the same kill again
# and again, each time with a power cut losing those unsynced lines (the
# documented window: outcomes unknown), until the recipients' attempts are
# used up: each then fails without another send ("gave up after N attempts
# (the last one's outcome unknown)"), keeping the address its copies went
# to, so the registry still says whom they were sent to and the invariant
# checker finds each copy's recipient.
. "$(dirname "$0")/lib.sh"
notify_three_packed 3

# A notify's commits: first the intents a stopped run left settled (by
# the handover journal; with none, each taken as handed over), then the
# intents, then the outcomes: the third.
journal=spool/batches/$batch/notify.journal
CERTPRESS_CRASH=commit:3 run certpress-notify "$batch"
check "killed after the server took every message, before their outcomes" \
	"[ $rc = 137 ] && [ \$(smtpd_stored | grep -cx ada@example.org) = 1 ] &&
	 grep -qx 'A .*E0001@.*' $journal && grep -qx 'A .*E0002@.*' $journal"
run certpress-notify "$batch"
check "the next notify records them sent from the journal, sending neither again" \
	"[ $rc = 0 ] && [ \$(smtpd_stored | grep -cx ada@example.org) = 1 ] &&
	 [ \$(smtpd_stored | grep -cx alan@example.org) = 1 ] &&
	 [ \$(sql \"select count(*) from notifications where status = 'sent' and attempts = 1 and reply like '250 accepted (recorded from the handover journal%'\") = 2 ]"
notify_again

# The same kill 3 times, each followed by a power cut that loses the
# journal's unsynced lines (the servers' acceptances; each message's line
# before its content is synced): each message handed over with no outcome
# known, kept 'intent' then deferred with its attempt, sent again.
for i in 1 2 3; do
	CERTPRESS_CRASH=commit:3 run certpress-notify "$batch"
	check "attempt $i killed before its outcomes were committed" "[ $rc = 137 ]"
	sed -i '/^A /d' $journal
done
check "...every learner's message left 'intent' after 3 attempts (the centre's comes after)" \
	"[ \"\$(sql \"select distinct status || ' ' || attempts from notifications where recipient is not null\")\" = 'intent 3' ]"
check "...each recorded handed over in the journal" \
	"grep -qx 'H .*E0001@.*' $journal && grep -qx 'H .*E0002@.*' $journal"
check "...each stored once an attempt (the window)" \
	"[ \$(smtpd_stored | grep -cx ada@example.org) = 3 ] && [ \$(smtpd_stored | grep -cx alan@example.org) = 3 ]"
run certpress retry "$batch"
check "then retry finishes: notify gives up on them without another send" \
	"[ $rc = 0 ] && \
	 [ \$(smtpd_stored | grep -cx ada@example.org) = 3 ] &&
	 [ \$(sql \"select count(*) from notifications where status = 'failed' and reply like 'gave up after 3 attempts (the last one''s outcome unknown)'\") = 2 ]"
check "...keeping the address each was sent to" \
	"[ \"\$(sql \"select enrolment || ' ' || coalesce(recipient, '-') from notifications where enrolment like 'E000%' order by enrolment\")\" = 'E0001 ada@example.org
E0002 alan@example.org
E0003 -' ]"
check "...and the centre mailed once" "[ \$(smtpd_stored | grep -cx exams@centre.example) = 1 ]"
run "$TOP/tests/tools/invariants" --smtp smtp spool
check "the invariant checker finds every copy's recipient: $(head -3 out)" "[ $rc = 0 ]"

done_testing
