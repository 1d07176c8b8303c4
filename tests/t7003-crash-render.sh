#!/bin/bash
# The render stage killed mid-batch or failing a write: the next attempt
# makes only the documents not yet recorded, and the batch ends whole.
. "$(dirname "$0")/lib.sh"
make_key

inodes() { # "name inode" of every PDF, sorted
	for f in spool/batches/$batch/digital/*.pdf spool/batches/$batch/print/*.pdf; do
		[ -e "$f" ] && echo "$f $(stat -c %i "$f")"
	done | sort
}

whole() {
	dir=spool/batches/$batch
	[ "$(ls $dir/digital | wc -l)" = 108 ] && [ "$(ls $dir/print | wc -l)" = 108 ] &&
	contains $dir/rendered.xml '<end count="40" documents="108" pages="108"/>' &&
	! ls -a $dir $dir/digital $dir/print | grep -qE 'cptmp|journal' &&
	[ "$(sql "select outcome from stage_runs where stage = 'render' order by attempt desc limit 1")" = ok ] &&
	[ "$(sql "select count(*) from stage_runs where stage = 'render' and outcome = 'running'")" = 0 ]
}

for plan in CRASH=rename:60 CRASH=rename:100 CRASH=write:40 FAULT=write:40 FAULT=rename:30 FAULT=fsync:6; do
	rm -rf spool
	validate_and_assign "$FIX/results/good.xml"
	env "CERTPRESS_$plan" certpress-render "$batch" > out 2> err
	first=$?
	check "$plan: the first attempt failed" "[ $first != 0 ]"
	check "$plan: no rendered.xml yet" "[ ! -e spool/batches/$batch/rendered.xml ]"
	journaled=$(cat spool/batches/$batch/render.journal.* 2>/dev/null | grep -c '^[0-9]')
	inodes > before
	# the documents a journal records, with their files as they were
	cat spool/batches/$batch/render.journal.* 2>/dev/null | awk '{ print $2 }' | sort > done
	run certpress-render "$batch"
	check "$plan: the next attempt finishes" "[ $rc = 0 ]"
	check "$plan: the batch is whole" whole
	inodes > after
	kept=0
	for r in $(cat done); do
		grep -q "/digital/$r.pdf " before && [ "$(grep "/digital/$r.pdf " before)" = "$(grep "/digital/$r.pdf " after)" ] && kept=$((kept + 1))
	done
	check "$plan: the $journaled documents already recorded were not made again" "[ $kept = $journaled ]"
done

done_testing
