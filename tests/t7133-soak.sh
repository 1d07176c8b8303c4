#!/bin/bash
# The randomised soak (in make check; make soak runs it alone): one batch of
# SOAK_LEARNERS (500) learners taken through `certpress run` and `retry`
# with SIGKILL at a random operation of each attempt (CERTPRESS_KILL_AT over
# the whole process tree, killing all of it: fault.h), SOAK_KILLS (200)
# kills in a row, in every stage, notify's SMTP session (the real server,
# tests/tools/smtpd.py) as much as the others, then finished without a
# kill: the invariant checker must find every learner once, every document
# once, every file whole, no email beyond its attempts, no more copies
# than one a kill in notify (the documented window), and nobody given up
# who was never mailed.
# SOAK_SEED (1) picks the kill points; the same seed, the same points.
. "$(dirname "$0")/lib.sh"
make_key
learners=${SOAK_LEARNERS:-500}
want=${SOAK_KILLS:-200}
RANDOM=${SOAK_SEED:-1}
start=$SECONDS

python3 "$TOP/bench/gen-results.py" "$learners" soak.xml 7 > /dev/null
start_smtpd

# a clean run on a copy gives the count of operations a run does, and each
# stage's share of them (the trace's programs; run's own as "certpress")
mkdir -p spool/inbox
cp soak.xml spool/inbox/
cp -a spool spool.empty
CERTPRESS_OPS=$SCRATCH/ops CERTPRESS_OPS_TRACE=$SCRATCH/clean.trace run certpress run
total=$(od -An -tu8 ops | tr -d ' ')
check "a clean run of $learners learners finishes ($total operations)" "[ $rc = 0 ] && [ $total -gt 0 ]"
declare -A cost
while read -r c p; do cost[${p#certpress-}]=$c; done < <(cut -d' ' -f3 clean.trace | sort | uniq -c)
echo "# a clean run's operations: $(for s in certpress validate assign render pack notify; do
	printf '%s %s, ' "$s" "${cost[$s]:-0}"; done)"
check "notify's SMTP session is counted (${cost[notify]:-0} operations)" \
	"[ \$(grep -c ' smtp certpress-notify ' clean.trace) -gt 0 ]"
rm -rf spool smtp/*.eml smtp/*.rcpt
mv spool.empty spool

# The stage an attempt starts in: the first the batch has not done (a
# finished batch: the next file's validate).
stage_of() {
	local d=spool/batches/$1
	if [ -z "$1" ] || [ -e "$d/notified.xml" ]; then echo validate
	elif [ -e "$d/packed.xml" ]; then echo notify
	elif [ -e "$d/rendered.xml" ]; then echo pack
	elif [ -e "$d/assigned.xml" ]; then echo render
	elif [ -e "$d/accepted.xml" ]; then echo assign
	else echo validate
	fi
}
declare -A next=([validate]=assign [assign]=render [render]=pack [pack]=notify [notify]=)

# Each attempt is killed at a random operation among its first RANGE.
# RANGE starts at a 24th of its stage's operations in a clean run (so a
# stage takes some 24 kills or fewer: checkpointed stages, render's 64
# documents and notify's outcomes, get on a little each time) and grows
# while attempts make no progress (a stage whose output is written whole,
# pack, must be run to its end) by a quarter of the next stage's
# operations (or the 24th, if more): the attempt that first gets past the
# stage is killed early in the next one, never runs the rest of the batch
# in one go (notify was never killed while RANGE doubled).
# progress within a stage (a stage done is a change of stage): render's
# checkpoints, notify's outcomes and attempts; pack's files are not (a
# killed pack leaves some that the next attempt makes again)
progress() {
	echo "$(cat "spool/batches/$1"/render.journal.* 2> /dev/null | wc -l)" \
		"$(sql "select count(*), sum(attempts) from notifications")"
}
range=4 last= stage=
kills=0 attempts=0 clean=0 idle=0 files=1
declare -A at_stage
while [ $kills -lt "$want" ]; do
	b=
	[ -e spool/registry.sqlite ] && b=$(sql "select id from batches order by id desc limit 1")
	# a batch finished before the kills ran out: the next centre's file
	# (other enrolments, another submission) goes into the inbox
	if [ -n "$b" ] && [ -e "spool/batches/$b/notified.xml" ] && [ ! -e spool/inbox/soak.xml ]; then
		files=$((files + 1))
		sed -e "s/\"BEN0/\"B${files}N0/g" -e "s/id=\"BENCH-/id=\"BENCH$files-/" soak.xml > spool/inbox/soak.xml
		last=
		continue
	fi
	# an attempt that did nothing (nothing resumed the batch) is a defect
	[ $idle -ge 5 ] && break
	was=$stage
	stage=$(stage_of "$b")
	base=$(( ${cost[$stage]:-0} / 24 ))
	[ "$base" -lt 4 ] && base=4
	step=$base nx=${next[$stage]}
	[ -n "$nx" ] && [ $(( ${cost[$nx]:-0} / 4 )) -gt "$base" ] && step=$(( ${cost[$nx]} / 4 ))
	if [ "$stage" != "$was" ]; then
		range=$base last=$([ -n "$b" ] && progress "$b")
	elif [ -n "$b" ]; then
		now=$(progress "$b")
		if [ "$now" != "$last" ]; then range=$base; else range=$((range + step)); fi
		last=$now
	fi
	n=$((1 + (RANDOM * 32768 + RANDOM) % range))
	rm -f ops trace
	# the nightly run mostly, an operator's retry now and then
	if [ -z "$b" ] || [ $((RANDOM % 3)) != 0 ]; then
		cmd=(certpress run)
	else
		cmd=(certpress retry "$b")
	fi
	# the whole job dies at once (a power cut, the OOM killer's cgroup),
	# run and its stages: in a session of its own, not this script's group
	( CERTPRESS_OPS=$SCRATCH/ops CERTPRESS_OPS_TRACE=$SCRATCH/trace CERTPRESS_KILL_AT=$n \
		CERTPRESS_KILL_GROUP=1 setsid -w "${cmd[@]}" > attempt.out 2> attempt.err
	  echo $? > attempt.rc ) 2> /dev/null
	attempts=$((attempts + 1))
	mkdir -p attempts
	{ echo "${cmd[*]} KILL_AT=$n (of $range, $stage) rc=$(cat attempt.rc)"; cat attempt.err; } > "attempts/$attempts"
	if killed=$(grep " killed$" trace 2> /dev/null); then
		kills=$((kills + 1))
		p=$(echo "$killed" | cut -d' ' -f3)
		at_stage[$p]=$((${at_stage[$p]:-0} + 1))
		idle=0
	else
		clean=$((clean + 1))
		[ -s trace ] && idle=0 || idle=$((idle + 1))
	fi
done
echo "# $kills kills in $attempts attempts ($clean not killed), $files results files of $learners learners, $((SECONDS - start)) s"
for p in "${!at_stage[@]}"; do echo "#   ${at_stage[$p]} in $p"; done | sort -k3
check "$want kills in a row ($kills)" "[ $kills = $want ]"

# then finished as an operator would
finish_batches
check "then the batch finishes" "[ -z \"$left\" ]"
check "a batch a file, every accepted learner an award" \
	"[ \$(sql \"select count(*) from batches where status = 'done'\") = $files ] &&
	 [ \$(sql 'select count(*) from awards') = \$(cat spool/batches/*/accepted.xml | grep -c '<learner ') ]"
run "$TOP/tests/tools/invariants" --smtp smtp spool
cp out invariants.out
check "and whole: $(cat out)" "[ $rc = 0 ]"
# the documented window (README, notify): a kill after the server took a
# message and before its outcome was committed sends it again, one copy more
# a kill for the messages of that connection (per-session) at most
in_notify=${at_stage[certpress-notify]:-0}
read -r extra most who <<< "$(python3 - smtp <<'PY'
import collections, os, sys
d = sys.argv[1]
copies, mids = collections.Counter(), collections.defaultdict(set)
for n in os.listdir(d):
    if n.endswith(".eml"):
        rcpt = open(os.path.join(d, n[:-4] + ".rcpt")).read().strip().lower()
        for line in open(os.path.join(d, n), "rb"):
            if line.lower().startswith(b"message-id:"):
                mids[rcpt].add(line.strip())
                break
        copies[rcpt] += 1
extra = {r: copies[r] - len(mids[r]) for r in copies}
most = max(extra.values(), default=0)
print(sum(extra.values()), most, sum(1 for v in extra.values() if v))
PY
)"
echo "# emails: $(ls smtp | grep -c '\.eml$') stored, $extra copies more than once ($who recipients, at most $most each) after $in_notify kills in notify"
check "a recipient has at most one copy more a kill in notify ($most, $in_notify kills)" \
	"[ $most -le $in_notify ]"
# the handover journal (stages/notify/handover.h): a kill leaves one
# message's outcome unknown at most, the one whose content was going out
# or whose acceptance was not journaled yet; the rest of the session is
# settled by the journal (accepted: sent; never handed over: its attempt
# given back)
check "no more copies than one a kill in notify ($extra <= $in_notify)" \
	"[ $extra -le $in_notify ]"
check "notify was killed too ($in_notify)" "[ $in_notify -gt 0 ]"
# kills early in sessions must use up nobody's attempts: a message never
# handed over is given its attempt back
read -r gave_up never <<< "$(python3 - spool/registry.sqlite smtp <<'PY'
import os, sqlite3, sys
stored = set()
for n in os.listdir(sys.argv[2]):
    if n.endswith(".eml"):
        for line in open(os.path.join(sys.argv[2], n), "rb"):
            if line.lower().startswith(b"message-id:"):
                stored.add(line.split(b":", 1)[1].strip().strip(b"<>").decode())
                break
up = [m for (m,) in sqlite3.connect(sys.argv[1]).execute(
    "select message_id from notifications where status = 'failed' and reply like 'gave up after%'")]
print(len(up), sum(1 for m in up if m not in stored))
PY
)"
echo "# notify: $(sql "select count(*) from notifications where status = 'sent'") sent; $gave_up given up after max-attempts attempts cut short by kills, $never of them never mailed"
check "no recipient given up without a copy ever sent ($never of $gave_up given up)" "[ $never = 0 ]"
echo "# soak: $files files of $learners learners, $kills kills, $((SECONDS - start)) s"

done_testing
