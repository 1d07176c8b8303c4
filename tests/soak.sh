#!/bin/bash
# The randomised soak (make soak; not in make check: minutes): one batch of
# SOAK_LEARNERS (500) learners taken through `certpress run` and `retry`
# with SIGKILL at a random operation of each attempt (CERTPRESS_KILL_AT over
# the whole process tree, killing all of it: fault.h), SOAK_KILLS (200)
# kills in a row, then
# finished without a kill: the invariant checker must find every learner
# once, every document once, every file whole, no email beyond its
# attempts. SOAK_SEED (1) picks the kill points; the same seed, the same
# points.
. "$(dirname "$0")/lib.sh"
make_key
learners=${SOAK_LEARNERS:-500}
want=${SOAK_KILLS:-200}
RANDOM=${SOAK_SEED:-1}
start=$SECONDS

python3 "$TOP/bench/gen-results.py" "$learners" soak.xml 7 > /dev/null
start_smtpd

# a clean run on a copy gives the count of operations a run does
mkdir -p spool/inbox
cp soak.xml spool/inbox/
cp -a spool spool.empty
CERTPRESS_OPS=$SCRATCH/ops run certpress run
total=$(od -An -tu8 ops | tr -d ' ')
check "a clean run of $learners learners finishes ($total operations)" "[ $rc = 0 ] && [ $total -gt 0 ]"
rm -rf spool smtp/*.eml smtp/*.rcpt
mv spool.empty spool

# each attempt is killed at a random operation among its first RANGE;
# RANGE starts at a 1500th of a clean run and doubles while attempts make no
# progress (a stage's whole output, render's checkpoints of 64 documents,
# notify's outcomes), so the kills fall in every stage and the batch still
# moves on
base=$((total / 1500))
[ "$base" -lt 4 ] && base=4
range=$base last=
progress() {
	local d=spool/batches/$1
	echo "$(find "$d" spool/exports spool/print -type f ! -name ".*.cptmp.*" 2> /dev/null | wc -l)" \
		"$(cat "$d"/render.journal.* 2> /dev/null | wc -l)" \
		"$(sql "select count(*), sum(attempts) from notifications")"
}
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
	if [ -n "$b" ]; then
		now=$(progress "$b")
		if [ "$now" = "$last" ]; then range=$((range * 2)); else range=$base; fi
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
	{ echo "${cmd[*]} KILL_AT=$n rc=$(cat attempt.rc)"; cat attempt.err; } > "attempts/$attempts"
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
copies=$(python3 - smtp <<'PY'
import collections, os, sys
c = collections.Counter()
for n in os.listdir(sys.argv[1]):
    if n.endswith(".eml"):
        for line in open(os.path.join(sys.argv[1], n), "rb"):
            if line.lower().startswith(b"message-id:"):
                c[line.strip()] += 1
                break
print(sum(1 for v in c.values() if v > 1), sum(c.values()) - len(c))
PY
)
echo "# emails: ${copies% *} recipients got a second copy (the documented window), ${copies#* } copies in all"
echo "# soak: $files files of $learners learners, $kills kills, $((SECONDS - start)) s"

done_testing
