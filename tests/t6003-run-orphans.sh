#!/bin/bash
# Killing only the parent `certpress run` or `retry` (SIGKILL or SIGTERM)
# while a stage works never leaves that stage working on: the stage (and
# render's workers) die with the parent, and the lock is free. A retry then finishes the batch with every learner
# mailed exactly once. A stage that is only told the lock is held (an
# environment variable, an fd that is not the lock's) takes the lock itself.
. "$(dirname "$0")/lib.sh"
CONF=$SCRATCH/certpress.conf

# The test SMTP server with every RCPT answered after the number of seconds
# in smtp/slow (a line appended to smtp/waiting as it starts waiting), so a
# test knows a stage is mid-notify: the messages before have their outcome
# recorded (per-session = 1) and the one waiting is not accepted yet.
cat > slowsmtpd.py <<'PY'
import asyncio, importlib.util, os, sys
spec = importlib.util.spec_from_file_location("cp_smtpd", sys.argv[2])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)

class Slow(m.Handler):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with open(os.path.join(self.store, "waiting"), "a") as f:
            f.write(address + "\n")
        try:
            with open(os.path.join(self.store, "slow")) as f:
                delay = float(f.read())
        except (FileNotFoundError, ValueError):
            delay = 0
        await asyncio.sleep(delay)
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

m.Handler = Slow
sys.argv = sys.argv[:2]
m.main()
PY

stage_pids= run_pid= smtpd_pid=
cleanup() {
	for p in $stage_pids $run_pid; do kill -CONT "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null; done
	if [ -n "$smtpd_pid" ]; then kill "$smtpd_pid" 2>/dev/null; wait "$smtpd_pid" 2>/dev/null; fi
	smtpd_pid=
}
trap cleanup EXIT

start_slow_smtpd() {
	rm -rf smtp
	mkdir -p smtp
	echo 0.4 > smtp/slow
	/usr/bin/python3 slowsmtpd.py "$SCRATCH/smtp" "$TOP/tests/tools/smtpd.py" > smtpd.log 2>&1 &
	smtpd_pid=$!
	for _ in $(seq 100); do
		[ -s smtp/port ] && break
		sleep 0.1
	done
	sed -i "s|^transport = .*|transport = smtp://127.0.0.1:$(cat smtp/port)|" "$CONF"
}

fresh() {
	cleanup
	rm -rf spool
	write_config
	printf '\n[render]\njobs = 2\n' >> "$CONF"
	sed -i 's|^\[mail\]|[mail]\nper-session = 1|' "$CONF"
	make_key
	mkdir -p spool/inbox
}

# A process is alive (a zombie is not).
alive() {
	local s
	s=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${s#Z}" = "$s" ]
}

# The stage processes of this test (their command line names its config),
# but the parent.
stages_of() {
	pgrep -f -- "-c $CONF" | grep -vx "$1" | tr '\n' ' '
}

# Wait until the shell code $1 is true (at most 60 s).
wait_for() {
	for _ in $(seq 3000); do
		eval "$1" && return 0
		sleep 0.02
	done
	return 1
}

# After the parent is gone: within 5 s every stage process it started is
# dead (the kernel kills them with their parent: PR_SET_PDEATHSIG), and the
# batch's lock is free for the next attempt. (A stage holding the lock
# through the fd it was handed would not work unlocked either, but it would
# go on working behind the operator's back: README, "Locking".)
stages_died() {
	for _ in $(seq 50); do
		local left=0
		for p in $stage_pids; do alive "$p" && left=1; done
		[ $left = 0 ] && break
		sleep 0.1
	done
	for p in $stage_pids; do alive "$p" && return 1; done
	flock -n "spool/batches/$batch/lock" true
}

# Kill the parent with signal $1; stopped stage processes are left stopped
# until the check is made, then allowed on (an orphan of broken code goes
# on working, as it would have).
kill_parent() {
	kill -"$1" "$run_pid"
	wait "$run_pid" 2>/dev/null
	run_pid=
	check "$what: the stage (and its workers) die with the parent's SIG$1, the lock free" stages_died
	for p in $stage_pids; do kill -CONT "$p" 2>/dev/null; done
}

# certpress retry until the batch is not locked any more (an orphan that
# holds the lock finishes first).
retry_until_free() {
	for _ in $(seq 100); do
		run certpress -c "$CONF" retry "$batch"
		[ $rc != 75 ] && return 0
		sleep 0.2
	done
}

# Every recipient got exactly one message (learners and the centre).
once_each() {
	local want got
	want=$(( $(sql "select count(distinct enrolment) from awards where batch_id = '$batch' and email is not null and email != ''") + 1 ))
	cat smtp/*.rcpt | sort | uniq -c > per-recipient
	got=$(wc -l < per-recipient)
	[ "$got" = "$want" ] && ! awk '$1 != 1' per-recipient | grep -q .
}

# --- notify: the parent run killed while the stage waits on the server ---
for sig in KILL TERM; do
	fresh
	start_slow_smtpd
	cp "$FIX/results/good.xml" spool/inbox/
	what="run, mid-notify"
	certpress -c "$CONF" run > run.out 2> run.err &
	run_pid=$!
	wait_for '[ -s smtp/waiting ] && [ $(wc -l < smtp/waiting) -ge 3 ]'
	batch=$(sql 'select id from batches')
	stage_pids=$(stages_of "$run_pid")
	check "$what: the stage is at work ($stage_pids)" "[ -n \"$stage_pids\" ] && [ \$(ls smtp/*.eml | wc -l) = 2 ]"
	kill_parent $sig
	echo 0 > smtp/slow
	retry_until_free
	check "$what, SIG$sig: retry finishes the batch" "[ $rc = 0 ] && [ -e spool/batches/$batch/notified.xml ]"
	for p in $stage_pids; do while alive "$p"; do sleep 0.1; done; done
	check "$what, SIG$sig: every learner and the centre got exactly one message" once_each
done

# --- notify under retry: the parent retry killed mid-notify ---
fresh
start_slow_smtpd
through_pack "$FIX/results/good.xml"
what="retry, mid-notify"
certpress -c "$CONF" retry "$batch" > run.out 2> run.err &
run_pid=$!
wait_for '[ -s smtp/waiting ] && [ $(wc -l < smtp/waiting) -ge 5 ]'
stage_pids=$(stages_of "$run_pid")
kill_parent TERM
echo 0 > smtp/slow
retry_until_free
check "$what: retry finishes the batch" "[ $rc = 0 ] && [ -e spool/batches/$batch/notified.xml ]"
for p in $stage_pids; do while alive "$p"; do sleep 0.1; done; done
check "$what: every learner and the centre got exactly one message" once_each

# --- render (two workers) under run, pack under retry: stopped mid-work ---
# The stage's processes are stopped (SIGSTOP) at a known point so that the
# check sees them whatever the machine's speed; a stopped process still
# dies of SIGKILL.
stop_stages() {
	stage_pids=$(stages_of "$run_pid")
	for p in $stage_pids; do kill -STOP "$p"; done
}

# The batch is whole: every document rendered once, packed, every email once.
whole() {
	local docs
	docs=$(sql "select count(*) from documents where batch_id = '$batch'")
	contains "spool/batches/$batch/rendered.xml" "documents=\"$docs\"" &&
	[ "$(grep -o 'reference="[^"]*"' "spool/batches/$batch/rendered.xml" | sort | uniq -d | wc -l)" = 0 ] &&
	[ "$(ls "spool/batches/$batch/digital" | wc -l)" = "$docs" ] &&
	[ -e "spool/batches/$batch/notified.xml" ] &&
	[ "$(ls spool/outbox/*.eml | wc -l)" = "$(( $(sql "select count(*) from notifications where batch_id = '$batch' and status = 'sent'") ))" ] &&
	[ -z "$(grep -h '^Message-ID' spool/outbox/*.eml | sort | uniq -d)" ]
}

for sig in KILL TERM; do
	fresh
	python3 "$TOP/bench/gen-results.py" 400 spool/inbox/big.xml 3 > /dev/null 2>&1
	what="run, mid-render"
	certpress -c "$CONF" run > run.out 2> run.err &
	run_pid=$!
	wait_for 'cat spool/batches/*/render.journal.* 2>/dev/null | grep -q .'
	stop_stages
	batch=$(sql 'select id from batches')
	check "$what: the render stage and its workers are at work ($stage_pids)" "[ \$(echo $stage_pids | wc -w) -ge 3 ]"
	kill_parent $sig
	for p in $stage_pids; do while alive "$p"; do sleep 0.1; done; done
	retry_until_free
	check "$what, SIG$sig: retry finishes the batch" "[ $rc = 0 ]"
	check "$what, SIG$sig: the batch is whole, nothing twice" whole

	fresh
	python3 "$TOP/bench/gen-results.py" 400 big.xml 4 > /dev/null 2>&1
	through_render big.xml
	what="retry, mid-pack"
	certpress -c "$CONF" retry "$batch" > run.out 2> run.err &
	run_pid=$!
	wait_for "[ \"\$(sql \"select count(*) from stage_runs where stage = 'pack' and outcome = 'running'\" 2>/dev/null)\" = 1 ]"
	stop_stages
	check "$what: the pack stage is at work ($stage_pids)" "[ -n \"$stage_pids\" ]"
	kill_parent $sig
	for p in $stage_pids; do while alive "$p"; do sleep 0.1; done; done
	retry_until_free
	check "$what, SIG$sig: retry finishes the batch" "[ $rc = 0 ]"
	check "$what, SIG$sig: the batch is whole, nothing twice" whole
done

# --- a stage is never only told that the lock is held ---
fresh
run certpress-validate "$FIX/results/good.xml"
batch=$(last_batch)
exec 8< "spool/batches/$batch/lock"
flock -n 8
check_exit 75 "a stage given CERTPRESS_LOCK_HELD takes the lock itself: locked" \
	env CERTPRESS_LOCK_HELD="$batch" certpress-assign "$batch"
check_exit 75 "a stage given an fd that is not the lock's: locked" \
	env CERTPRESS_LOCK_FD=0 certpress-assign "$batch"
exec 9< "spool/batches/$batch/lock"
check_exit 75 "a stage given another open file of the lock, not holding it: locked" \
	env CERTPRESS_LOCK_FD=9 certpress-assign "$batch"
exec 9<&-
check "...and nothing was assigned" "[ ! -e spool/batches/$batch/assigned.xml ]"
exec 8<&-
check_exit 0 "with the lock free the stage runs" certpress-assign "$batch"

done_testing
