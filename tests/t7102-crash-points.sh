#!/bin/bash
# SIGKILL at every Nth counted operation (write, fsync, rename, registry
# commit, SMTP command: CERTPRESS_KILL_AT, pipeline/util/fault.h) of pack,
# notify (a real SMTP server), `certpress run`, `retry`, reprint, order
# letter, revoke
# and sweep (receipt's one commit is killed in t7122);
# after each, `certpress run`/`retry` (or the command again) finishes, and
# the invariant checker finds nothing lost, nothing twice.
. "$(dirname "$0")/lib.sh"
make_key
printf '\n[render]\njobs = 1\n' >> certpress.conf
inv=$TOP/tests/tools/invariants
results_file small.xml 1 "Small Centre" <<'L'
E0001|Ada|Lovelace|ada@example.org
E0002|Alan|Turing|alan@example.org
E0003|Grace|Hopper|
L
start_smtpd
points=0
# the stride between kill points: KILL_STRIDE=1 tries every operation
stride=${KILL_STRIDE:-0}

# ops CMD...: the operations CMD does when nothing kills it (the clean run
# the kill points are chosen from), in $ops
ops() {
	rm -f ops
	CERTPRESS_OPS=$SCRATCH/ops "$@" > /dev/null 2>&1
	ops=$(od -An -tu8 ops | tr -d ' ')
}

# Spools in the states each scenario starts from, made once and copied.
fresh() { # NAME: the spool and SMTP store saved as NAME
	rm -rf spool
	cp -a "state-$1" spool
	rm -f smtp/*.eml smtp/*.rcpt
	cp -a "state-$1.smtp"/. smtp/
}
save() {
	rm -rf "state-$1" "state-$1.smtp"
	cp -a spool "state-$1"
	mkdir "state-$1.smtp"
	cp -a smtp/*.eml smtp/*.rcpt "state-$1.smtp"/ 2> /dev/null
}
mkdir -p spool/inbox
save empty
cp small.xml spool/inbox/
save inbox
run certpress-validate spool/inbox/small.xml
b=$(last_batch)
rm -f spool/inbox/small.xml
save validated
run certpress-assign "$b"
run certpress-render "$b"
save rendered
run certpress-pack "$b"
save packed
# run killed in validate once its batch has its copy and the inbox entry
# is gone (the 8th operation: held.xml's first write)
fresh inbox
( CERTPRESS_OPS=$SCRATCH/ops CERTPRESS_KILL_AT=8 certpress run > /dev/null 2>&1; true ) 2> /dev/null
rm -f ops
check "run killed in validate after the batch's copy: the inbox entry is gone" \
	"[ ! -e spool/inbox/small.xml ] && [ -e spool/batches/*/results.xml ] && [ ! -e spool/batches/*/accepted.xml ]"
save validate-killed
fresh inbox
run certpress run
check "the scenarios' batch is made (run exits 0)" "[ $rc = 0 ]"
run "$inv" --once --smtp smtp spool
check "...and whole" "[ $rc = 0 ]"
ref=$(doc_ref Lovelace certificate)
save done
# a run killed itself after its last stage's output was renamed (before
# it recorded the batch done): the next run records it done
sql "update batches set status = 'open'"
run certpress run
check "a batch with every output, not recorded done: the next run records it" \
	"[ $rc = 0 ] && [ \"\$(sql 'select status from batches')\" = done ]"
fresh done

# by_run: what the nightly job does after a crash: `certpress run` alone
# (it resumes every stopped batch nobody holds) finishes it
by_run() {
	run certpress run
	[ -z "$(unfinished_batches)" ]
}

# kill_points NAME STATE STRIDE CMD...: for N = 1, 1 + STRIDE, ... up to
# the clean run's count, CMD from STATE killed before its Nth operation,
# then AFTER (a shell command; finish_batches by default) and the checker
kill_points() {
	local name=$1 state=$2 step=$3 n total killed=0 whole=0 tried=0 reached=0 failed=
	shift 3
	fresh "$state"
	ops "$@"
	total=$ops
	[ "$stride" -gt 0 ] && step=$stride
	check "$name: a clean run counts its operations (>0)" "[ ${total:-0} -gt 0 ]"
	for n in $(seq 1 "$step" "$total"); do
		fresh "$state"
		rm -f ops trace
		( CERTPRESS_OPS=$SCRATCH/ops CERTPRESS_OPS_TRACE=$SCRATCH/trace CERTPRESS_KILL_AT=$n \
			"$@" > kill.out 2> kill.err; echo $? > kill.rc ) 2> /dev/null
		tried=$((tried + 1))
		# the point was reached: one process killed itself there
		if grep -q "^$n .* killed$" trace; then
			reached=$((reached + 1))
		else
			failed="$failed $n(not-reached)"
			continue
		fi
		if ! (eval "${after:-finish_batches}") > /dev/null 2>&1; then
			failed="$failed $n(not-finished:$(grep "^$n " trace | cut -d' ' -f2,3))"
			cp -a spool "failed-$name-$n"
			continue
		fi
		killed=$((killed + 1))
		if "$inv" --smtp smtp spool > inv.out 2>&1; then
			whole=$((whole + 1))
		else
			failed="$failed $n(broken:$(grep "^$n " trace | cut -d' ' -f2,3))"
			cp inv.out "failed-$name-$n.inv"
			cp -a spool "failed-$name-$n"
		fi
	done
	points=$((points + tried))
	echo "# $name: $tried kill points of $total operations, every $step"
	check "$name: every kill point was reached ($reached of $tried)" "[ $reached = $tried ]"
	check "$name: after each kill the batch is finished ($killed of $reached)" "[ $killed = $reached ]"
	check "$name: and whole ($whole of $killed; failed:${failed:- none})" "[ $whole = $tried ]"
}

# KILL_ONLY=NAME runs one scenario (while working on it)
only() { [ -z "${KILL_ONLY:-}" ] || [ "$KILL_ONLY" = "$1" ]; }
only run && after=by_run kill_points "certpress run" inbox 6 certpress run
# the next night's run killed again (resuming that batch): the one after
# must still resume it
only run2 && after=by_run kill_points "certpress run, killed again" validate-killed 6 certpress run
# killed twice before the batch had its copy (run, then retry), then a
# third time as the next run begins its validate again: the file
# is still in the inbox, and the next run must resume that batch, not make
# a second one for the same file beside a stuck first
if only twice; then
	fresh inbox
	( CERTPRESS_KILL_AT=4 certpress run > /dev/null 2>&1; true ) 2> /dev/null
	b1=$(sql "select id from batches")
	( CERTPRESS_KILL_AT=4 certpress retry "$b1" > /dev/null 2>&1; true ) 2> /dev/null
	check "killed twice before its copy: the file is still in the inbox" \
		"[ -e spool/inbox/small.xml ] && [ ! -e spool/batches/$b1/results.xml ]"
	# and the next run killed as it validates the inbox file again: the
	# same run then resumes the stopped batch from that file too
	# (its first operation in validate, found by a run on a copy)
	save twice
	rm -f ops trace
	CERTPRESS_OPS=$SCRATCH/ops CERTPRESS_OPS_TRACE=$SCRATCH/trace certpress run > /dev/null 2>&1
	n=$(awk '$3 == "certpress-validate" { print $1; exit }' trace)
	fresh twice
	rm -f ops trace
	( CERTPRESS_OPS=$SCRATCH/ops CERTPRESS_OPS_TRACE=$SCRATCH/trace CERTPRESS_KILL_AT=${n:-0} \
		certpress run > /dev/null 2> run3.err; true ) 2> /dev/null
	check "...and a run killed as its validate starts (precondition)" \
		"grep -q '^${n:-x} [a-z]* certpress-validate .* killed$' trace"
	rm -f ops trace
	check "...does not refuse the batch it then resumes (its file is in the inbox)" \
		"! grep -q 'results file is missing' run3.err"
	run certpress run
	check "...the next run finishes that batch, and makes no other" \
		"[ $rc = 0 ] && [ \"\$(sql 'select id, status from batches')\" = '$b1|done' ]"
	run "$inv" --smtp smtp spool
	check "...and it is whole" "[ $rc = 0 ]"
	run certpress status --stuck
	check "...and nothing is left stuck" "[ $rc = 0 ]"
fi
only retry && after=finish_batches kill_points "certpress retry (from assign)" validated 9 certpress retry "$b"
only pack && after="certpress retry $b" kill_points "pack" rendered 4 certpress-pack "$b"
only notify && after="certpress retry $b" kill_points "notify (SMTP)" packed 1 certpress-notify "$b"
# a reprint killed is ordered again; one that was committed says so (65)
only reprint && after="certpress reprint $ref --reason typo; certpress reprint $ref --reason typo; [ \$? = 65 ]" \
	kill_points "reprint" done 2 certpress reprint "$ref" --reason typo
# a proof letter likewise: ordered again after a kill, refused (65) once
# its order is committed and open; its email sent once
only letter && after="certpress order letter E0001 --by ops; certpress order letter E0001 --by ops; [ \$? = 65 ]" \
	kill_points "order letter" done 2 certpress order letter E0001 --by ops
only revoke && after="certpress revoke $ref --reason fraud" kill_points "revoke" done 1 certpress revoke "$ref" --reason fraud
# sweep, two days on: the export expired, claimed, its zip deleted, swept
later=$(( $(date +%s) + 2 * 86400 ))
only sweep && after="CERTPRESS_NOW=$later certpress sweep" \
	kill_points "sweep" done 1 env CERTPRESS_NOW=$later certpress sweep
echo "# $points kill points in all"
check "at least 60 kill points ($points)" "[ $points -ge 60 ]"

done_testing
