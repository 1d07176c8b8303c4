#!/bin/bash
# Killed at each registry commit (CERTPRESS_CRASH=commit:N): pack's record of
# its print batch and certpress printed each leave a state the next attempt
# finishes, the print batch recorded once, nothing confirmed half.
. "$(dirname "$0")/lib.sh"
make_key
sed -i "/^schemas/a centres = $FIX/centres.xml" certpress.conf
through_render "$FIX/results/good.xml"
t=spool/print/$batch/print-$batch.ticket.xml
n=1
while :; do
	rm -f spool/batches/$batch/packed.xml
	( CERTPRESS_CRASH=commit:$n certpress-pack "$batch" > out 2> err; echo $? > code ) 2> /dev/null
	code=$(cat code)
	[ $code = 0 ] && break
	check "pack killed at commit $n (exit $code): retry finishes it" \
		"[ $code = 137 ] && certpress retry $batch > /dev/null 2>&1 && [ -e spool/batches/$batch/packed.xml ]"
	check "...the print batch recorded once, with every document of the ticket" \
		"[ \"\$(sql \"select count(*) from print_batches where id = '$batch'\")\" = 1 ] &&
		 [ \"\$(sql \"select count(*) from print_documents where print_batch_id = '$batch'\")\" = \$(grep -c '<document ' $t) ] &&
		 [ \"\$(sql \"select count(*) from consignments where print_batch_id = '$batch'\")\" = 1 ]"
	n=$((n + 1))
	[ $n -le 20 ] || break
done
check "pack's commits were each tried ($((n - 1)) of them)" "[ $n -gt 3 ]"
python3 "$TOP/tests/tools/confirm.py" "$t" S --spoil "$(doc_ref Llywelyn certificate)" > conf.xml
sql "select * from print_documents; select * from consignments; select * from print_batches; select * from print_batch_states" > before
( CERTPRESS_CRASH=commit:1 certpress printed conf.xml > out 2> err; echo $? > code ) 2> /dev/null
code=$(cat code)
check "printed killed at its commit (exit $code)" "[ $code = 137 ]"
check "...nothing of the confirmation recorded" \
	"sql 'select * from print_documents; select * from consignments; select * from print_batches; select * from print_batch_states' > after && cmp -s before after"
check_exit 74 "printed failing at its commit (EIO)" env CERTPRESS_FAULT=commit:1 certpress printed conf.xml
check "...nothing recorded either" \
	"sql 'select * from print_documents; select * from consignments; select * from print_batches; select * from print_batch_states' > after && cmp -s before after"
check_exit 0 "printed again finishes" certpress printed conf.xml
check "...all of it, once" \
	"[ \"\$(sql \"select count(*) from print_documents where outcome is not null\")\" = \$(grep -c '<document ' $t) ] &&
	 [ \"\$(sql \"select state from print_batches where id = '$batch'\")\" = dispatched ]"
done_testing
