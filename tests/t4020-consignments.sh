#!/bin/bash
# The print file's consignments: the ticket groups the documents by delivery
# address and method (the centres register's address for a run, the order's
# for a reprint), each with its sheets per stock and, for a run, the centre's
# Certification Report and Certificate Summary as plain pages; every page
# range holds what the ticket says. A centre the register lacks: its
# consignment held, address unknown, a warning naming the centre. The
# register is checked like the catalogue (file and line). The print file and
# every print copy are PDF/X-1a:2003 in structure.
. "$(dirname "$0")/lib.sh"
make_key
sed -i "/^schemas/a centres = $FIX/centres.xml" certpress.conf
check "the bundled centres register validates" \
	"xmllint --noout --schema $TOP/config/centres.xsd $FIX/centres.xml"

through_pack "$FIX/results/good.xml"
t=spool/print/$batch/print-$batch.ticket.xml
pdf=spool/print/$batch/print-$batch.pdf
check "pack with the register (exit 0)" "[ $rc = 0 ] && ! contains err 'held'"
check "the ticket validates against config/ticket.xsd" "xmllint --noout --schema $TOP/config/ticket.xsd $t"
check "its root names the print batch" "grep -q \"<ticket [^>]*print-batch=\\\"$batch\\\"\" $t"
check "one consignment for the centre, by its register's method, with its address" \
	"[ \$(grep -c '<consignment ' $t) = 1 ] &&
	 grep -q '<consignment id=\"1\" centre=\"C01234\" delivery=\"second-class-signed\"' $t &&
	 python3 - $t $FIX/centres.xml <<'PY'
import sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1]).getroot()
r = ET.parse(sys.argv[2]).getroot()
T, R = {'t': 'urn:certpress:ticket:1'}, {'c': 'urn:certpress:centres:1'}
want = [l.text for l in r.find(\"c:centre[@number='C01234']\", R).findall('c:address/c:line', R)]
got = [l.text for l in t.find('t:consignment', T).findall('t:address/t:line', T)]
assert want == got, (want, got)
PY"
# every page of the print file belongs to one document or report of one
# consignment, in order, and holds it
python3 - "$t" > ranges <<'PY'
import sys, xml.etree.ElementTree as ET
T = {'t': 'urn:certpress:ticket:1'}
for c in ET.parse(sys.argv[1]).getroot().findall('t:consignment', T):
    sheets = {'certificate': 0, 'plain': 0}
    for e in c:
        if e.tag.endswith('}address'):
            continue
        name = e.get('reference') or e.get('name')
        first, last = int(e.get('first-page')), int(e.get('last-page'))
        sheets[e.get('stock')] += last - first + 1
        print(c.get('id'), e.tag.split('}')[1], name, first, last)
    assert sheets['certificate'] == int(c.get('certificate-sheets')), c.attrib
    assert sheets['plain'] == int(c.get('plain-sheets')), c.attrib
PY
check "each consignment's sheets per stock add up" "[ -s ranges ]"
check "the page ranges cover the print file, one after another" \
	"awk 'BEGIN { n = 0 } \$4 != n + 1 { exit 1 } { n = \$5 } END { print n }' ranges > covered &&
	 [ \"\$(cat covered)\" = \"\$(qpdf --show-npages $pdf)\" ]"
bad=0
while read -r cons kind name first last; do
	pdftotext -f "$first" -l "$last" "$pdf" - > page.txt 2> /dev/null
	case $kind in
	document) grep -qF "$name" page.txt || bad=$((bad + 1)) ;;
	report) case $name in
		certification-report) grep -qi 'certification report' page.txt || bad=$((bad + 1)) ;;
		summary-*) grep -qF "${name#summary-}" page.txt || bad=$((bad + 1)) ;;
		esac ;;
	esac
done < ranges
check "each page range holds its document (its reference) or report" "[ $bad = 0 ]"
check "the centre's Certification Report and a Certificate Summary per course run follow its documents" \
	"[ \"\$(awk '\$2 == \"report\" { print \$3 }' ranges | head -1)\" = certification-report ] &&
	 [ \$(grep -c ' report summary-' ranges) = \$(grep -c '<course-run ' $FIX/results/good.xml) ] &&
	 [ \"\$(tail -1 ranges | cut -d' ' -f2)\" = report ]"
check "the reports are on plain paper, counted in the plain sheets" \
	"grep '<report ' $t | grep -qv 'stock=\"plain\"' && exit 1; \
	 [ \$(grep -c 'stock=\"plain\"' $t) -gt \$(grep -c '<report ' $t) ]"
check "the registry has the print batch, its consignment and documents in print order" \
	"[ \"\$(sql \"select count(*) from print_documents where print_batch_id = '$batch' and consignment_id = '1'\")\" = \$(grep -c '<document ' $t) ] &&
	 sql \"select reference from print_documents where print_batch_id = '$batch' order by position\" > reg-order &&
	 awk '\$2 == \"document\" { print \$3 }' ranges | cmp -s - reg-order"

# PDF/X-1a:2003 (tests/tools/pdfx.py: no validator ships in Debian): the
# print file and every print copy it was made of, the reports' too; then
# rendered by Ghostscript and poppler without a warning.
bad=0
for f in "$pdf" spool/batches/$batch/print/*.pdf spool/batches/$batch/pack/print-*.pdf; do
	python3 "$TOP/tests/tools/pdfx.py" "$f" > pdfx.out || { bad=$((bad + 1)); sed "s|^|$f: |" pdfx.out >> pdfx.log; }
done
check "the print file and every print copy have PDF/X-1a's structure (CMYK, boxes, intent, keys, /ID)" \
	"[ $bad = 0 ] && [ \$(ls spool/batches/$batch/print/*.pdf | wc -l) -gt 100 ]"
check "every font of the print file embedded" \
	"pdffonts $pdf | awk 'NR > 2 && \$(NF-4) != \"yes\" { exit 1 }'"
check "Ghostscript renders the print file without a warning" \
	"gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=nullpage $pdf > gs.out 2>&1 && [ ! -s gs.out ]"
check "poppler renders every page without a warning" \
	"pdftoppm -r 10 $pdf pages > poppler.out 2>&1 && [ ! -s poppler.out ] && [ \$(ls pages*.ppm | wc -l) = \$(qpdf --show-npages $pdf) ]"
rm -f pages*.ppm
check "the digital copies are not PDF/X (RGB, encrypted): the helper tells them apart" \
	"! python3 $TOP/tests/tools/pdfx.py \$(ls spool/batches/$batch/digital/*.pdf | head -1) > /dev/null"

# A reprint to its own address by courier, and one to the centre: each its
# own consignment in the next print file, beside the next run's.
r1=$(doc_ref Llywelyn certificate)
r2=$(doc_ref Winbery certificate)
run certpress order reprint "$r1" --reason lost --by ops1 --delivery courier --address "Flat 2, 7 Quay Street, Cardiff CF10 1EA"
n1=$(cat out)
run certpress order reprint "$r2" --reason damaged --by ops1
n2=$(cat out)
python3 "$TOP/bench/gen-results.py" 2 next.xml 5 > /dev/null
through_pack next.xml
t2=spool/print/$batch/print-$batch.ticket.xml
check "a centre the register lacks does not stop the stage (exit 0)" "[ $rc = 0 ]"
check "...a warning names the centre" \
	"contains err \"centre 'C09999' is not in the centres register ($FIX/centres.xml): its consignment 1 is held, address unknown\""
check "...and its consignment is held in the ticket, with no address" \
	"grep -q '<consignment id=\"1\" centre=\"C09999\" delivery=\"second-class-signed\" address-unknown=\"true\"' $t2 &&
	 [ \"\$(sql \"select held||' '||coalesce(address, 'none') from consignments where print_batch_id = '$batch' and id = '1'\")\" = '1 none' ]"
check "the second ticket validates" "xmllint --noout --schema $TOP/config/ticket.xsd $t2"
python3 "$TOP/tests/tools/confirm.py" "$t2" X --list > cons2
check "the courier reprint is a consignment of its own, to the order's address" \
	"grep -qx \"[0-9]* $n1\" cons2 && grep -A2 'delivery=\"courier\"' $t2 | grep -q '<line>Flat 2, 7 Quay Street, Cardiff CF10 1EA</line>'"
check "the other goes to its centre's register address, second class signed" \
	"grep -qx \"[0-9]* $n2\" cons2 &&
	 [ \"\$(sql \"select c.delivery||'|'||c.address from consignments c join print_documents p on p.print_batch_id = c.print_batch_id and p.consignment_id = c.id where p.reference = '$n2'\")\" = \"second-class-signed|\$(sed -n '/C01234/,/<\\/centre>/s/.*<line>\\(.*\\)<\\/line>.*/\\1/p' $FIX/centres.xml)\" ]"
check "three consignments" "[ \$(wc -l < cons2) = 3 ]"
check "the reprints' print copies are PDF/X too" \
	"python3 $TOP/tests/tools/pdfx.py spool/reprints/print/$n1.pdf && python3 $TOP/tests/tools/pdfx.py spool/print/$batch/print-$batch.pdf"
check_exit 0 "status" certpress status
check "status shows the held consignment until the register has the centre" \
	"contains out \"consignment 1 of print batch $batch held: centre 'C09999' is not in the centres register\""

# [print] output-condition names the print condition of the output intent.
printf '\n[print]\noutput-condition = FOGRA51\n' >> certpress.conf
rm spool/batches/$batch/packed.xml
check_exit 0 "pack with another print condition" certpress-pack "$batch"
check "the print file's output intent names it" \
	"python3 $TOP/tests/tools/pdfx.py spool/print/$batch/print-$batch.pdf FOGRA51 && ! python3 $TOP/tests/tools/pdfx.py spool/print/$batch/print-$batch.pdf FOGRA39 > /dev/null"

# The register is checked like the catalogue: file, line, reason; exit 78.
register() { # NAME: certpress.conf pointed at NAME.xml
	sed -i "s|^centres = .*|centres = $SCRATCH/$1.xml|" certpress.conf
}
sed 's|name="Fanshaws College"|name="Fanshaws College" colour="red"|' "$FIX/centres.xml" > extra.xml
register extra
rm spool/batches/$batch/packed.xml
check_exit 78 "an attribute the schema does not know" certpress-pack "$batch"
check "...names the file and line" "contains err 'extra.xml:5: not a valid centres register'"
awk '/<\/centres>/ { print "  <centre number=\"C01234\" name=\"Again\"><address><line>x</line></address></centre>" } { print }' "$FIX/centres.xml" > twice.xml
register twice
check_exit 78 "a centre listed twice" certpress-pack "$batch"
check "...names both lines" "contains err \"twice.xml:23: centre 'C01234' listed twice (also line 5)\""
printf '<?xml version="1.0"?>\n<!DOCTYPE centres SYSTEM "file:///etc/passwd">\n<centres xmlns="urn:certpress:centres:1"/>\n' > doctype.xml
register doctype
check_exit 78 "a DOCTYPE" certpress-pack "$batch"
check "...refused before any parser" "contains err 'doctype.xml:2: a DOCTYPE is not allowed'"
register missing
check_exit 66 "a register that is not there" certpress-pack "$batch"
check "...names it" "contains err 'missing.xml: cannot read the centres register'"
check "no print file was made by a refusal" "[ ! -e spool/batches/$batch/packed.xml ]"
done_testing
