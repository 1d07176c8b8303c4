#!/bin/bash
# Order copies in a print file, consignment by consignment (issue 20): a
# reprint or letter with no address of its own goes by its centre, so it
# joins the run's consignment when the run is its centre's, and its pages
# are among that consignment's, not after every other; one with its own
# address, or another method, is a consignment of its own. The printing
# house packs each envelope from the ticket's page ranges: every
# consignment's documents and reports are one run of pages, in the order the
# ticket lists them, and what the pages hold is what the ticket says; the
# registry's print_documents agree. A spoiled sheet of the centre's earlier
# run printed again joins it too. The same in parts (sheets-per-part), and
# in a print file of orders alone (print-orders).
. "$(dirname "$0")/lib.sh"
make_key

cat > centres.xml <<'X'
<?xml version="1.0" encoding="UTF-8"?>
<centres xmlns="urn:certpress:centres:1">
  <centre number="C05678" name="Centre One" delivery="second-class-signed">
    <address><line>Exams Office</line><line>1 One Street</line></address>
  </centre>
</centres>
X
sed -i "/^schemas/a centres = $SCRATCH/centres.xml" certpress.conf

# ranges TICKET: "CONSIGNMENT PART FIRST LAST KIND NAME", one per document
# or report, in the ticket's order; its stock sheets checked per consignment
ranges() {
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
T = {'t': 'urn:certpress:ticket:1'}
for c in ET.parse(sys.argv[1]).getroot().findall('t:consignment', T):
    sheets = {'certificate': 0, 'plain': 0}
    for e in c:
        if e.tag.endswith('}address'):
            continue
        first, last = int(e.get('first-page')), int(e.get('last-page'))
        sheets[e.get('stock')] += last - first + 1
        print(c.get('id'), e.get('part'), first, last, e.tag.split('}')[1],
              e.get('reference') or e.get('name'))
    assert sheets['certificate'] == int(c.get('certificate-sheets')), c.attrib
    assert sheets['plain'] == int(c.get('plain-sheets')), c.attrib
PY
}
# tiled RANGES TICKET: in the ticket's order the ranges follow one another
# through each part, part after part, and fill each part's pages; each
# consignment's are one run (its id never comes back after another's)
tiled() {
	python3 - "$1" "$2" <<'PY'
import sys, xml.etree.ElementTree as ET
T = {'t': 'urn:certpress:ticket:1'}
parts = {p.get('number'): int(p.get('pages'))
         for p in ET.parse(sys.argv[2]).getroot().findall('t:part', T)}
part, page, done = '1', 0, []
for line in open(sys.argv[1]):
    cons, p, first, last = line.split()[:4]
    first, last = int(first), int(last)
    if p != part:
        assert page == parts[part], ('part not filled', part, page)
        assert int(p) == int(part) + 1 and first == 1, ('next part', line)
        part = p
    else:
        assert first == page + 1, ('gap or overlap', line)
    page = last
    if not done or done[-1] != cons:
        assert cons not in done, ('consignment split', cons, line)
        done.append(cons)
assert page == parts[part] and int(part) == len(parts), ('not all pages', part, page)
PY
}
# holds RANGES DIR BATCH: each range of each part holds its document (its
# reference) or report; the count of those that do not in ./unheld
holds() {
	local bad=0 cons part first last kind name pdf nparts
	[ -s "$1" ] || return 1
	nparts=$(ls "$2"/print-"$3"*.pdf | wc -l)
	while read -r cons part first last kind name; do
		if [ "$nparts" = 1 ]; then
			pdf=$2/print-$3.pdf
		else
			pdf=$(printf '%s/print-%s-%02d.pdf' "$2" "$3" "$part")
		fi
		pdftotext -f "$first" -l "$last" "$pdf" - > page.txt 2> /dev/null
		case $kind in
		document) grep -qF "$name" page.txt || bad=$((bad + 1)) ;;
		report) case $name in
			certification-report) grep -qi 'certification report' page.txt || bad=$((bad + 1)) ;;
			summary-*) grep -qF "${name#summary-}" page.txt || bad=$((bad + 1)) ;;
			esac ;;
		esac
	done < "$1"
	echo "$bad" > unheld
	[ "$bad" = 0 ]
}
# registry_agrees BATCH RANGES: print_documents in position order are the
# ticket's documents in its order, each in its consignment
registry_agrees() {
	[ -s "$2" ] || return 1
	sql "select consignment_id||' '||reference from print_documents
	     where print_batch_id = '$1' order by position" > reg-order
	awk '$5 == "document" { print $1, $6 }' "$2" | cmp -s - reg-order
}
# cons_of RANGES REF: the consignment REF is in
cons_of() {
	awk -v r="$2" '$6 == r { print $1 }' "$1"
}

# A run of the centre, and orders placed for its learners before the next.
results_file r1.xml 1 "Centre One" <<'L'
ZZ0001|Ada|Lovelace|ada@example.org
ZZ0002|Ann|Second|ann@example.org
ZZ0003|Bo|Third|bo@example.org
ZZ0004|Cy|Fourth|cy@example.org
ZZ0005|Di|Fifth|di@example.org
L
through_pack r1.xml
check "the first run packs (exit 0)" "[ $rc = 0 ]"
b1=$batch
finish_batches
# the printing house spoils one of its sheets: the next run prints it again
spoiled=$(doc_ref Fifth transcript)
python3 "$TOP/tests/tools/confirm.py" spool/print/$b1/print-$b1.ticket.xml P1 --spoil "$spoiled" > conf1.xml
check_exit 0 "the first print file confirmed, a transcript spoiled" certpress printed conf1.xml
run certpress order reprint "$(doc_ref Lovelace certificate)" --reason lost --by ops1
n_centre=$(cat out)
run certpress order reprint "$(doc_ref Second certificate)" --reason lost --by ops1 \
	--address "Flat 2, 7 Quay Street, Cardiff CF10 1EA"
n_own=$(cat out)
run certpress order letter ZZ0003 --by ops1 --reason "employer asked"
n_letter=$(cat out)
run certpress order reprint "$(doc_ref Fourth certificate)" --reason damaged --by ops1 \
	--delivery second-class-signed
n_said=$(cat out)
run certpress order reprint "$(doc_ref Fifth certificate)" --reason lost --by ops1 --delivery courier
n_courier=$(cat out)
check "five orders placed" \
	"[ \"\$(sql \"select count(*) from orders where state = 'to-be-generated'\")\" = 5 ] &&
	 [ -n '$n_centre' ] && [ -n '$n_own' ] && [ -n '$n_letter' ] && [ -n '$n_said' ] && [ -n '$n_courier' ]"

# The centre's next run takes them ([print] orders = with-run).
results_file r2.xml 2 "Centre One" <<'L'
ZZ0006|Ed|Later|ed@example.org
ZZ0007|Fay|Next|fay@example.org
L
through_pack r2.xml
b2=$batch
packed=$rc
finish_batches
t=spool/print/$b2/print-$b2.ticket.xml
check "the next run packs (exit 0), taking the orders" \
	"[ $packed = 0 ] && [ \"\$(sql \"select count(*) from orders where print_batch_id = '$b2'\")\" = 5 ]"
check "its ticket validates" "xmllint --noout --schema $TOP/config/ticket.xsd $t"
ranges "$t" > ranges2
check "each consignment's sheets per stock add up" "[ -s ranges2 ]"
run1=$(awk '$5 == "report" { print $1; exit }' ranges2)
check "the copies with no address of their own, by the centre's method, join the run's consignment" \
	"[ -n '$run1' ] && [ \"\$(cons_of ranges2 $n_centre)\" = $run1 ] && [ \"\$(cons_of ranges2 $spoiled)\" = $run1 ] &&
	 [ \"\$(cons_of ranges2 $n_letter)\" = $run1 ] && [ \"\$(cons_of ranges2 $n_said)\" = $run1 ] &&
	 [ \"\$(cons_of ranges2 \$(doc_ref Later certificate))\" = $run1 ]"
check "the one to its own address and the courier one are consignments of their own" \
	"[ -n \"\$(cons_of ranges2 $n_own)\" ] && [ -n \"\$(cons_of ranges2 $n_courier)\" ] &&
	 [ \"\$(cons_of ranges2 $n_own)\" != $run1 ] && [ \"\$(cons_of ranges2 $n_courier)\" != $run1 ] &&
	 [ \"\$(cons_of ranges2 $n_own)\" != \"\$(cons_of ranges2 $n_courier)\" ] &&
	 [ \$(grep -c '<consignment ' $t) = 3 ]"
check "each consignment's pages are one run, in the ticket's order, filling the print file" \
	"tiled ranges2 $t 2> tiled.err"
check "...and the print file has the pages the ticket counts" \
	"[ \"\$(awk 'END { print \$4 }' ranges2)\" = \"\$(qpdf --show-npages spool/print/$b2/print-$b2.pdf)\" ]"
check "each page range holds its document (its reference) or report" \
	"holds ranges2 spool/print/$b2 $b2"
check "the run's consignment ends with its centre's reports, after the order copies joining it" \
	"awk -v c=$run1 '\$1 == c { print \$5 }' ranges2 | uniq > kinds && printf 'document\nreport\n' | cmp -s - kinds"
check "the registry's print_documents are the ticket's, in its order" "registry_agrees $b2 ranges2"
check_exit 0 "the invariants hold" "$TOP/tests/tools/invariants" spool
check "...saying ok" "contains out 'invariants: ok'"

# The same in parts: order copies joining the run's consignment, the print
# file split every few sheets.
printf '\n[print]\nsheets-per-part = 4\n' >> certpress.conf
run certpress order reprint "$(doc_ref Later certificate)" --reason lost --by ops1
n_centre3=$(cat out)
run certpress order reprint "$(doc_ref Next certificate)" --reason lost --by ops1 \
	--address "3 Bridge Road, Leeds LS1 1AA"
n_own3=$(cat out)
run certpress order letter ZZ0001 --by ops1
n_letter3=$(cat out)
results_file r3.xml 3 "Centre One" <<'L'
ZZ0008|Gus|Gale|gus@example.org
ZZ0009|Hal|Hume|hal@example.org
ZZ0010|Ivy|Ince|ivy@example.org
L
through_pack r3.xml
b3=$batch
packed=$rc
finish_batches
t3=spool/print/$b3/print-$b3.ticket.xml
ranges "$t3" > ranges3
run3=$(awk '$5 == "report" { print $1; exit }' ranges3)
check "a print file in parts (exit 0)" \
	"[ $packed = 0 ] && [ \$(grep -c '<part ' $t3) -gt 1 ] && xmllint --noout --schema $TOP/config/ticket.xsd $t3"
check "...the copies by the centre join the run's consignment, the other its own" \
	"[ -n '$run3' ] && [ \"\$(cons_of ranges3 $n_centre3)\" = $run3 ] && [ \"\$(cons_of ranges3 $n_letter3)\" = $run3 ] &&
	 [ -n \"\$(cons_of ranges3 $n_own3)\" ] && [ \"\$(cons_of ranges3 $n_own3)\" != $run3 ]"
check "...each consignment's pages one run through the parts, in the ticket's order" \
	"tiled ranges3 $t3 2> tiled.err"
check "...each page range of each part holds its document or report" "holds ranges3 spool/print/$b3 $b3"
check "...the registry's print_documents are the ticket's, in its order" "registry_agrees $b3 ranges3"
check_exit 0 "...the invariants hold" "$TOP/tests/tools/invariants" spool

# A print file of orders alone: the orders by the centre's method (said or
# not) one consignment, the courier one its own.
sed -i 's/^sheets-per-part = 4$/sheets-per-part = 1000\norders = separate/' certpress.conf
run certpress order reprint "$(doc_ref Gale certificate)" --reason lost --by ops1
n_a=$(cat out)
run certpress order reprint "$(doc_ref Hume certificate)" --reason lost --by ops1 --delivery courier
n_b=$(cat out)
run certpress order reprint "$(doc_ref Ince certificate)" --reason lost --by ops1 --delivery second-class-signed
n_c=$(cat out)
check_exit 0 "print-orders" certpress print-orders --type reprints --by ops2
pr=$(sed -n 's/^reprints: print batch //p' out)
tp=spool/print/$pr/print-$pr.ticket.xml
ranges "$tp" > rangesp
check "...the centre's method, said or not, one consignment; the courier one its own" \
	"[ -n '$pr' ] && [ -n \"\$(cons_of rangesp $n_a)\" ] &&
	 [ \"\$(cons_of rangesp $n_a)\" = \"\$(cons_of rangesp $n_c)\" ] &&
	 [ \"\$(cons_of rangesp $n_b)\" != \"\$(cons_of rangesp $n_a)\" ] && [ \$(grep -c '<consignment ' $tp) = 2 ]"
check "...each consignment's pages one run, in the ticket's order" "tiled rangesp $tp 2> tiled.err"
check "...each page range holds its document" "holds rangesp spool/print/$pr $pr"
check "...the registry's print_documents are the ticket's, in its order" "registry_agrees $pr rangesp"
check_exit 0 "...the invariants hold" "$TOP/tests/tools/invariants" spool

done_testing
