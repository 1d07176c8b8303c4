#!/bin/bash
# A server that answers 421 and closes the connection, at any point: the
# greeting, MAIL, RCPT, DATA, the end of a message's data, after N messages
# on a connection (as Gmail, Exim and Postfix rate limits do), with and
# without PIPELINING; and one that drops the connection after taking a
# message (its outcome unknown: the documented window). notify never dies
# of SIGPIPE: the messages whose outcome is known are recorded, the rest
# deferred, exit 75; retries mail every learner exactly once (beyond the
# window), attempts never above max-attempts, and a recipient left
# 'intent' counts an attempt and fails after max-attempts.
. "$(dirname "$0")/lib.sh"
make_key

through_pack "$FIX/results/good.xml"
check "packed" "[ $rc = 0 ]"
start_smtpd
smtpd_want exams@fanshaws.example
notifiable=$(($(wc -l < want) - 1))
# Each notifiable learner and the centre exactly once in the store.
once_each() {
	[ "$(smtpd_stored)" = "$(cat want)" ]
}
# Notify again and again (at most $1 times) while it exits 75; the exit
# codes in ./codes.
drain() {
	: > codes
	for _ in $(seq "$1"); do
		run certpress-notify "$batch"
		echo "$rc" >> codes
		[ "$rc" = 75 ] || break
	done
}
# Every run but the last exited 75, the last 0.
drained() {
	[ "$(tail -1 codes)" = 0 ] && ! head -n -1 codes | grep -qvx 75
}
# Forget every notification of the batch and every stored message.
reset() {
	sql "delete from notifications where batch_id = '$batch'"
	rm -f "spool/batches/$batch/notified.xml" smtp/*.eml smtp/*.rcpt smtp/sessions smtp/close
}
count() {
	sql "select count(*) from notifications where batch_id = '$batch' and $1"
}
max_attempts() {
	sql "select coalesce(max(attempts), 0) from notifications where batch_id = '$batch'"
}

# 421 at the greeting: nothing handed over, nothing charged
echo "421 greeting" > smtp/close
check_exit 75 "notify when the server greets with 421" certpress-notify "$batch"
check "...not killed by a signal" "! grep -qi 'signal' err"
check "...says the server closed the session (421) and how to resume" \
	"grep -q '421' err && contains err \"certpress retry $batch\""
check "...nothing stored, nobody sent or left 'intent'" \
	"[ -z \"\$(smtpd_stored)\" ] && [ \$(count \"status in ('sent', 'intent')\") = 0 ]"
check "...and no attempt counted for a message never handed over" "[ \$(max_attempts) = 0 ]"
check "no address in the stage's messages" "! grep -qiE '@(example|fanshaws)' err"
rm smtp/close
drain 3
check "once the server greets again, one run mails everyone" "drained && [ \$(wc -l < codes) = 1 ]"
check "...each learner and the centre exactly once" once_each

# 421 in reply to EHLO: the same
reset
echo "421 ehlo" > smtp/close
check_exit 75 "notify when the server answers EHLO with 421" certpress-notify "$batch"
check "...nothing stored, no attempt counted" "[ -z \"\$(smtpd_stored)\" ] && [ \$(max_attempts) = 0 ]"

# the connection closed without a word after 2 messages (no 421): the
# same as a 421, the server was reachable
reset
echo "drop mail 2" > smtp/close
check_exit 75 "notify when the connection drops after 2 messages" certpress-notify "$batch"
check "...the 2 recorded sent, nobody else charged" \
	"[ \$(smtpd_stored | wc -l) = 2 ] && [ \$(count \"status = 'sent'\") = 2 ] &&
	 [ \$(count \"status != 'sent' and attempts > 0\") = 0 ]"

# a rate limit: 421 at MAIL after 3 messages on a connection
reset
echo "421 mail 3" > smtp/close
check_exit 75 "notify when the server closes after 3 messages (421 at MAIL)" certpress-notify "$batch"
check "...the 3 messages it took are stored and recorded sent" \
	"[ \$(smtpd_stored | wc -l) = 3 ] && [ \$(count \"status = 'sent'\") = 3 ]"
check "...the rest deferred or not tried, none left 'intent'" \
	"[ \$(count \"status = 'intent'\") = 0 ] && [ \$(count \"status = 'deferred'\") -gt 0 ]"
check "...no attempt counted for messages the server never took up" \
	"[ \$(count \"status = 'deferred' and attempts > 0\") = 0 ]"
check "...the counts say how many were not tried" "grep -q 'not tried' err"
drain 20
check "retries exit 75 until everyone is mailed, then 0" drained
check "...each learner and the centre exactly once" once_each
check "...every recipient sent at its first attempt" \
	"[ \$(count \"status = 'sent'\") = $((notifiable + 1)) ] && [ \$(max_attempts) = 1 ]"
check "...notified.xml written" "[ -e spool/batches/$batch/notified.xml ]"

# 421 at RCPT after 2 messages, the server offering PIPELINING
reset
touch smtp/pipelining
echo "421 rcpt 2" > smtp/close
check_exit 75 "notify when the server answers RCPT with 421 (PIPELINING)" certpress-notify "$batch"
check "...the 2 messages taken are recorded sent" \
	"[ \$(smtpd_stored | wc -l) = 2 ] && [ \$(count \"status = 'sent'\") = 2 ]"
drain 30
check "...retries mail everyone exactly once" "drained && once_each"
check "...attempts never above one" "[ \$(max_attempts) = 1 ]"
rm smtp/pipelining

# 421 in reply to DATA after 1 message
reset
echo "421 data 1" > smtp/close
check_exit 75 "notify when the server answers DATA with 421" certpress-notify "$batch"
check "...one message stored and recorded sent" \
	"[ \$(smtpd_stored | wc -l) = 1 ] && [ \$(count \"status = 'sent'\") = 1 ]"
check "...the message refused at DATA is not charged (its data never went out)" \
	"[ \$(count \"status = 'deferred' and attempts > 0\") = 0 ]"
drain 40
check "...retries mail everyone exactly once" "drained && once_each"
check "...attempts never above one" "[ \$(max_attempts) = 1 ]"

# 421 after a message's data, after 4 messages: the server did not take
# that message (421 judges the connection: RFC 5321 4.2.2), so it is
# deferred without an attempt charged and the next run sends it
reset
echo "421 dot 4" > smtp/close
check_exit 75 "notify when the server refuses a message's data with 421" certpress-notify "$batch"
check "...4 stored and sent, the refused one deferred, no attempt charged" \
	"[ \$(smtpd_stored | wc -l) = 4 ] && [ \$(count \"status = 'sent'\") = 4 ] &&
	 [ \$(count \"status = 'deferred' and attempts = 0 and reply like '421 %'\") = 1 ]"
drain 20
check "...retries mail everyone exactly once" "drained && once_each"
check "...attempts never above one" "[ \$(max_attempts) = 1 ]"

# a server that answers 421 to every message's data, for longer than
# max-attempts runs: nobody is failed for the server's state, and once it
# takes mail everyone is mailed once
reset
cp certpress.conf certpress.conf.saved
sed -i '/^\[mail\]/a max-attempts = 2' certpress.conf
echo "421 dot 0" > smtp/close
for i in 1 2 3 4; do
	run certpress-notify "$batch"
	echo "$rc" >> dot-codes
done
check "a server answering 421 to each message's data: every run exits 75" \
	"[ \"\$(sort -u dot-codes)\" = 75 ]"
check "...nobody failed after more runs than max-attempts, nothing charged" \
	"[ \$(count \"status = 'failed'\") = 0 ] && [ \$(max_attempts) = 0 ] &&
	 [ -z \"\$(smtpd_stored)\" ]"
rm smtp/close
drain 40
check "...once it takes mail, everyone is mailed exactly once" "drained && once_each"
mv certpress.conf.saved certpress.conf

# certpress retry passes the 75 on (it was 70: the stage killed by SIGPIPE)
reset
echo "421 mail 3" > smtp/close
check_exit 75 "certpress retry with a server closing after 3 messages" certpress retry "$batch"
check "...not killed by a signal" "! grep -qi 'signal' err"
rm smtp/close
check_exit 0 "certpress retry once the server takes everything" certpress retry "$batch"
check "...each learner and the centre exactly once" once_each

# the window: the server takes the first message of every connection and
# drops the connection before its reply; under max-attempts = 3 that
# learner gets one copy per attempt, then fails; nobody else is charged
reset
sed -i '/^\[mail\]/a max-attempts = 3' certpress.conf
first=$(sql "select enrolment from awards where email is not null and email != '' order by enrolment limit 1")
first_mail=$(sql "select lower(email) from awards where enrolment = '$first'")
echo "drop dot" > smtp/close
check_exit 75 "notify when the connection drops after a message's data" certpress-notify "$batch"
check "...that message is deferred with its attempt (its outcome unknown)" \
	"[ \"\$(sql \"select status, attempts from notifications where enrolment = '$first'\")\" = 'deferred|1' ]"
check "...nobody else charged an attempt" "[ \$(count \"attempts > 0 and enrolment != '$first'\") = 0 ]"
run certpress-notify "$batch"
run certpress-notify "$batch"
check "after max-attempts the learner fails" \
	"[ \"\$(sql \"select status, attempts from notifications where enrolment = '$first'\")\" = 'failed|3' ] &&
	 sql \"select reply from notifications where enrolment = '$first'\" | grep -q 'gave up after 3 attempts'"
check "...having had one copy per attempt, no more" "[ \$(smtpd_stored | grep -cx \"$first_mail\") = 3 ]"
rm smtp/close
drain 3
check "once the server behaves, everyone else is mailed once" \
	"drained && [ \"\$(smtpd_stored | grep -vx \"$first_mail\")\" = \"\$(grep -vx \"$first_mail\" want)\" ]"
check "...the failed learner never again, attempts never above 3" \
	"[ \$(smtpd_stored | grep -cx \"$first_mail\") = 3 ] && [ \$(max_attempts) = 3 ]"
check "status shows the failed learner with the reason" \
	"run certpress status $batch; grep -q \"$first failed after 3 attempts: gave up\" out"

# recipients a crash left 'intent' (outcome unknown): one at max-attempts
# fails without a send, one below it is sent and charged its next attempt
reset
second=$(sql "select enrolment from awards where email is not null and email != '' order by enrolment limit 1 offset 1")
second_mail=$(sql "select lower(email) from awards where enrolment = '$second'")
sql "insert into notifications (batch_id, enrolment, message_id, status, attempts, updated)
     values ('$batch', '$first', 'x', 'intent', 3, 'now'), ('$batch', '$second', 'y', 'intent', 1, 'now')"
check_exit 0 "notify with recipients a crash left 'intent'" certpress-notify "$batch"
check "the one at max-attempts failed without a send" \
	"[ \"\$(sql \"select status, attempts from notifications where enrolment = '$first'\")\" = 'failed|3' ] &&
	 ! smtpd_stored | grep -qx \"$first_mail\""
check "the one below it sent, its attempt counted" \
	"[ \"\$(sql \"select status, attempts from notifications where enrolment = '$second'\")\" = 'sent|2' ] &&
	 [ \$(smtpd_stored | grep -cx \"$second_mail\") = 1 ]"
check "attempts never above max-attempts" "[ \$(max_attempts) = 3 ]"

stop_smtpd
done_testing
