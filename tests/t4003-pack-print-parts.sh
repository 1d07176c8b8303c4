#!/bin/bash
# The print file's parts under [print] sheets-per-part: a document is never
# split, so one longer than a part gets a part of its own, with a warning
# naming its reference and pages, and the job ticket says so. Learners of
# many units (a qualification of 300 units in a catalogue made here) give
# transcripts of many pages, first, in the middle and last in print order.
. "$(dirname "$0")/lib.sh"
make_key

# The fixture catalogue and one qualification more: 300 units of 1 credit.
python3 - "$FIX/catalogue.xml" <<'PY'
import sys
cat = open(sys.argv[1], encoding="utf-8").read()
units = "".join(f'    <unit ref="Z/999/{i:04d}" credits="1" level="2" mandatory="false">\n'
                f'      <title>Unit {i} of the long qualification</title>\n    </unit>\n'
                for i in range(300))
q = ('  <qualification number="699/9999/9" level="2" min-credits="1" min-age="16"\n'
     '                 valid-from="2020-09-01" valid-to="2032-08-31" grades="Pass Merit Distinction"\n'
     '                 layout="certificate" transcript="transcript" letter="letter">\n'
     '    <title>Example Awards Level 2 Certificate of Many Units</title>\n' + units +
     '  </qualification>\n')
open("catalogue.xml", "w", encoding="utf-8").write(cat.replace("</catalogue>", q + "</catalogue>"))

# Learners in print order (by last name); the number is how many units.
learners = [("Abbott", 300), ("Baker", 2), ("Carter", 180), ("Dunn", 300), ("Evans", 3),
            ("Foster", 1), ("Young", 200)]
out = ['<?xml version="1.0" encoding="UTF-8"?>\n'
       '<results xmlns="urn:certpress:results:1" id="SUB-PARTS-1" submitted="2026-11-20T16:03:00Z">\n'
       '  <centre number="C04003" name="Long Course College" email="exams@long.example"/>\n'
       '  <course-run id="CR-PARTS-1" qualification="699/9999/9" start="2025-09-01" end="2026-07-31">\n'
       '    <verification verifier="V0001" name="Ann Verifier" date="2026-11-18" outcome="confirmed"/>\n']
for i, (last, n) in enumerate(learners):
    out.append(f'    <learner enrolment="PARTS{i:04d}" candidate="{4003000 + i}">\n'
               f'      <first-name>Sam</first-name>\n      <last-name>{last}</last-name>\n'
               f'      <dob>1990-01-01</dob>\n'
               f'      <outcome status="achieved" grade="Pass" awarded="2026-11-01"/>\n')
    out += [f'      <unit ref="Z/999/{u:04d}" grade="Pass"/>\n' for u in range(n)]
    out.append('    </learner>\n')
out.append('  </course-run>\n</results>\n')
open("parts.xml", "w", encoding="utf-8").write("".join(out))
PY
sed -i "s|^catalogue .*|catalogue = $SCRATCH/catalogue.xml|" certpress.conf
printf '\n[print]\nsheets-per-part = 5\n' >> certpress.conf

through_pack parts.xml
pdir=spool/print/$batch
ticket=$pdir/print-$batch.ticket.xml
check "pack exits 0" "[ $rc = 0 ]"
check "the ticket validates against config/ticket.xsd" \
	"xmllint --noout --schema $TOP/config/ticket.xsd $ticket"
check "the ticket names the limit" "grep -q '<ticket [^>]*sheets-per-part=\"5\"' $ticket"

# Each document's reference, type, part and pages from the ticket; each
# part's pages from the ticket and from the PDF itself.
sed -n 's/.*<document reference="\([^"]*\)" type="\([^"]*\)".* part="\([0-9]*\)" first-page="\([0-9]*\)" last-page="\([0-9]*\)".*/\1 \2 \3 \4 \5/p' \
	$ticket > docs
check "every document in the ticket" "[ \$(wc -l < docs) = 21 ]"
bad=0 over=0 long=0
for f in $pdir/print-$batch-*.pdf; do
	n=$(qpdf --show-npages "$f")
	part=$(basename "$f" .pdf)
	part=$((10#${part##*-}))
	line=$(grep -o "<part number=\"$part\" file=\"$(basename "$f")\" pages=\"$n\"[^>]*>" $ticket)
	[ -n "$line" ] || { bad=$((bad + 1)); echo "# part $part: not as the ticket says" >&2; }
	ndocs=$(awk -v p=$part '$3 == p' docs | wc -l)
	if [ "$n" -gt 5 ]; then
		long=$((long + 1))
		# alone, and marked in the ticket
		[ "$ndocs" = 1 ] || { bad=$((bad + 1)); echo "# part $part: $n pages, $ndocs documents" >&2; }
		case $line in *'oversize="true"'*) over=$((over + 1)) ;; esac
	else
		case $line in *oversize*) bad=$((bad + 1)); echo "# part $part marked oversize" >&2 ;; esac
	fi
done
check "every part as the ticket says; a part over 5 pages holds one document" "[ $bad = 0 ]"
check "the four long transcripts are four parts of their own" "[ $long = 4 ]"
check "the ticket marks each of them oversize" "[ $over = 4 ]"
check "no document is split: its pages are within its part" \
	"awk '{ if (\$5 < \$4) exit 1 }' docs"
check "the parts hold every page" \
	"[ \$(grep -o '<end [^>]*sheets=\"[0-9]*\"' $ticket | sed 's/.*sheets=\"//; s/\"//') = \$(for f in $pdir/print-$batch-*.pdf; do qpdf --show-npages \$f; done | paste -sd+ | bc) ]"

# The warning names each long document's reference and its pages, and no
# personal data.
for last in Abbott Carter Dunn Young; do
	ref=$(doc_ref $last transcript)
	pages=$(awk -v r=$ref '$1 == r { print $5 - $4 + 1 }' docs)
	check "a warning for $last's transcript: its reference and its $pages pages" \
		"grep -q \"warning: .*transcript '$ref' has $pages pages, more than sheets-per-part (5): it is part [0-9]* on its own\" err"
done
check "no warning for a document that fits" "[ \$(grep -c 'more than sheets-per-part' err) = 4 ]"
check "the warnings carry no names" "! grep -qE 'Abbott|Carter|Dunn|Young' err"

# A limit every document fits: one part, no warning, nothing marked.
rm spool/batches/$batch/packed.xml
sed -i 's/^sheets-per-part = 5/sheets-per-part = 1000/' certpress.conf
check_exit 0 "pack again under 1000 sheets a part" certpress-pack "$batch"
check "one part, no warning, nothing marked oversize" \
	"[ -f $pdir/print-$batch.pdf ] && ! grep -q 'sheets-per-part (' err && ! grep -q oversize $ticket"

done_testing
