#!/bin/bash
# certpress print-orders killed (SIGKILL) at every write, fsync, rename and
# registry commit it and its pack stage make (CERTPRESS_OPS and
# CERTPRESS_KILL_AT count them across both processes): each time a reprint
# and a letter wait; the next print-orders finishes what the killed one
# left, under the same print batch id: every order taken, none lost, no
# copy in two print files, every ticket valid; then the invariants checker
# over all of it.
. "$(dirname "$0")/lib.sh"
make_key
sed -i "/^schemas/a centres = $FIX/centres.xml" certpress.conf
through_pack "$FIX/results/good.xml"

# a reprint of a certificate with no open order, and a letter for a learner
# with none: two copies waiting
order_two() {
	local ref enrolment
	ref=$(sql "select d.reference from documents d where d.type = 'certificate'
		   and d.status = 'valid' and d.published is not null and not exists
		   (select 1 from orders o where o.serial = d.serial) order by d.reference limit 1")
	enrolment=$(sql "select a.enrolment from awards a where not exists (select 1 from orders o
			 where o.enrolment = a.enrolment and o.kind = 'letter') order by a.enrolment limit 1")
	certpress order reprint "$ref" --reason lost --by ops1 > /dev/null 2>&1 &&
		certpress order letter "$enrolment" --by ops1 > /dev/null 2>&1
}

n=1
while :; do
	order_two || { check "orders placed before kill point $n" false; break; }
	rm -f ops
	( CERTPRESS_OPS=$SCRATCH/ops CERTPRESS_KILL_AT=$n certpress print-orders > out 2> err
	  echo $? > code ) 2> /dev/null
	code=$(cat code)
	[ $code = 0 ] && break # beyond the last kill point: nothing was killed
	check "print-orders killed at operation $n (exit $code): the next one finishes it" \
		"certpress print-orders > out2 2> err2 &&
		 [ \"\$(sql \"select count(*) from order_prints where done is null\")\" = 0 ] &&
		 [ \"\$(sql \"select count(*) from orders where state = 'to-be-generated'\")\" = 0 ]"
	check "...each copy in one print batch, its ticket valid" \
		"[ -z \"\$(sql \"select reference from print_documents group by reference having count(*) > 1\")\" ] &&
		 xmllint --noout --schema $TOP/config/ticket.xsd spool/print/*-*-*/print-*.ticket.xml 2> /dev/null"
	n=$((n + 1))
	[ $n -le 60 ] || break
done
check "every kill point was tried ($((n - 1)) of them; print-orders then ran whole)" \
	"[ $n -gt 20 ] && [ $n -le 60 ] && [ \$(sql 'select count(*) from order_prints where done is null') = 0 ]"
check "the invariants hold: every print file whole, no temp file, no copy in two print files" \
	"$TOP/tests/tools/invariants --in-flight spool > inv.out || { cat inv.out >&2; false; }"
check "each order is in exactly one print batch's documents" \
	"[ -z \"\$(sql \"select o.reference from orders o left join print_documents p on p.reference = o.reference
	   group by o.reference having count(p.reference) <> 1\")\" ]"
check "the print batches of orders are as many as their print files" \
	"[ \"\$(sql \"select count(*) from print_batches where kind <> 'certificate-run'\")\" = \$(ls -d spool/print/reprints-* spool/print/letters-* | wc -l) ]"
done_testing
