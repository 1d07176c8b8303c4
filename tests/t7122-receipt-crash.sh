#!/bin/bash
# certpress receipt killed (SIGKILL) at each counted operation
# (CERTPRESS_KILL_AT: its one transaction's commit), failing there (EIO),
# and run again after it was recorded: the confirmation is recorded once,
# never half and never twice, and the invariant checker finds the spool
# whole. A different confirmation is still kept beside it.
. "$(dirname "$0")/lib.sh"
make_key
inv=$TOP/tests/tools/invariants
results_file small.xml 1 "Small Centre" <<'L'
E0001|Ada|Lovelace|ada@example.org
E0002|Alan|Turing|alan@example.org
L
check_exit 0 "a batch" certpress run small.xml
b=$(sql "select id from batches")
receipt() { certpress receipt "$b" C05678 --date 2026-11-23 --note "box 1" --by "Jo Bloggs"; }
rows() { sql "select count(*) from receipts"; }

rm -f ops
CERTPRESS_OPS=$SCRATCH/ops receipt > /dev/null 2>&1
total=$(od -An -tu8 ops | tr -d ' ')
check "a receipt counts its operations (its commit: $total)" "[ ${total:-0} -ge 1 ]"
sql "delete from receipts"
killed=0 once=0
for n in $(seq 1 "$total"); do
	sql "delete from receipts"
	rm -f ops trace
	( CERTPRESS_OPS=$SCRATCH/ops CERTPRESS_OPS_TRACE=$SCRATCH/trace CERTPRESS_KILL_AT=$n \
		receipt > kill.out 2> kill.err; echo $? > kill.rc ) 2> /dev/null
	[ "$(cat kill.rc)" = 137 ] && grep -q "^$n .* killed$" trace && [ "$(rows)" = 0 ] &&
		killed=$((killed + 1))
	receipt > again.out 2> again.err && [ "$(rows)" = 1 ] && "$inv" spool > inv.out 2>&1 &&
		once=$((once + 1))
done
check "killed at each of its $total operations: nothing recorded ($killed)" "[ $killed = $total ]"
check "...and run again: recorded once, the spool whole ($once)" "[ $once = $total ]"

check_exit 0 "the same receipt again, after it was recorded" receipt
check "...says it is recorded already, and adds nothing" \
	"contains err 'is recorded already' && [ \$(rows) = 1 ]"
check_exit 74 "a receipt failing at its commit (EIO)" \
	env CERTPRESS_FAULT=commit:1 certpress receipt "$b" C05678 --date 2026-11-23 --note "box 2" --by "Jo Bloggs"
check "...records nothing" "[ \$(rows) = 1 ]"
check_exit 0 "another confirmation (another note)" \
	certpress receipt "$b" C05678 --date 2026-11-23 --note "box 2" --by "Jo Bloggs"
check "...is kept beside the first" \
	"[ \"\$(sql 'select note from receipts order by id' | tr '\n' ' ')\" = 'box 1 box 2 ' ] && $inv spool > /dev/null"
done_testing
