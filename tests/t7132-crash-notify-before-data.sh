#!/bin/bash
# notify killed again and again after the server said to go on with a
# message's data (354) and before its content went out, more times than
# max-attempts: the handover journal (spool/batches/B/notify.journal,
# stages/notify/handover.h) says which messages of the session were handed
# over and which the server accepted, so the next run gives back the
# attempt of every message left 'intent' that was not handed over, and
# nobody is given up unmailed; records sent one accepted, not sending it
# again; and one handed over without an acceptance keeps its attempt (it
# may have been delivered: the documented window). The same for the order
# emails (spool/orders.journal).
# Before the journal each kill charged every message of the session an
# attempt: after three kills under max-attempts 3 both learners were given
# up, neither mailed.
. "$(dirname "$0")/lib.sh"
notify_three_packed 3
journal=spool/batches/$batch/notify.journal
states() { # each learner's status and attempts
	sql "select enrolment || ' ' || status || ' ' || attempts from notifications where enrolment like 'E000%' and recipient is not null order by enrolment" | tr '\n' ' '
}
stored() { smtpd_stored | grep -cx "$1"; }

# The writes of a notify: the journal emptied at the start once it is
# there (the first run makes it), then for each message a line before
# its content and one when the server accepted it. So the first message's
# line is write 1 of the first run, 2 of the others.
for i in 1 2 3 4; do
	n=$((i == 1 ? 1 : 2))
	CERTPRESS_CRASH=write:$n run certpress-notify "$batch"
	check "attempt $i killed before the first message's content" "[ $rc = 137 ]"
	check "...nothing stored" "[ \$(smtpd_stored | wc -l) = 0 ]"
	check "...both learners left 'intent', one attempt each: $(states)" \
		"[ \"\$(states)\" = 'E0001 intent 1 E0002 intent 1 ' ]"
done
check "the journal is there, empty" "[ -f $journal ] && [ ! -s $journal ]"
check "it is not readable by others" "[ \$(stat -c %a $journal) = 640 ]"
run certpress retry "$batch"
check "retry finishes" "[ $rc = 0 ]"
check "...every learner mailed once after 4 kills under max-attempts 3" \
	"[ \$(stored ada@example.org) = 1 ] && [ \$(stored alan@example.org) = 1 ]"
check "...each recorded sent at one attempt: $(states)" \
	"[ \"\$(states)\" = 'E0001 sent 1 E0002 sent 1 ' ]"
check "...a stopped run's intents were given back (said once per run)" \
	"grep -q 'never handed over (their attempts given back)' err"
check "...and the journal removed with notified.xml" \
	"[ -e spool/batches/$batch/notified.xml ] && [ ! -e $journal ]"
run "$TOP/tests/tools/invariants" --smtp smtp spool
check "the invariant checker agrees: $(head -3 out)" "[ $rc = 0 ]"

# Killed before the second message's content: the first was accepted
# (its journal line after the server's 250), so the next run records it
# sent without sending it again, and gives the second its attempt back.
# The writes: the first's line, its acceptance, the second's line.
notify_again
CERTPRESS_CRASH=write:3 run certpress-notify "$batch"
check "killed before the second message's content" \
	"[ $rc = 137 ] && [ \$(stored ada@example.org) = 1 ] && [ \$(stored alan@example.org) = 0 ]"
run certpress retry "$batch"
check "retry records the first sent from the journal and mails the second once" \
	"[ $rc = 0 ] && [ \$(stored ada@example.org) = 1 ] && [ \$(stored alan@example.org) = 1 ]"
check "...recorded so: $(states)" "[ \"\$(states)\" = 'E0001 sent 1 E0002 sent 1 ' ]"
run "$TOP/tests/tools/invariants" --smtp smtp spool
check "the invariant checker agrees: $(head -3 out)" "[ $rc = 0 ]"

# Killed after the first message's content went out and before its
# acceptance was journaled (the window), 3 times: its outcome unknown, it
# is deferred keeping each attempt and sent again, then given up without
# a fourth copy; the second, never handed over, is mailed once.
notify_again
for i in 1 2 3; do
	n=$((i == 1 ? 2 : 3))
	CERTPRESS_CRASH=write:$n run certpress-notify "$batch"
	check "attempt $i killed before the first message's acceptance was journaled" "[ $rc = 137 ]"
done
check "the first message went out each time, the second never" \
	"[ \$(stored ada@example.org) = 3 ] && [ \$(stored alan@example.org) = 0 ]"
check "...the first charged 3 attempts, the second 1 (this run's): $(states)" \
	"[ \"\$(states)\" = 'E0001 intent 3 E0002 intent 1 ' ]"
run certpress retry "$batch"
check "retry gives up on the first without a fourth copy and mails the second once" \
	"[ $rc = 0 ] && [ \$(stored ada@example.org) = 3 ] && [ \$(stored alan@example.org) = 1 ]"
check "...recorded so: $(states)" \
	"[ \"\$(states)\" = 'E0001 failed 3 E0002 sent 1 ' ] &&
	 [ \"\$(sql \"select reply from notifications where enrolment = 'E0001'\")\" = \"gave up after 3 attempts (the last one's outcome unknown)\" ]"
run "$TOP/tests/tools/invariants" --smtp smtp spool
check "the invariant checker agrees: $(head -3 out)" "[ $rc = 0 ]"

# No journal to believe (notify killed under an older certpress, or the
# file removed): every intent is taken as handed over, deferred keeping
# its attempt, never given it back later (the server down for the next
# run, which only settles them; the one after sends them).
notify_again
CERTPRESS_CRASH=write:2 run certpress-notify "$batch"
check "killed after the first message's content went out" \
	"[ $rc = 137 ] && [ \$(stored ada@example.org) = 1 ]"
rm $journal
port=$smtp_port
sed -i "s|^transport = .*|transport = smtp://127.0.0.1:1|" certpress.conf
run certpress-notify "$batch"
check "with no journal, the next notify (the server down) keeps both attempts: $(states)" \
	"[ $rc = 69 ] && [ \"\$(states)\" = 'E0001 deferred 1 E0002 deferred 1 ' ] &&
	 grep -q '2 handed over with no outcome (their attempts kept)' err"
sed -i "s|^transport = .*|transport = smtp://127.0.0.1:$port|" certpress.conf
run certpress retry "$batch"
check "...and the one after sends both, charging each: $(states)" \
	"[ $rc = 0 ] && [ \"\$(states)\" = 'E0001 sent 2 E0002 sent 2 ' ] &&
	 [ \$(stored ada@example.org) = 2 ] && [ \$(stored alan@example.org) = 1 ]"
run "$TOP/tests/tools/invariants" --smtp smtp spool
check "the invariant checker agrees (each copy within its attempts): $(head -3 out)" "[ $rc = 0 ]"

# A line a failed write cut short ends at the next line's leading newline:
# the journal of a notify killed before its outcomes, the first message's
# acceptance torn (as a short write on a full disk leaves it).
notify_again
CERTPRESS_CRASH=commit:3 run certpress-notify "$batch"
check "killed after both messages were accepted" \
	"[ $rc = 137 ] && [ \$(stored ada@example.org) = 1 ] && [ \$(stored alan@example.org) = 1 ]"
python3 - "$journal" <<'PY'
import sys
p = sys.argv[1]
lines = [l for l in open(p).read().split("\n") if l]
first = [l for l in lines if l.startswith("A ") and ".E0001@" in l][0]
out = ""
for l in lines:
    out += "\n" + (l[: len(l) // 2] if l == first else l + "\n")
open(p, "w").write(out)
PY
run certpress retry "$batch"
check "the torn acceptance is not believed, the line after it is: $(states)" \
	"[ $rc = 0 ] && [ \"\$(states)\" = 'E0001 sent 2 E0002 sent 1 ' ] &&
	 [ \$(stored ada@example.org) = 2 ] && [ \$(stored alan@example.org) = 1 ]"

# An order's emails: queued while the server is down, then notify orders
# killed before the learner's content, more times than max-attempts.
ada=$(doc_ref Lovelace certificate)
port=$smtp_port
sed -i "s|^transport = .*|transport = smtp://127.0.0.1:1|" certpress.conf
run certpress order reprint "$ada" --reason lost --by ops1
check "an order placed with the mail server down: its email waits, charged nothing" \
	"[ \"\$(sql \"select status || ' ' || attempts from order_emails where event = 'placed'\")\" = 'deferred 0' ]"
sed -i "s|^transport = .*|transport = smtp://127.0.0.1:$port|" certpress.conf
before=$(stored ada@example.org)
for i in 1 2 3 4; do
	CERTPRESS_CRASH=write:2 run certpress-notify orders
	check "notify orders $i killed before the learner's content" "[ $rc = 137 ]"
done
check "...its intent at one attempt" \
	"[ \"\$(sql \"select status || ' ' || attempts from order_emails where event = 'placed'\")\" = 'intent 1' ]"
run certpress-notify orders
check "then notify orders sends it once" \
	"[ $rc = 0 ] && [ \$(stored ada@example.org) = $((before + 1)) ] &&
	 [ \"\$(sql \"select status || ' ' || attempts from order_emails where event = 'placed'\")\" = 'sent 1' ]"
check "...and the centre's copy once" \
	"[ \"\$(sql \"select status || ' ' || attempts from centre_emails where event = 'placed'\")\" = 'sent 1' ]"
run "$TOP/tests/tools/invariants" --smtp smtp spool
check "the invariant checker agrees: $(head -3 out)" "[ $rc = 0 ]"

done_testing
