#!/bin/bash
# The notify stage against a real SMTP server (aiosmtpd on 127.0.0.1):
# exactly one message per notifiable learner, in few sessions, headers that
# decode to the exact UTF-8 names, bodies with the enrolment number and the
# references; nothing sent twice; 450 deferred then sent by a re-run, 550
# failed with the server's text; server down -> 69 then finished; header
# injection harmless; the file: transport.
. "$(dirname "$0")/lib.sh"
make_key

through_pack "$FIX/results/good.xml"
check "packed" "[ $rc = 0 ]"
start_smtpd
check "the SMTP server listens" "[ -n \"$smtp_port\" ]"
sql "select email from awards where last_name = 'Llywelyn'" > smtp/defer
sql "select email from awards where last_name = 'ap Dafydd'" > smtp/reject
check_exit 75 "notify with one recipient deferred" certpress-notify "$batch"
check "no notified.xml while a message is deferred" "[ ! -e spool/batches/$batch/notified.xml ]"
notifiable=$(sql "select count(distinct enrolment) from awards where email is not null and email != ''")
check "one message per notifiable learner but the deferred and the refused, and the centre's" \
	"[ \$(ls smtp/*.eml | wc -l) = \$(( $notifiable - 2 + 1 )) ]"
check "the messages went in one session for the learners and one for the centre" \
	"[ \$(wc -l < smtp/sessions) = 2 ]"
check "the deferred recipient is recorded with its attempt" \
	"[ \"\$(sql \"select n.status, n.attempts from notifications n join awards a on a.enrolment = n.enrolment where a.last_name = 'Llywelyn'\")\" = 'deferred|1' ]"
check "the refused recipient failed with the server's text" \
	"sql \"select n.status || ' ' || n.reply from notifications n join awards a on a.enrolment = n.enrolment where a.last_name = 'ap Dafydd'\" | grep -q '^failed 550 5.1.1 .*mailbox unavailable'"
check "learners without an address are not notifiable, not errors" \
	"[ \$(sql \"select count(*) from notifications where status = 'not-notifiable'\") = \$(sql \"select count(distinct enrolment) from awards where email is null or email = ''\") ]"
check "no address or name in the stage's messages" "! grep -qiE '@example|Llywelyn' err"

# headers decode to the exact names; the body has the enrolment and references
sql -separator $'\t' "select a.email, a.first_name || coalesce(' ' || a.middle_names, '') || ' ' || a.last_name,
	a.enrolment, group_concat(d.reference, ' ') from awards a join documents d on d.award_id = a.id
	group by a.enrolment" > want
cat > names.py <<'PY'
import email.header, re
# RFC 2047 says the space between two encoded words is not part of the
# text; Python's address parser keeps it (a known bug in email's
# _header_value_parser), so display names are decoded with email.header.
def display_name(raw_to):
    v = re.sub(r"\r?\n[ \t]", " ", str(raw_to)).rsplit("<", 1)[0].strip()
    return str(email.header.make_header(email.header.decode_header(v)))
PY
cat > decode.py <<'PY'
import email, email.policy, glob, sys
from names import display_name
want = {}
for line in open("want", encoding="utf-8"):
    addr, name, enrolment, refs = line.rstrip("\n").split("\t")
    want[addr.lower()] = (name, enrolment, refs.split())
seen = 0
for path in glob.glob("smtp/*.eml"):
    raw = open(path, "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    to = msg["To"].addresses[0]
    raw_to = email.message_from_bytes(raw)["To"]
    if to.addr_spec.lower() not in want:
        assert msg["Subject"].endswith("is ready"), msg["Subject"]  # the centre's
        assert "C01234" in msg.get_content() and ".zip" in msg.get_content()
        continue
    name, enrolment, refs = want[to.addr_spec.lower()]
    assert display_name(raw_to) == name, (display_name(raw_to), name)
    assert msg["Message-ID"].startswith("<" + sys.argv[1] + "." + enrolment + "@"), msg["Message-ID"]
    assert msg["Date"] and msg["MIME-Version"] == "1.0"
    body = msg.get_content()
    assert enrolment in body, path
    for r in refs:
        assert r in body and "https://verify.example.org/v/" + r in body, (path, r)
    seen += 1
print(seen)
PY
check "every To decodes to the learner's exact UTF-8 name; bodies hold enrolment and references" \
	"[ \"\$(/usr/bin/python3 decode.py $batch)\" = \$(( $notifiable - 2 )) ]"
check "non-ASCII names travel as encoded words" "grep -l '^To: =?UTF-8?B?' smtp/*.eml | grep -q ."

# again: the deferred one only, then nothing more
before=$(ls smtp/*.eml | wc -l)
: > smtp/defer
check_exit 0 "notify again once the server accepts the deferred recipient" certpress-notify "$batch"
check "exactly one more message, to the deferred learner" \
	"[ \$(ls smtp/*.eml | wc -l) = \$(( before + 1 )) ] && grep -qx \"\$(sql \"select email from awards where last_name = 'Llywelyn'\")\" \$(ls smtp/*.rcpt | tail -1)"
check "...recorded sent on its second attempt" \
	"[ \"\$(sql \"select n.status, n.attempts from notifications n join awards a on a.enrolment = n.enrolment where a.last_name = 'Llywelyn'\")\" = 'sent|2' ]"
check "notified.xml is written" "contains spool/batches/$batch/notified.xml '<end sent=\"'"
before=$(ls smtp/*.eml | wc -l)
check_exit 0 "notify a third time" certpress-notify "$batch"
rm spool/batches/$batch/notified.xml
check_exit 0 "notify with notified.xml removed" certpress-notify "$batch"
check "nothing is ever sent twice" "[ \$(ls smtp/*.eml | wc -l) = $before ]"
check "no Message-ID twice" "[ -z \"\$(grep -h '^Message-ID' smtp/*.eml | sort | uniq -d)\" ]"

# the server down at the start: 69, then the batch finishes
stop_smtpd
through_pack "$FIX/results/good.xml" # same file: a new batch would be refused...
rm -rf spool
make_key
through_pack "$FIX/results/good.xml"
sed -i "s|^transport = .*|transport = smtp://127.0.0.1:$smtp_port|" certpress.conf
check_exit 69 "notify with the server down" certpress-notify "$batch"
check "...says the batch waits for retry" "contains err \"certpress retry $batch\""
check "...records nothing as sent" "[ \$(sql \"select count(*) from notifications where status = 'sent'\") = 0 ]"
rm -rf smtp
start_smtpd
check_exit 0 "notify once the server is back" certpress-notify "$batch"
check "every notifiable learner mailed once, and the centre" \
	"[ \$(ls smtp/*.eml | wc -l) = \$(( $notifiable + 1 )) ]"

# header injection: a CR LF in a name or an address can never add a header
rm -rf spool smtp
start_smtpd
make_key
through_pack "$FIX/results/good.xml"
sql "update awards set first_name = 'Eve' || char(13, 10) || 'Bcc: victim@example.net' || char(10) || 'X-Evil: 1'
     where last_name = 'Winbery'"
sql "update awards set email = 'mallory@example.org' || char(13, 10) || 'Bcc: victim@example.net'
     where last_name = 'Llywelyn'"
check_exit 0 "notify with control characters in a name and an address" certpress-notify "$batch"
check "no message has a Bcc or X-Evil header, and none went to the victim" \
	"! grep -qE '^(Bcc|X-Evil):' smtp/*.eml && ! grep -q victim smtp/*.rcpt"
check "the name with CR LF is one encoded display name" \
	"f=\$(grep -l \"\$(sql \"select email from awards where last_name = 'Winbery'\")\" smtp/*.rcpt) && /usr/bin/python3 -c \"
import email, email.policy, sys
from names import display_name
raw = open(sys.argv[1], 'rb').read()
m = email.message_from_bytes(raw, policy=email.policy.default)
n = display_name(email.message_from_bytes(raw)['To'])
assert n == 'Eve  Bcc: victim@example.net X-Evil: 1 Jane Winbery', n
assert len([k for k in m.keys() if k.lower() in ('bcc', 'x-evil')]) == 0
\" \${f%.rcpt}.eml"
check "the address with CR LF failed without a send" \
	"[ \"\$(sql \"select n.status from notifications n join awards a on a.enrolment = n.enrolment where a.last_name = 'Llywelyn'\")\" = failed ]"

# AUTH: the right password from the password file, then a wrong one
stop_smtpd
rm -rf spool smtp
mkdir -p smtp
echo 'certpress:s3cret-pass' > smtp/auth
start_smtpd
printf 'user = certpress\npassword-file = %s/smtp.password\nstarttls = off\n' "$SCRATCH" > mailopts
sed -i "/^\[mail\]/r mailopts" certpress.conf
echo 's3cret-pass' > smtp.password
chmod 600 smtp.password # a secret: refused if others may read it
make_key
through_pack "$FIX/results/good.xml"
check_exit 0 "notify with AUTH (user and password file)" certpress-notify "$batch"
check "every notifiable learner and the centre mailed through the authenticated session" \
	"[ \$(ls smtp/*.eml | wc -l) = \$(( $notifiable + 1 )) ]"
check "the password is in no message of the stage" "! grep -q s3cret err"
rm -rf spool
echo 'wrong-pass' > smtp.password
make_key
through_pack "$FIX/results/good.xml"
check_exit 69 "notify with a wrong AUTH password: the batch waits" certpress-notify "$batch"
check "...and nothing is recorded as sent" "[ \$(sql \"select count(*) from notifications where status = 'sent'\") = 0 ]"

# STARTTLS required by the config, not offered by the server: nothing goes in clear
rm -rf spool
echo 's3cret-pass' > smtp.password
sed -i 's/^starttls = off/starttls = required/' certpress.conf
make_key
through_pack "$FIX/results/good.xml"
before=$(ls smtp/*.eml | wc -l)
check_exit 69 "notify with starttls = required and a server without STARTTLS" certpress-notify "$batch"
check "...sends nothing in clear" "[ \$(ls smtp/*.eml | wc -l) = $before ]"

# file: transport, the embedded default
stop_smtpd
rm -rf spool
write_config
make_key
through_pack "$FIX/results/good.xml"
check_exit 0 "notify through file:" certpress-notify "$batch"
check "one .eml per notifiable learner and the centre in the outbox" \
	"[ \$(ls spool/outbox/*.eml | wc -l) = \$(( $notifiable + 1 )) ] && ! ls -A spool/outbox | grep -q cptmp"
check "an outbox message is a whole RFC 5322 message" \
	"/usr/bin/python3 -c \"
import email, email.policy, glob
for p in glob.glob('spool/outbox/*.eml'):
    m = email.message_from_bytes(open(p, 'rb').read(), policy=email.policy.default)
    assert m['From'] and m['To'] and m['Message-ID'] and m.get_content()
\""

# a centre address with CR LF (character references in the results file):
# the centre fails without a send, a warning names the file and the line,
# and status shows it; the learners are mailed as ever
rm -rf spool
make_key
sed 's|email="exams@fanshaws.example"|email="exams@fanshaws.example\&#13;\&#10;Bcc: victim@example.net"|' \
	"$FIX/results/good.xml" > crlf.xml
through_pack crlf.xml
check "a results file whose centre address has CR LF goes through to pack" "[ $rc = 0 ]"
check_exit 0 "notify with the centre's address unusable" certpress-notify "$batch"
check "...says so (an error), naming the results file and the centre's line" \
	"grep -q \"results.xml:4: centre 'C01234': email address not usable\" err"
check "...without quoting the address" "! grep -qE 'victim|fanshaws\.example' err"
check "...the centre is recorded failed, not silently not notifiable" \
	"[ \"\$(sql \"select status from notifications where enrolment = 'centre:C01234'\")\" = failed ]"
check "...certpress status BATCH shows it, with the line" \
	"run certpress status $batch; grep -q 'centre:C01234 failed .*results.xml line 4' out"
check "...nothing went to the centre or the injected address, every learner was mailed" \
	"! grep -qiE '^(To|Bcc):.*(fanshaws|victim)' spool/outbox/*.eml && [ \$(ls spool/outbox/*.eml | wc -l) = $notifiable ]"

# the same under cron: 'certpress -q run' (errors only, the summary to a
# log): the centre that cannot be told its export is ready is said on
# standard error even so, and in run's summary; the batch is done (exit 0:
# nothing a retry could send)
rm -rf spool
make_key
run certpress -q run crlf.xml
check "certpress -q run with the centre's address unusable: the batch is done (exit 0)" \
	"[ $rc = 0 ] && [ \$(ls spool/outbox/*.eml | wc -l) = $notifiable ]"
check "...-q still says it, as an error naming the file and line" \
	"grep -q \"certpress-notify: error: .*results.xml:4: centre 'C01234': email address not usable\" err"
check "...run's summary says the centre was not emailed, and why" \
	"grep -q \"centre C01234 not emailed: the centre's address (results.xml line 4) is not one this sender can use\" out"
rm -rf spool
make_key
run certpress -q run --json crlf.xml
check "...and so does its --json summary" \
	"python3 -c 'import json; d = json.load(open(\"out\")); b = d[\"batches\"]; assert any(\"line 4\" in x.get(\"centre_not_emailed\", \"\") for x in b), b'"

# every server this test started is stopped, and one whose test's shell is
# killed (SIGKILL: no trap runs) stops itself
check "no SMTP server of this test is left running" "[ -z \"\$(smtpd_left)\" ]"
mkdir -p orphan
bash -c '/usr/bin/python3 "$1" "$2" > /dev/null 2>&1 & echo $! > "$2.pid"; wait' _ \
	"$TOP/tests/tools/smtpd.py" "$SCRATCH/orphan/smtp" &
shell=$!
disown $shell # no report of its death on stderr
for _ in $(seq 100); do
	[ -s orphan/smtp/port ] && break
	sleep 0.1
done
kill -KILL $shell
orphan=$(cat orphan/smtp.pid)
for _ in $(seq 50); do
	kill -0 "$orphan" 2>/dev/null || break
	sleep 0.1
done
check "a server whose test shell was killed stops itself" "! kill -0 $orphan 2>/dev/null"
kill "$orphan" 2>/dev/null # if that check failed

done_testing
