#!/bin/bash
# The render stage killed mid-batch or failing a write: the next attempt
# makes only the documents not yet recorded, and the batch ends whole.
#
# Every plan stops the first attempt after at least one checkpoint (a worker
# makes its documents durable and journals them every 64 documents), so the
# comparison "kept = journaled" has something to compare: 50 learners of 3
# documents each, `jobs` pinned (the fault counts are per process).
. "$(dirname "$0")/lib.sh"
make_key

learners=50 documents=150
for i in $(seq -w 1 $learners); do
	echo "CRR000$i|Ann|Lee$i|"
done | results_file crash.xml CRASH-1 "Crash Centre"

inodes() { # "name inode" of every PDF, sorted
	for f in spool/batches/$batch/digital/*.pdf spool/batches/$batch/print/*.pdf; do
		[ -e "$f" ] && echo "$f $(stat -c %i "$f")"
	done | sort
}

whole() {
	dir=spool/batches/$batch
	[ "$(ls $dir/digital | wc -l)" = $documents ] && [ "$(ls $dir/print | wc -l)" = $documents ] &&
	contains $dir/rendered.xml "<end count=\"$learners\" documents=\"$documents\" pages=\"$documents\"/>" &&
	! ls -a $dir $dir/digital $dir/print | grep -qE 'cptmp|journal' &&
	[ "$(sql "select outcome from stage_runs where stage = 'render' order by attempt desc limit 1")" = ok ] &&
	[ "$(sql "select count(*) from stage_runs where stage = 'render' and outcome = 'running'")" = 0 ]
}

# JOBS:PLAN. With one job the stage's own process meets the fault; with two,
# each worker counts its own operations and meets it (the parent survives).
# rename:200 is inside the second checkpoint's renames (some renamed, none
# journaled yet), rename:280 inside the third, write:400 while drawing the
# second 64, write:250 just before the first checkpoint (the worker commits
# what it has when it fails), fsync:12 the second checkpoint's syncfs; with
# two workers (75 documents each), 150 and 140 are in their last checkpoint.
for spec in 1:CRASH=rename:200 1:CRASH=rename:280 1:CRASH=write:400 1:FAULT=write:250 \
	    1:FAULT=rename:150 1:FAULT=fsync:12 2:CRASH=rename:150 2:FAULT=rename:140; do
	jobs=${spec%%:*} plan=${spec#*:}
	rm -rf spool
	write_config
	printf '\n[render]\njobs = %s\n' "$jobs" >> certpress.conf
	validate_and_assign crash.xml
	# (the shell's own "Killed" left out)
	( env "CERTPRESS_$plan" certpress-render "$batch" > out 2> err; echo $? > first.rc ) 2> /dev/null
	first=$(cat first.rc)
	plan="jobs $jobs, $plan"
	check "$plan: the first attempt failed" "[ $first != 0 ]"
	check "$plan: no rendered.xml yet" "[ ! -e spool/batches/$batch/rendered.xml ]"
	journaled=$(cat spool/batches/$batch/render.journal.* 2>/dev/null | grep -c '^[0-9]')
	check "$plan: it stopped after a checkpoint, before the end ($journaled of $documents journaled)" \
		"[ $journaled -gt 0 ] && [ $journaled -lt $documents ]"
	inodes > before
	# the documents a journal records, with their files as they were
	cat spool/batches/$batch/render.journal.* 2>/dev/null | awk '{ print $2 }' | sort > done
	run certpress-render "$batch"
	check "$plan: the next attempt finishes" "[ $rc = 0 ]"
	check "$plan: the batch is whole" whole
	inodes > after
	kept=0
	for r in $(cat done); do
		d=$(grep "/digital/$r.pdf " before) p=$(grep "/print/$r.pdf " before)
		[ -n "$d" ] && [ -n "$p" ] && grep -qxF "$d" after && grep -qxF "$p" after &&
			kept=$((kept + 1))
	done
	check "$plan: the $journaled documents already recorded were not made again ($kept kept)" \
		"[ $kept = $journaled ]"
done

done_testing
