#!/bin/bash
# The assign stage killed (SIGKILL) in the middle of its transaction, or
# between the commit and the rename of assigned.xml, or failing a write:
# the next attempt finishes with no reference lost or duplicated.
. "$(dirname "$0")/lib.sh"
make_key

whole() {
	dir=spool/batches/$batch
	[ "$(sql 'select count(*) from documents')" = 108 ] &&
	[ "$(sql 'select count(*) from serials')" = 108 ] &&
	[ "$(grep -c '<document ' $dir/assigned.xml)" = 108 ] &&
	assigned_agrees $batch &&
	! find spool -name '.*cptmp*' | grep -q .
}

for plan in CRASH=commit:1 CRASH=rename:1 CRASH=write:1 CRASH=fsync:1 FAULT=commit:1 FAULT=rename:1 FAULT=write:2 FAULT=fsync:1; do
	rm -rf spool
	run certpress-validate "$FIX/results/good.xml"
	batch=$(last_batch)
	env "CERTPRESS_$plan" certpress-assign "$batch" > out 2> err
	first=$?
	check "$plan: the first attempt did not succeed" "[ $first != 0 ]"
	check "$plan: no assigned.xml under its final name, or a whole one" \
		"[ ! -e spool/batches/$batch/assigned.xml ] || contains spool/batches/$batch/assigned.xml '<end count='"
	case $plan in
	*commit*) check "$plan: nothing was committed" "[ \$(sql 'select count(*) from documents') = 0 ]" ;;
	*rename*) check "$plan: the registry holds the references already" "[ \$(sql 'select count(*) from documents') = 108 ]" ;;
	esac
	run certpress-assign "$batch"
	check "$plan: the next attempt finishes" "[ $rc = 0 ]"
	check "$plan: every document once, file and registry agree" whole
	check "$plan: the stage is recorded ok, no attempt left running" \
		"[ \$(sql \"select count(*) from stage_runs where stage = 'assign' and outcome = 'running'\") = 0 ] &&
		 [ \"\$(sql \"select outcome from stage_runs where stage = 'assign' order by attempt desc limit 1\")\" = ok ]"
done

done_testing
