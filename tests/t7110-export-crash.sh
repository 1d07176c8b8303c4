#!/bin/bash
# certpress export killed (SIGKILL) at every counted operation (registry
# commits, the zip's fsync and rename: CERTPRESS_KILL_AT), making a new
# export and making an expired one again: never a half zip under its
# name, the download left pending (or not begun, or finished), and the same
# export run again finishes it; the invariant checker finds it whole. The
# checker itself is shown to catch a broken download.
. "$(dirname "$0")/lib.sh"
make_key
inv=$TOP/tests/tools/invariants
t0=$(date -u -d 2026-11-23T10:00:00Z +%s)
export CERTPRESS_NOW=$t0
results_file small.xml 1 "Small Centre" <<'L'
E0001|Ada|Lovelace|ada@example.org
E0002|Alan|Turing|alan@example.org
E0003|Grace|Hopper|
L
check_exit 0 "a batch" certpress run small.xml
b=$(sql "select id from batches")
rm -rf state-new && cp -a spool state-new
export_it() { certpress export --centre C05678 --batch "$b" --name crash --by Tester; }
check_exit 0 "an export made" export_it
check_exit 0 "...and expired by the sweep" env CERTPRESS_NOW=$((t0 + 25 * 3600)) certpress sweep
rm -rf state-expired && cp -a spool state-expired
zip=spool/downloads/C05678/crash.zip

# kill_points NAME STATE: the export from STATE killed before each of its
# operations, then the state checked, then the export again
kill_points() {
	local name=$1 state=$2 n total reached=0 whole=0 half=0 pending=0 failed=
	rm -rf spool && cp -a "state-$state" spool
	rm -f ops
	CERTPRESS_OPS=$SCRATCH/ops export_it > /dev/null 2>&1
	total=$(od -An -tu8 ops | tr -d ' ')
	check "$name: a clean export counts its operations (>= 4)" "[ ${total:-0} -ge 4 ]"
	for n in $(seq 1 "$total"); do
		rm -rf spool && cp -a "state-$state" spool
		rm -f ops trace
		( CERTPRESS_OPS=$SCRATCH/ops CERTPRESS_OPS_TRACE=$SCRATCH/trace CERTPRESS_KILL_AT=$n \
			export_it > kill.out 2> kill.err; echo $? > kill.rc ) 2> /dev/null
		if grep -q "^$n .* killed$" trace; then
			reached=$((reached + 1))
		else
			failed="$failed $n(not-reached)"
			continue
		fi
		st=$(sql "select status from downloads where file = 'crash.zip'")
		# a zip under its name is whole, whatever the row says
		if [ -e "$zip" ] && ! unzip -tqq "$zip" > /dev/null 2>&1; then
			half=$((half + 1))
			failed="$failed $n(half-zip)"
		fi
		[ "$st" = pending ] && pending=$((pending + 1))
		run certpress downloads --json
		if [ "$st" = pending ] && ! jq -e 'map(select(.name == "crash.zip" and .status == "pending")) | length == 1' out > /dev/null; then
			failed="$failed $n(not-shown-pending)"
		fi
		if ! export_it > again.out 2> again.err; then
			failed="$failed $n(not-finished:$(grep "^$n " trace | cut -d' ' -f2))"
			cp -a spool "failed-$name-$n"
			continue
		fi
		if [ "$(sql "select status from downloads where file = 'crash.zip'")" = finished ] &&
			"$inv" spool > inv.out 2>&1; then
			whole=$((whole + 1))
		else
			failed="$failed $n(broken:$(grep "^$n " trace | cut -d' ' -f2))"
			cp inv.out "failed-$name-$n.inv" 2> /dev/null
			cp -a spool "failed-$name-$n"
		fi
	done
	echo "# $name: $total kill points, $pending left it pending"
	check "$name: every kill point was reached ($reached of $total)" "[ $reached = $total ]"
	check "$name: never a half zip under its name ($half)" "[ $half = 0 ]"
	check "$name: some kill points leave it pending ($pending)" "[ $pending -gt 0 ]"
	check "$name: the export again finishes it, whole ($whole of $total; failed:${failed:- none})" \
		"[ $whole = $total ]"
}
kill_points "new export" new
kill_points "expired export made again" expired

# the checker catches a download whose zip is not what the row says
rm -rf spool && cp -a state-new spool
export_it > /dev/null 2>&1
run "$inv" spool
check "the checker passes a whole download" "[ $rc = 0 ] && grep -q '1 downloads' out"
sql "update downloads set bytes = bytes + 1"
run "$inv" spool
check "...and names one whose size differs" "[ $rc = 1 ] && grep -q 'crash.zip: zip differs from the SHA-256 or bytes' out"
sql "update downloads set bytes = bytes - 1"
rm "$zip"
run "$inv" spool
check "...one finished without its zip" "[ $rc = 1 ] && grep -q 'download finished in the registry but its zip is missing' out"
sql "update downloads set status = 'pending'"
run "$inv" spool
check "...one left pending" "[ $rc = 1 ] && grep -q 'download still pending' out"

done_testing
