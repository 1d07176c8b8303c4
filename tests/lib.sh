# tests/lib.sh: what every end-to-end test shares. Each test runs in its own
# scratch folder with its own config, spool and registry, and prints TAP.
# tests/README describes every helper; the ones every test uses:
#
#   run CMD...          run a command; its exit code is in $rc, its output in
#                       ./out and ./err
#   check DESC CODE     a test: passes if the shell code CODE succeeds
#   check_exit N DESC CMD...   run CMD, pass if it exits N
#   skip DESC           a test that cannot run here (say why)
#   contains FILE TEXT  FILE holds the fixed string TEXT
#   assigned_agrees BATCH   the batch's assigned.xml and the registry agree
#   done_testing        print the plan and exit with the result
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
BIN=$TOP/$B
FIX=$TOP/fixtures
TEST_NAME=$(basename "$0" .sh)
SCRATCH=$TOP/tests/scratch/$TEST_NAME
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
cd "$SCRATCH" || exit 1
export CERTPRESS_TODAY=2026-11-23
export CERTPRESS_CONF=$SCRATCH/certpress.conf
unset CERTPRESS_FAULT CERTPRESS_CRASH CERTPRESS_LOCK_HELD CERTPRESS_LOCK_FD CERTPRESS_LOG \
	CERTPRESS_KILL_AT CERTPRESS_KILL_GROUP CERTPRESS_OPS CERTPRESS_OPS_TRACE
export PATH=$BIN:$PATH

# CERTPRESS_VALGRIND=1 (make check-valgrind): every certpress program the test
# runs by name runs under valgrind, and so does every stage it starts
# (--trace-children: certpress execs its stages by path). An error or a
# definite or indirect leak makes the program exit 99; each process's report
# is in ./valgrind/PID.log, and done_testing fails if any names an error.
if [ "${CERTPRESS_VALGRIND:-}" = 1 ]; then
	mkdir -p "$SCRATCH/valgrind" "$SCRATCH/valgrind-bin"
	vg_opts="--leak-check=full --show-leak-kinds=definite,indirect"
	vg_opts="$vg_opts --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --trace-children=yes"
	for p in "$BIN"/certpress "$BIN"/certpress-*; do
		printf '#!/bin/sh\nexec valgrind %s --log-file=%s/valgrind/%%p.log "%s" "$@"\n' \
			"$vg_opts" "$SCRATCH" "$p" > "$SCRATCH/valgrind-bin/${p##*/}"
		chmod +x "$SCRATCH/valgrind-bin/${p##*/}"
	done
	export PATH=$SCRATCH/valgrind-bin:$PATH
fi

test_count=0
test_failed=0
rc=0

# A config for this scratch folder: the tree's catalogue, schemas and layouts.
write_config() {
	cat > "$SCRATCH/certpress.conf" <<CONF
[certpress]
awarding-body = Example Awards
verify-url    = https://verify.example.org/v/
spool         = spool
registry      = spool/registry.sqlite
catalogue     = $FIX/catalogue.xml
layouts       = $TOP/layouts
key-file      = keys/reference.key
schemas       = $TOP/config

[sign]
certificate = keys/signing.crt
key         = keys/signing.key

[mail]
transport = file:spool/outbox
from      = Example Awards <certificates@example.org>

[export]
encrypt         = no
retention-hours = 24
CONF
}
write_config

# A reference key for this scratch folder (mode 0600), and a signing key
# with its self-signed certificate (keygen --signing).
make_key() {
	certpress keygen 2>/dev/null && certpress keygen --signing 2>/dev/null
}

# Validate a results file and assign its references; the batch id is left
# in $batch.
validate_and_assign() {
	run certpress-validate "$1"
	batch=$(last_batch)
	run certpress-assign "$batch"
}

# Validate, assign and render; the batch id is left in $batch.
through_render() {
	validate_and_assign "$1"
	run certpress-render "$batch"
}

# The reference of a learner's document, by last name and type.
doc_ref() {
	sql "select d.reference from documents d join awards a on a.id = d.award_id
	     where a.last_name = '$1' and d.type = '$2' and d.issue = 1"
}

run() {
	"$@" > "$SCRATCH/out" 2> "$SCRATCH/err"
	rc=$?
	return 0
}

check() {
	test_count=$((test_count + 1))
	if (eval "$2") >> "$SCRATCH/log" 2>&1; then
		echo "ok $test_count - $1"
	else
		echo "not ok $test_count - $1"
		test_failed=$((test_failed + 1))
		{
			echo "# failed: $2"
			[ -s "$SCRATCH/err" ] && sed 's/^/#   err: /' "$SCRATCH/err" | head -20
		} >&2
	fi
}

check_exit() {
	want=$1 desc=$2
	shift 2
	run "$@"
	check "$desc (exit $want)" "[ $rc = $want ]"
}

# A test that cannot run here (root needed, say): counted, and said why.
skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count # skip $1"
}

contains() {
	grep -qF -- "$2" "$1"
}

# The number of <learner> records in one of a batch's files.
count_learners() {
	grep -c '<learner ' "$1"
}

# The batch id printed by the last validate run.
last_batch() {
	cut -d' ' -f1 "$SCRATCH/out"
}

sql() {
	sqlite3 "$SCRATCH/spool/registry.sqlite" "$@"
}

# check_protected_copy REF PDF: the digital copy PDF of REF is protected as
# every digital copy is (render's, an order's): signed over the whole file
# (pdfsig), PDF/A-2b, its SHA-256 the one the registry recorded, which
# verify --file finds.
check_protected_copy() {
	check "$1's digital copy is signed over the whole document and PDF/A-2b" \
		"pdfsig $2 > sig 2>&1; grep -q 'Signature is Valid' sig && grep -q 'Total document signed' sig &&
		 grep -q 'pdfaid:part>2<' $2"
	run certpress verify --file "$2"
	check "...verify --file: signed by us, its digest the one recorded" \
		"contains out 'reference: $1' && contains out '(the one recorded)' &&
		 [ \"\$(sql \"select digital_sha256 from documents where reference = '$1'\")\" = \"\$(sha256sum < $2 | cut -d' ' -f1)\" ]"
}

# SQL that takes away what migrations 9 -> 10, 13 -> 14, 14 -> 15, 15 -> 16
# and 16 -> 17 add and cannot add twice (their columns, the orders they fill
# in, the print loop's tables, the centres' emails, the sealed passwords; the
# others between
# create only what is not there): a test that makes an
# older registry by lowering user_version below 10 runs it first, so that
# they run again on the way up.
UNDO_SCHEMA_LATER="alter table documents drop column digital_sha256;
	alter table documents drop column revoke_category;
	drop table centre_emails; alter table batches drop column centre_email;
	drop table letter_awards; drop table order_emails; drop table order_states;
	drop table orders; alter table documents drop column template;
	drop table print_documents; drop table consignments; drop table print_batch_states;
	drop table print_batches;
	drop table zip_passwords; alter table exports drop column swept_by;
	alter table downloads drop column swept_by;"

# Batch $1's assigned.xml and the registry agree, both ways: every document
# the file lists is in the registry with the same award (id, enrolment,
# qualification, award date), type, reference, issue and dates, its award
# and itself recorded with this batch; every document of the batch's awards
# (replacements aside) is in the file; every learner of the file is an award
# of the batch and the reverse; every duplicate is an award of another
# batch; and the file's <end> counts what it holds. What differs is left in
# ./assigned.diff. (Before render: a learner render refuses loses its award.)
assigned_agrees() {
	local f=$SCRATCH/spool/batches/$1/assigned.xml t=$TOP/tests/tools/assigned.py a=$SCRATCH/assigned
	: > "$a.diff"
	{ python3 "$t" documents "$f" && python3 "$t" learners "$f" &&
	  python3 "$t" duplicates "$f" && python3 "$t" end "$f"; } > /dev/null || return 1
	python3 "$t" documents "$f" | sed "s/\$/|$1|$1/" | sort > "$a.file"
	sql "select d.award_id, a.enrolment, a.qualification, a.awarded, d.type, d.reference,
	            d.issue, d.issued, coalesce(d.expires, ''), a.batch_id, coalesce(d.batch_id, '')
	     from documents d join awards a on a.id = d.award_id
	     where (a.batch_id = '$1' or d.batch_id = '$1')
	       and d.reference not in (select replacement from reprints)" | sort > "$a.registry"
	diff "$a.file" "$a.registry" >> "$a.diff"
	python3 "$t" learners "$f" | sort > "$a.file"
	sql "select id, enrolment, qualification, awarded from awards where batch_id = '$1'" |
		sort > "$a.registry"
	diff "$a.file" "$a.registry" >> "$a.diff"
	python3 "$t" duplicates "$f" | sort > "$a.file"
	python3 "$t" duplicates "$f" | while IFS='|' read -r e q w; do
		sql "select enrolment, qualification, awarded from awards
		     where enrolment = '$e' and qualification = '$q' and awarded = '$w' and batch_id != '$1'"
	done | sort > "$a.registry"
	diff "$a.file" "$a.registry" >> "$a.diff"
	echo "$(python3 "$t" learners "$f" | wc -l)|$(python3 "$t" documents "$f" | wc -l)|$(python3 "$t" duplicates "$f" | wc -l)" > "$a.file"
	python3 "$t" end "$f" > "$a.registry"
	diff "$a.file" "$a.registry" >> "$a.diff"
	[ ! -s "$a.diff" ]
}

# The batches neither done nor refused at validate, one id a line.
unfinished_batches() {
	local x
	for x in $(sql "select id from batches where status != 'done'"); do
		[ -e "$SCRATCH/spool/batches/$x/failed" ] || echo "$x"
	done
}

# Finish every batch as an operator would after a crash or a fault:
# certpress run, then certpress retry of each batch unfinished, four rounds
# at most. Fails, with the ids left in $left, if one is still unfinished.
finish_batches() {
	local x
	run certpress run
	for _ in 1 2 3 4; do
		left=$(unfinished_batches)
		[ -z "$left" ] && return 0
		for x in $left; do
			run certpress retry "$x"
		done
	done
	left=$(unfinished_batches)
	[ -z "$left" ]
}

done_testing() {
	if [ "${CERTPRESS_VALGRIND:-}" = 1 ]; then
		check "valgrind: no error and no definite or indirect leak in any process" \
			"! grep -l 'ERROR SUMMARY: [1-9]' valgrind/*.log"
	fi
	echo "1..$test_count"
	[ "$test_failed" = 0 ]
}

# A real SMTP server (tests/tools/smtpd.py, Debian's python3-aiosmtpd) on
# 127.0.0.1 and a free port, storing messages in $SCRATCH/smtp; the config's
# transport is pointed at it. One server at a time: starting one stops the
# one before. Stopped by stop_smtpd and whenever the test ends: at exit, on
# SIGHUP, SIGINT and SIGTERM (the EXIT trap then runs), and smtpd.py stops
# itself when the test's shell dies of anything else (SIGKILL included).
start_smtpd() {
	stop_smtpd
	mkdir -p "$SCRATCH/smtp"
	rm -f "$SCRATCH/smtp/port"
	trap 'stop_smtpd' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	/usr/bin/python3 "$TOP/tests/tools/smtpd.py" "$SCRATCH/smtp" > "$SCRATCH/smtpd.log" 2>&1 &
	smtpd_pid=$!
	for _ in $(seq 100); do
		[ -s "$SCRATCH/smtp/port" ] && break
		sleep 0.1
	done
	smtp_port=$(cat "$SCRATCH/smtp/port" 2>/dev/null)
	sed -i "s|^transport = .*|transport = smtp://127.0.0.1:$smtp_port|" "$SCRATCH/certpress.conf"
}

stop_smtpd() {
	if [ -n "${smtpd_pid:-}" ]; then
		kill "$smtpd_pid" 2>/dev/null
		wait "$smtpd_pid" 2>/dev/null
		smtpd_pid=
	fi
}

# ./want: the addresses notify is to mail, lower case and sorted: every
# notifiable learner's and the centre's ($1).
smtpd_want() {
	{
		sql "select distinct lower(email) from awards where email is not null and email != ''"
		echo "$1"
	} | sort > "$SCRATCH/want"
}

# The recipients of every message the test server stored, lower case, sorted.
smtpd_stored() {
	cat "$SCRATCH"/smtp/*.rcpt 2>/dev/null | tr 'A-Z' 'a-z' | sort
}

# The pids of this test's SMTP servers still running.
smtpd_left() {
	ps -eo pid=,args= | awk -v dir="$SCRATCH/" \
		'$3 ~ /smtpd\.py$/ && index($4, dir) == 1 { print $1 }'
}

# Validate, assign, render and pack; the batch id is left in $batch.
through_pack() {
	through_render "$1"
	run certpress-pack "$batch"
}

# The notify crash tests' batch: three learners, two with an address,
# packed ($batch), the SMTP server started, [mail] max-attempts = $1, and
# the packed spool kept for notify_again.
notify_three_packed() {
	make_key
	results_file small.xml 1 "Small Centre" <<'L'
E0001|Ada|Lovelace|ada@example.org
E0002|Alan|Turing|alan@example.org
E0003|Grace|Hopper|
L
	through_pack small.xml
	check "packed" "[ $rc = 0 ]"
	start_smtpd
	sed -i "/^\[mail\]/a max-attempts = $1" "$SCRATCH/certpress.conf"
	cp -a spool spool.packed
}

# The batch as notify_three_packed left it, the server's store emptied.
notify_again() {
	rm -rf spool "$SCRATCH"/smtp/*.eml "$SCRATCH"/smtp/*.rcpt
	cp -a spool.packed spool
}

# Run CMD... in the background with tests/tools/preload/pause.c, which stops
# it at its first CALL (unlink or rename) of a path ending in SUFFIX until
# resume is called; returns once it is stopped there (1 if it never got
# there). Its pid is in $paused_pid, its output in ./paused.out and
# ./paused.err.
pause_at() { # CALL:SUFFIX CMD...
	local spec=$1
	shift
	rm -rf "$SCRATCH/pause"
	mkdir "$SCRATCH/pause"
	CP_PAUSE=$spec CP_PAUSE_DIR=$SCRATCH/pause LD_PRELOAD=$BIN/tests/tools/pause.so \
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		"$@" > "$SCRATCH/paused.out" 2> "$SCRATCH/paused.err" &
	paused_pid=$!
	trap 'stop_paused; stop_smtpd' EXIT
	for _ in $(seq 600); do
		[ -s "$SCRATCH/pause/paused" ] && return 0
		kill -0 "$paused_pid" 2> /dev/null || break
		sleep 0.05
	done
	return 1
}

stop_paused() {
	if [ -n "${paused_pid:-}" ]; then
		kill "$paused_pid" 2> /dev/null
		touch "$SCRATCH/pause/go"
		wait "$paused_pid" 2> /dev/null
		paused_pid=
	fi
}

# Let the command pause_at stopped go on and wait for it: its exit code in $rc.
resume() {
	touch "$SCRATCH/pause/go"
	wait "$paused_pid"
	rc=$?
	paused_pid=
}

# A results file of one course run (qualification 603/1465/5) at $1, with
# submission id SUB-$2 and centre name $3; each line of standard input is
# one learner "ENROLMENT|FIRST|LAST|EMAIL", written into the XML as it is
# (EMAIL empty: none). Every learner takes 9 lines, the first at line 6.
results_file() {
	{
		cat <<HEAD
<?xml version="1.0" encoding="UTF-8"?>
<results xmlns="urn:certpress:results:1" id="SUB-$2" submitted="2026-11-20T16:03:00Z">
  <centre number="C05678" name="$3" email="exams@centre.example"/>
  <course-run id="CR-TEST-1" qualification="603/1465/5" start="2026-01-10" end="2026-10-30">
    <verification verifier="V0001" name="Val Idator" date="2026-11-18" outcome="confirmed"/>
HEAD
		while IFS='|' read -r enrolment first last email; do
			[ -n "$enrolment" ] || continue
			echo "    <learner enrolment=\"$enrolment\" candidate=\"1$enrolment\">"
			echo "      <first-name>$first</first-name>"
			echo "      <last-name>$last</last-name>"
			echo "      <dob>2000-01-01</dob>"
			if [ -n "$email" ]; then
				echo "      <email>$email</email>"
			else
				echo "      <!-- no email -->"
			fi
			echo '      <outcome status="achieved" grade="Pass" awarded="2026-11-01"/>'
			echo '      <unit ref="K/650/1234" grade="Pass"/>'
			echo '      <unit ref="M/650/1235" grade="Pass"/>'
			echo "    </learner>"
		done
		echo "  </course-run>"
		echo "</results>"
	} > "$1"
}

# A verification host in ./verifyd: the publish key's public half (keys/;
# never the reference key: the service needs none), its config (verifyd.conf: edit
# with verifyd_conf KEY VALUE), and the snapshot folder certpress publish
# writes to ([verify] snapshot of the test's certpress.conf). The service
# never runs as root: as root, it runs as nobody, the keys are nobody's and
# the snapshot folder is setgid nogroup, so what publish writes (0640) is
# readable by the group. Makes the publish key pair first.
verifyd_setup() {
	local v=$SCRATCH/verifyd
	mkdir -p "$v/keys" "$v/snapshot"
	chmod o+x "$SCRATCH"
	chmod 755 "$v"
	printf '\n[verify]\nsnapshot = %s\n' "$v/snapshot" >> "$SCRATCH/certpress.conf"
	certpress keygen --publish 2>/dev/null
	cp "$SCRATCH/keys/publish.pub" "$v/keys/"
	printf '[verify]\nsnapshot = snapshot\npublic-key = keys/publish.pub\nlisten = 127.0.0.1:0\n' > "$v/verifyd.conf"
	chmod 644 "$v/verifyd.conf"
	chmod 700 "$v/keys"
	if [ "$(id -u)" = 0 ]; then
		chown -R nobody:nogroup "$v/keys"
		chgrp nogroup "$v/snapshot"
		chmod 2750 "$v/snapshot"
	fi
}

# Set KEY = VALUE in [verify] of verifyd.conf (the section it ends with).
verifyd_conf() {
	sed -i "/^$1 = /d" "$SCRATCH/verifyd/verifyd.conf"
	echo "$1 = $2" >> "$SCRATCH/verifyd/verifyd.conf"
}

# certpress-verifyd on 127.0.0.1 and a port the system chooses, with
# verifyd.conf and any further options; returns once it says where it
# listens: $verifyd_port, $verifyd_url (http://127.0.0.1:PORT), its log in
# ./verifyd.log (appended to). One at a time; stopped by stop_verifyd and
# at exit (the EXIT trap stops a test SMTP server too).
start_verifyd() {
	stop_verifyd
	local before
	touch "$SCRATCH/verifyd.log"
	before=$(grep -c 'listening on' "$SCRATCH/verifyd.log")
	trap 'stop_verifyd; stop_smtpd' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$BIN/certpress-verifyd" -c "$SCRATCH/verifyd/verifyd.conf" "$@" \
			>> "$SCRATCH/verifyd.log" 2>&1 &
	else
		"$BIN/certpress-verifyd" -c "$SCRATCH/verifyd/verifyd.conf" "$@" \
			>> "$SCRATCH/verifyd.log" 2>&1 &
	fi
	verifyd_pid=$!
	for _ in $(seq 200); do
		[ "$(grep -c 'listening on' "$SCRATCH/verifyd.log")" -gt "$before" ] && break
		kill -0 "$verifyd_pid" 2>/dev/null || break
		sleep 0.05
	done
	verifyd_port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$SCRATCH/verifyd.log" | tail -1)
	verifyd_url=http://127.0.0.1:$verifyd_port
}

# Stop it (SIGTERM); its exit code is left in $verifyd_rc.
stop_verifyd() {
	if [ -n "${verifyd_pid:-}" ]; then
		kill "$verifyd_pid" 2>/dev/null
		wait "$verifyd_pid" 2>/dev/null
		verifyd_rc=$?
		verifyd_pid=
	fi
}

# Wait (5 s at most) until the service's log has grown a line matching
# the extended regex $1 since it had $2 such lines.
verifyd_log_wait() {
	for _ in $(seq 100); do
		[ "$(grep -Ec "$1" "$SCRATCH/verifyd.log")" -gt "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# A reference with the right check characters for serial $1 and issue $2
# under the test's reference key (the registry need not hold it).
ref_for() {
	python3 - "$SCRATCH/keys/reference.key" "$1" "$2" <<'PY'
import hmac, hashlib, sys
key = bytes.fromhex(open(sys.argv[1]).read().strip())
body = "%08d-%02d" % (int(sys.argv[2]), int(sys.argv[3]))
mac = hmac.new(key, body.encode(), hashlib.sha256).digest()
v = (mac[0] << 12) | (mac[1] << 4) | (mac[2] >> 4)
alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
print(body + "-" + "".join(alphabet[(v >> s) & 31] for s in (15, 10, 5, 0)))
PY
}

# The first string of a PDF's /ID, in hex, as the writer wrote it: read from
# the file's bytes, since qpdf prints a string that looks like text (a few
# in ten thousand random IDs) as a literal, not as hex.
pdf_id() {
	grep -ao '/ID *\[ *<[0-9A-Fa-f]*>' "$1" | tail -1 | sed 's/.*<\([0-9A-Fa-f]*\)>/\1/'
}
