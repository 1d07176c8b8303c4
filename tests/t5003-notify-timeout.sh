#!/bin/bash
# [mail] timeout is seconds, on the greeting and on every reply: a relay
# that scans a message for 1.5 s is waited for under timeout = 5; one that
# never greets is given up after about timeout = 2 seconds (not 1, not 30);
# one that takes a message and stays silent past the timeout leaves it
# deferred with its attempt (its outcome unknown: sent again, the window).
# The timeout bounds a whole reply, not one read: a server that sends one
# more line of a reply each second ("220-...", "250-...") forever is given
# up after about the timeout too.
. "$(dirname "$0")/lib.sh"
make_key

through_pack "$FIX/results/good.xml"
check "packed" "[ $rc = 0 ]"
start_smtpd
smtpd_want exams@fanshaws.example
reset() {
	sql "delete from notifications where batch_id = '$batch'"
	rm -f "spool/batches/$batch/notified.xml" smtp/*.eml smtp/*.rcpt smtp/delay-dot smtp/no-greeting smtp/dribble
}
set_timeout() {
	sed -i '/^timeout = /d' certpress.conf
	sed -i "/^\[mail\]/a timeout = $1" certpress.conf
}
# Seconds the last timed run took.
timed() {
	local t0 t1
	t0=$(date +%s.%N)
	# a bound for a stage that would hang: 60 s, far above any timeout here
	run timeout -s KILL 60 "$@"
	t1=$(date +%s.%N)
	elapsed=$(echo "$t1 - $t0" | bc)
}
between() {
	[ "$(echo "$elapsed >= $1 && $elapsed <= $2" | bc)" = 1 ]
}

# a relay that takes 1.5 s over the first message of each connection
set_timeout 5
echo "1.5 1" > smtp/delay-dot
check_exit 0 "notify with a relay answering the data after 1.5 s, timeout = 5" certpress-notify "$batch"
check "...every learner and the centre mailed once" "[ \"\$(smtpd_stored)\" = \"\$(cat want)\" ]"
check "...the slow message recorded sent with the server's reply" \
	"[ \$(sql \"select count(*) from notifications where status = 'sent' and reply like '250 %'\") = \$(wc -l < want) ]"

# a server that never greets, timeout = 2
reset
set_timeout 2
touch smtp/no-greeting
timed certpress-notify "$batch"
check "notify against a server that never greets exits 69" "[ $rc = 69 ]"
check "...gives up after about 2 s ($elapsed s)" "between 1.8 10"
check "...says so, and how to resume" "grep -q 'no greeting' err && contains err \"certpress retry $batch\""
check "...nothing stored or sent, no attempt counted" \
	"[ -z \"\$(smtpd_stored)\" ] && [ \$(sql \"select count(*) from notifications where status = 'sent' or attempts > 0\") = 0 ]"
rm smtp/no-greeting
check_exit 0 "once the server greets, notify mails everyone" certpress-notify "$batch"
check "...once each" "[ \"\$(smtpd_stored)\" = \"\$(cat want)\" ]"

# a server silent after a message's data for longer than the timeout
reset
set_timeout 2
echo "4 1" > smtp/delay-dot
first=$(sql "select enrolment from awards where email is not null and email != '' order by enrolment limit 1")
first_mail=$(sql "select lower(email) from awards where enrolment = '$first'")
timed certpress-notify "$batch"
check "a reply slower than the timeout: exit 75" "[ $rc = 75 ]"
check "...after about 2 s, not 4 ($elapsed s)" "between 1.8 3.9"
check "...the message deferred with its attempt (the server has it: outcome unknown)" \
	"[ \"\$(sql \"select status, attempts from notifications where enrolment = '$first'\")\" = 'deferred|1' ] &&
	 [ \"\$(smtpd_stored)\" = \"$first_mail\" ]"
rm smtp/delay-dot
check_exit 0 "notify again once the server answers in time" certpress-notify "$batch"
check "...everyone else once, that learner twice (the window), nobody more" \
	"[ \"\$(smtpd_stored | grep -vx \"$first_mail\")\" = \"\$(grep -vx \"$first_mail\" want)\" ] &&
	 [ \$(smtpd_stored | grep -cx \"$first_mail\") = 2 ]"
check "...and the two copies carry one Message-ID" \
	"[ \$(grep -h '^Message-ID' \$(grep -lix \"$first_mail\" smtp/*.rcpt | sed 's/rcpt\$/eml/') | sort -u | wc -l) = 1 ]"

# a greeting that never ends: a continuation line each second, timeout = 2
reset
set_timeout 2
echo greeting > smtp/dribble
timed certpress-notify "$batch"
check "a greeting dribbled a line a second: exit 69, not hung" "[ $rc = 69 ]"
check "...given up after about 2 s, whatever the lines ($elapsed s)" "between 1.8 5.9"
check "...says no whole reply came in time" "contains err 'no whole reply within 2 s'"
check "...nothing stored or sent, no attempt counted" \
	"[ -z \"\$(smtpd_stored)\" ] && [ \$(sql \"select count(*) from notifications where status = 'sent' or attempts > 0\") = 0 ]"
rm smtp/dribble

# the reply to a message's data dribbled, after one message taken
reset
echo "dot 1" > smtp/dribble
second=$(sql "select enrolment from awards where email is not null and email != '' order by enrolment limit 1 offset 1")
timed certpress-notify "$batch"
check "a reply to the data dribbled a line a second: exit 75, not hung" "[ $rc = 75 ]"
check "...given up after about 2 s ($elapsed s)" "between 1.8 5.9"
check "...the first message sent, the second deferred with its attempt (outcome unknown)" \
	"[ \"\$(sql \"select status, attempts from notifications where enrolment = '$first'\")\" = 'sent|1' ] &&
	 [ \"\$(sql \"select status, attempts from notifications where enrolment = '$second'\")\" = 'deferred|1' ]"
check "...says no whole reply came in time" "contains err 'no whole reply within 2 s'"
rm smtp/dribble
check_exit 0 "notify again once the server answers whole" certpress-notify "$batch"
check "...every learner and the centre has mail" \
	"[ \"\$(smtpd_stored | sort -u)\" = \"\$(sort -u want)\" ]"

stop_smtpd
done_testing
