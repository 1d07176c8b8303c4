#!/bin/bash
# certpress print-orders: a day's reprints and proof of qualification
# letters each in a print file of their own (a print batch of type reprints
# or letters), made as a run's print file is: PDF/X-1a parts, a job ticket
# (config/ticket.xsd) with one consignment per order's delivery address and
# method, the print batch recorded; certpress printed moves its orders on;
# spoiled copies come back in the next print file of their kind with the
# same references; nothing waiting is no print file and exit 0; and a copy
# is never in two print files, whichever takes it first (a nightly run too).
. "$(dirname "$0")/lib.sh"
make_key
sed -i "/^schemas/a centres = $FIX/centres.xml" certpress.conf
confirm() { # TICKET PREFIX [OPTIONS]: the confirmation on stdout
	python3 "$TOP/tests/tools/confirm.py" "$@"
}
ticket_of() {
	echo "spool/print/$1/print-$1.ticket.xml"
}
pdf_of() {
	echo "spool/print/$1/print-$1.pdf"
}
# each reference in every ticket, one a line, sorted
in_tickets() {
	cat spool/print/*/print-*.ticket.xml | sed -n 's/.*<document reference="\([^"]*\)".*/\1/p' | sort
}
# no reference in two print files, but for a spoiled sheet printed again
never_twice() {
	[ -z "$(sql "select reference from print_documents group by reference
		     having count(*) > 1 + sum(outcome = 'spoiled')")" ] &&
	[ -z "$(in_tickets | uniq -d | while read -r r; do
		n=$(sql "select count(*) - sum(outcome = 'spoiled') from print_documents where reference = '$r'")
		[ "$n" = 1 ] || echo "$r"; done)" ]
}

through_pack "$FIX/results/good.xml"
b1=$batch
check_exit 0 "print-orders with nothing ordered" certpress print-orders
check "...says so for each kind and makes no print file" \
	"contains out 'reprints: nothing to print' && contains out 'letters: nothing to print' &&
	 [ \"\$(ls spool/print)\" = $b1 ] && [ \"\$(sql 'select count(*) from print_batches')\" = 1 ] &&
	 [ \"\$(sql 'select count(*) from order_prints')\" = 0 ]"
check_exit 64 "print-orders --type that is no kind" certpress print-orders --type certificates
check_exit 64 "print-orders with an operand" certpress print-orders reprints

# Two reprints (one by courier to the order's address, one to the centre's
# by its method) and two letters (first class to the centre, one to an address).
cert=$(doc_ref Llywelyn certificate)
trans=$(doc_ref Brontë transcript)
run certpress order reprint "$cert" --reason "lost in the post" --by ops1 --delivery courier \
	--address "Flat 2, 7 Quay Street, Cardiff CF10 1EA"
r1=$(cat out)
run certpress order reprint "$trans" --reason damaged --by ops1
r2=$(cat out)
e1=$(sql "select enrolment from awards where last_name = 'Llywelyn' limit 1")
e2=$(sql "select enrolment from awards where last_name = 'Brontë' limit 1")
run certpress order letter "$e1" --by ops1 --delivery first-class-signed
l1=$(cat out)
run certpress order letter "$e2" --by ops1 --address "3 Hill Road, York YO1 7HH"
l2=$(cat out)
check "four orders, to be generated" \
	"[ \"\$(sql \"select count(*) from orders where state = 'to-be-generated'\")\" = 4 ]"

check_exit 0 "print-orders" certpress print-orders --by ops2
pr1=$(sed -n 's/^reprints: print batch //p' out)
pl1=$(sed -n 's/^letters: print batch //p' out)
check "one print batch per kind, named by kind and day" \
	"[ '$pr1' = reprints-20261123-1 ] && [ '$pl1' = letters-20261123-1 ]"
tr=$(ticket_of $pr1)
tl=$(ticket_of $pl1)
check "each ticket is valid by config/ticket.xsd" \
	"xmllint --noout --schema $TOP/config/ticket.xsd $tr $tl"
check "...names its print batch, and no batch" \
	"grep -q '<ticket xmlns=\"urn:certpress:ticket:1\" print-batch=\"$pr1\"' $tr &&
	 grep -q '<ticket xmlns=\"urn:certpress:ticket:1\" print-batch=\"$pl1\"' $tl"
check "the reprints' print file holds the two replacements, the letters' the two letters" \
	"[ \"\$(confirm $tr X --list | cut -d' ' -f2- | tr ' ' '\n' | sort | xargs)\" = \"\$(printf '%s\n' $r1 $r2 | sort | xargs)\" ] &&
	 [ \"\$(confirm $tl X --list | cut -d' ' -f2- | tr ' ' '\n' | sort | xargs)\" = \"\$(printf '%s\n' $l1 $l2 | sort | xargs)\" ]"
check "the courier reprint is a consignment of its own, to the order's address" \
	"grep -A3 'delivery=\"courier\"' $tr | grep -q '<line>Flat 2, 7 Quay Street, Cardiff CF10 1EA</line>' &&
	 grep -A4 'delivery=\"courier\"' $tr | grep -q \"reference=\\\"$r1\\\" type=\\\"certificate\\\" stock=\\\"certificate\\\"\""
check "the other goes to the centre's address from the register, by its method, marked a replacement" \
	"grep -A6 'centre=\"C01234\" delivery=\"second-class-signed\"' $tr | grep -q '<line>12 Mill Lane</line>' &&
	 grep -q \"reference=\\\"$r2\\\" type=\\\"transcript\\\" stock=\\\"plain\\\" part=\\\"1\\\" first-page=\\\"[0-9]*\\\" last-page=\\\"[0-9]*\\\" replaces=\\\"$trans\\\"\" $tr"
check "the letters: first class to the centre, second class to the order's address" \
	"grep -A6 'delivery=\"first-class-signed\"' $tl | grep -q '<line>12 Mill Lane</line>' &&
	 grep -A3 'delivery=\"second-class-signed\"' $tl | grep -q '<line>3 Hill Road, York YO1 7HH</line>' &&
	 [ \$(grep -c '<consignment ' $tl) = 2 ] && [ \$(grep -c '<consignment ' $tr) = 2 ]"
check "each print file passes qpdf --check and is PDF/X-1a in structure" \
	"qpdf --check $(pdf_of $pr1) > /dev/null && qpdf --check $(pdf_of $pl1) > /dev/null &&
	 python3 $TOP/tests/tools/pdfx.py $(pdf_of $pr1) && python3 $TOP/tests/tools/pdfx.py $(pdf_of $pl1)"
check "its pages carry the documents the ticket says, in its order" \
	"for t in $tr $tl; do p=\${t%.ticket.xml}.pdf; sed -n 's/.*reference=\"\\([^\"]*\\)\".*first-page=\"\\([0-9]*\\)\".*/\\1 \\2/p' \$t |
	 while read -r r f; do pdftotext -f \$f -l \$f \$p - | grep -q \$r || exit 1; done || exit 1; done"
check "the print file and ticket are 0640" \
	"[ \$(stat -c %a $(pdf_of $pr1)) = 640 ] && [ \$(stat -c %a $tr) = 640 ]"
check "both recorded as print batches of their type, by who made them, sent to the printer" \
	"[ \"\$(sql \"select kind||' '||started_by||' '||records||' '||state from print_batches where id = '$pr1'\")\" = 'reprints ops2 2 sent-to-printer' ] &&
	 [ \"\$(sql \"select kind||' '||started_by||' '||records||' '||state from print_batches where id = '$pl1'\")\" = 'letters ops2 2 sent-to-printer' ]"
check "the orders are to be printed, each in its print batch" \
	"[ \"\$(sql \"select group_concat(reference||'='||print_batch_id, ' ') from (select * from orders where state = 'to-be-printed' order by id)\")\" = \"$r1=$pr1 $r2=$pr1 $l1=$pl1 $l2=$pl1\" ]"
check "the copies are issued now" \
	"certpress verify $r1 > /dev/null && certpress verify $l2 > /dev/null"
check_exit 0 "print-batches" certpress print-batches
check "lists both with their types" \
	"grep -E \"^$pr1 +sent-to-printer .* ops2 +2 .* reprints\$\" out && grep -E \"^$pl1 +sent-to-printer .* ops2 +2 .* letters\$\" out"

# one print-orders of a kind at a time
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(30)' spool/print/.orders-reprints.lock > held &
holder=$!
trap 'kill $holder 2> /dev/null' EXIT
for _ in $(seq 100); do [ -s held ] && break; sleep 0.1; done
check_exit 75 "print-orders while another of the kind is at work" certpress print-orders --type reprints
check "...says so" "contains err 'another print file of reprints is being made'"
kill $holder 2> /dev/null
wait $holder 2> /dev/null
trap - EXIT
check_exit 0 "print-orders again at once" certpress print-orders
check "...nothing to print: the copies are taken" \
	"contains out 'reprints: nothing to print' && contains out 'letters: nothing to print' &&
	 [ \$(sql 'select count(*) from print_batches') = 3 ]"
python3 "$TOP/bench/gen-results.py" 1 next.xml 5 > /dev/null
through_pack next.xml
b2=$batch
check "the next nightly run's print file takes none of them" \
	"! grep -q -e $r1 -e $r2 -e $l1 -e $l2 $(ticket_of $b2) && never_twice"

# The printing house spoils both reprints and prints the letters.
confirm "$tr" SR1 --spoil "$r1" --spoil "$r2" > conf-r1.xml
confirm "$tl" SL1 > conf-l1.xml
check "the confirmations are valid by config/confirmation.xsd" \
	"xmllint --noout --schema $TOP/config/confirmation.xsd conf-r1.xml conf-l1.xml"
check_exit 0 "printed: the reprints' print batch, both spoiled" certpress printed conf-r1.xml
check_exit 0 "printed: the letters' print batch" certpress printed conf-l1.xml
check "the letters' orders are printed and dispatched, their print batch too" \
	"[ \"\$(sql \"select group_concat(state, ' ') from orders where print_batch_id = '$pl1'\")\" = 'dispatched dispatched' ] &&
	 [ \"\$(sql \"select state from print_batches where id = '$pl1'\")\" = complete ]"
check "the reprints' orders went spoiled, back to be printed" \
	"[ \"\$(sql \"select group_concat(state, ' ') from orders where print_batch_id = '$pr1'\")\" = 'to-be-printed to-be-printed' ]"

check_exit 0 "print-orders the next day" env CERTPRESS_TODAY=2026-11-24 certpress print-orders --type reprints
pr2=$(sed -n 's/^reprints: print batch //p' out)
check "the two spoiled come back in a new reprints print file, same references" \
	"[ '$pr2' = reprints-20261124-1 ] &&
	 [ \"\$(confirm $(ticket_of $pr2) X --list | cut -d' ' -f2- | tr ' ' '\n' | sort | xargs)\" = \"\$(printf '%s\n' $r1 $r2 | sort | xargs)\" ] &&
	 xmllint --noout --schema $TOP/config/ticket.xsd $(ticket_of $pr2) &&
	 python3 $TOP/tests/tools/pdfx.py $(pdf_of $pr2)"
check "...and only the reprints: --type letters was not asked" "! contains out letters"
python3 "$TOP/bench/gen-results.py" 1 third.xml 9 > /dev/null
through_pack third.xml
check "a nightly run after it takes neither" \
	"! grep -q -e $r1 -e $r2 $(ticket_of $batch) && never_twice"
confirm "$(ticket_of $pr2)" SR2 > conf-r2.xml
check_exit 0 "printed: the spoiled printed again" certpress printed conf-r2.xml
check "the reprints are printed and dispatched; both reprints' print batches complete" \
	"[ \"\$(sql \"select group_concat(state, ' ') from orders where kind = 'reprint'\")\" = 'dispatched dispatched' ] &&
	 [ \"\$(sql \"select group_concat(state, ' ') from print_batches where id in ('$pr1', '$pr2')\")\" = 'complete complete' ]"

# An order the nightly run takes first is in no print-orders file.
run certpress order reprint "$r1" --reason "lost again" --by ops1
r3=$(cat out)
python3 "$TOP/bench/gen-results.py" 1 fourth.xml 11 > /dev/null
through_pack fourth.xml
b4=$batch
check_exit 0 "print-orders after a nightly run took the order" certpress print-orders
check "...has nothing to print; the order is in the run's print file alone" \
	"contains out 'reprints: nothing to print' && grep -q \"reference=\\\"$r3\\\"\" $(ticket_of $b4) &&
	 [ \"\$(sql \"select print_batch_id from orders where reference = '$r3'\")\" = $b4 ] && never_twice"
# [print] orders = separate: the nightly run takes no order copies, and no
# spoiled ones; print-orders takes them, and never a run's spoiled document.
printf '[print]\norders = separate\n' >> certpress.conf
doc2=$(sql "select reference from print_documents where print_batch_id = '$b2' order by position limit 1")
confirm "$(ticket_of $b2)" SB2 --spoil "$doc2" --skip-consignment 1 > conf-b2.xml
check_exit 0 "printed: a run's document spoiled" certpress printed conf-b2.xml
run certpress order reprint "$r2" --reason "lost again" --by ops1
check "a second reprint of a document after its first was dispatched" "[ $rc = 0 ]"
r4=$(cat out)
python3 "$TOP/bench/gen-results.py" 2 fifth.xml 5 > /dev/null
through_pack fifth.xml
b5=$batch
check "orders = separate: the nightly run's print file leaves the order, takes the run's spoiled" \
	"! grep -q $r4 $(ticket_of $b5) && grep -q $doc2 $(ticket_of $b5) &&
	 [ \"\$(sql \"select state||' '||coalesce(print_batch_id, '-') from orders where reference = '$r4'\")\" = 'to-be-generated -' ]"
check_exit 0 "print-orders" env CERTPRESS_TODAY=2026-11-25 certpress print-orders
pr3=$(sed -n 's/^reprints: print batch //p' out)
check "...takes the order, and not the run's spoiled document" \
	"[ '$pr3' = reprints-20261125-1 ] && [ \"\$(confirm $(ticket_of $pr3) X --list | cut -d' ' -f2-)\" = $r4 ] && never_twice"
confirm "$(ticket_of $pr3)" SR3 --spoil "$r4" > conf-r3.xml
check_exit 0 "printed: it spoiled" certpress printed conf-r3.xml
python3 "$TOP/bench/gen-results.py" 2 sixth.xml 7 > /dev/null
through_pack sixth.xml
check "the next nightly run does not take the spoiled order copy" "! grep -q $r4 $(ticket_of $batch)"
check_exit 0 "print-orders takes it back" env CERTPRESS_TODAY=2026-11-26 certpress print-orders --type reprints
check "...in the next reprints print file, same reference" \
	"[ \"\$(confirm spool/print/reprints-20261126-1/print-reprints-20261126-1.ticket.xml X --list | cut -d' ' -f2-)\" = $r4 ] && never_twice"

# Held consignments (a centre the register lacks) in status --json, and in
# print-batches --json for every print batch, an order's too: a reprint of a
# document of C09999's batch, to the centre's address, which is unknown.
c9=$(sql "select d.reference from documents d join awards a on a.id = d.award_id
	  where d.batch_id = '$b5' and a.centre = 'C09999' and d.type = 'certificate'
	  and d.status = 'valid' order by d.reference limit 1")
run certpress order reprint "$c9" --reason lost --by ops1
check "a reprint of a document of centre C09999" "[ $rc = 0 ] && [ -n '$c9' ]"
check_exit 0 "print-orders: a reprint for a centre the register lacks" \
	env CERTPRESS_TODAY=2026-11-27 certpress print-orders --type reprints
check "...its consignment is held, address unknown, with a warning naming the centre" \
	"grep -q '<consignment id=\"1\" centre=\"C09999\" delivery=\"second-class-signed\" address-unknown=\"true\"' spool/print/reprints-20261127-1/print-reprints-20261127-1.ticket.xml &&
	 grep -q \"centre 'C09999' is not in the centres register\" err"
check_exit 0 "status --json" certpress status --json
check "each batch has its print batch's held consignments, always an array" \
	"python3 -c '
import json
s = {x[\"id\"]: x for x in json.load(open(\"out\"))}
assert all(isinstance(x[\"held_consignments\"], list) for x in s.values())
assert s[\"$b2\"][\"held_consignments\"] == [{\"print_batch\": \"$b2\", \"consignment\": \"1\", \"centre\": \"C09999\", \"in_register\": False}], s[\"$b2\"]
assert s[\"$b1\"][\"held_consignments\"] == [], s[\"$b1\"]
'"
check_exit 0 "status --json BATCH" certpress status --json "$b2"
check "...has them too" \
	"python3 -c '
import json
s = json.load(open(\"out\"))
assert s[\"held_consignments\"] == [{\"print_batch\": \"$b2\", \"consignment\": \"1\", \"centre\": \"C09999\", \"in_register\": False}], s
'"
check_exit 0 "print-batches --json: held consignments" certpress print-batches --json
check "...of every print batch, the order print file's too" \
	"python3 -c '
import json
b = {x[\"id\"]: x for x in json.load(open(\"out\"))}
assert b[\"reprints-20261127-1\"][\"held_consignments\"] == [{\"print_batch\": \"reprints-20261127-1\", \"consignment\": \"1\", \"centre\": \"C09999\", \"in_register\": False}], b
assert b[\"$b2\"][\"held_consignments\"][0][\"centre\"] == \"C09999\" and b[\"$pr1\"][\"held_consignments\"] == []
'"
sed 's|</centres>|  <centre number="C09999" name="Benchmark College"><address><line>1 Bench Road</line></address></centre>\n</centres>|' \
	"$FIX/centres.xml" > centres.xml
sed -i "s|^centres = .*|centres = $SCRATCH/centres.xml|" certpress.conf
check_exit 0 "status --json once the register has the centre" certpress status --json
check "...says so: in_register" \
	"python3 -c '
import json
s = {x[\"id\"]: x for x in json.load(open(\"out\"))}
assert s[\"$b2\"][\"held_consignments\"][0][\"in_register\"] is True, s[\"$b2\"]
'"

check_exit 0 "print-batches --json" certpress print-batches --json
check "--json lists the order print batches with their types and states" \
	"python3 -c '
import json
b = {x[\"id\"]: x for x in json.load(open(\"out\"))}
assert b[\"$pr1\"][\"type\"] == \"reprints\" and b[\"$pl1\"][\"type\"] == \"letters\", b
assert b[\"$pr1\"][\"spoiled\"] == 2 and b[\"$pr2\"][\"printed\"] == 2
assert [h[\"state\"] for h in b[\"$pr1\"][\"history\"]] == [\"sent-to-printer\", \"printed\", \"dispatched\", \"complete\"]
'"
# The copies are issued by print-orders: the verification snapshot says so
# at once (print-orders publishes at its end, as order and run do).
run certpress keygen --publish
e3=$(sql "select enrolment from awards a where not exists (select 1 from orders o
	  where o.enrolment = a.enrolment and o.kind = 'letter') order by enrolment limit 1")
run certpress order letter "$e3" --by ops1
l3=$(cat out)
cp spool/publish/snapshot snapshot.before
check_exit 0 "print-orders with a publish key" env CERTPRESS_TODAY=2026-11-28 certpress print-orders --type letters
check "...publishes the snapshot again, the letter issued in it" \
	"contains err 'published' && ! cmp -s snapshot.before spool/publish/snapshot &&
	 [ \"\$(certpress verify $l3 | head -1)\" = valid ]"

check "the invariants hold (its batches not notified: in flight)" "$TOP/tests/tools/invariants --in-flight spool > inv.out || { cat inv.out >&2; false; }"
done_testing
