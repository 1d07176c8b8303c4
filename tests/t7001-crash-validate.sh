#!/bin/bash
# A crash (SIGKILL) or a failed write, fsync, rename or commit at any point of
# the validate stage leaves a batch that the next attempt finishes: one batch,
# every learner once, no temp file, nothing lost.
. "$(dirname "$0")/lib.sh"

# Run again until the stage succeeds: the inbox file if it is still there,
# else the batch the registry holds for it (what an operator's retry does).
finish() {
	for attempt in 1 2 3; do
		if [ -e spool/inbox/good.xml ]; then
			run certpress-validate spool/inbox/good.xml
		else
			run certpress-validate "$(sql "select id from batches where status = 'open' order by id limit 1")"
		fi
		[ $rc = 0 ] && return 0
	done
	return 1
}

outcome_is_whole() {
	batch=$(sql "select id from batches where status <> 'failed'")
	dir=spool/batches/$batch
	[ "$(sql "select count(*) from batches where status <> 'failed'")" = 1 ] &&
	[ "$(count_learners $dir/accepted.xml)" = 40 ] &&
	[ "$(count_learners $dir/rejected.xml)" = 0 ] &&
	[ "$(count_learners $dir/held.xml)" = 2 ] &&
	contains $dir/accepted.xml '<end count="40"/>' &&
	[ ! -e spool/inbox/good.xml ] &&
	! find spool -name '.*cptmp*' | grep -q . &&
	[ "$(sql "select count(*) from stage_runs where outcome = 'running'")" = 0 ] &&
	[ "$(sql "select outcome from stage_runs where batch_id = '$batch' order by attempt desc limit 1")" = ok ]
}

for how in CRASH FAULT; do
	for op in write:1 write:2 fsync:1 fsync:3 rename:1 rename:2 rename:3 rename:4 commit:1; do
		rm -rf spool
		mkdir -p spool/inbox
		cp "$FIX/results/good.xml" spool/inbox/good.xml
		env "CERTPRESS_$how=$op" certpress-validate spool/inbox/good.xml > out 2> err
		first=$?
		# every plan meets its operation (a plan the stage never reaches
		# would test nothing); the third fsync is the inbox folder's after
		# the entry is removed, best effort: a file a power cut brings back
		# is the same batch's (its SHA-256 is recorded)
		if [ $how = CRASH ]; then
			check "$how at $op: the process died" "[ $first = 137 ]"
		elif [ $op = fsync:3 ]; then
			check "$how at $op: the inbox folder's fsync is best effort (exit 0)" "[ $first = 0 ]"
		else
			check "$how at $op: a sysexits failure code" "[ $first = 73 ] || [ $first = 74 ]"
		fi
		check "$how at $op: no partial output under a final name" \
			"for f in spool/batches/*/accepted.xml; do [ ! -e \"\$f\" ] || contains \"\$f\" '<end count='; done"
		finish
		check "$how at $op: the next attempt finishes the batch" "[ $rc = 0 ]"
		check "$how at $op: one batch, every learner once, nothing left over" outcome_is_whole
	done
done

done_testing
