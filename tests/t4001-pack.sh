#!/bin/bash
# The pack stage on a rendered batch: the centre's zip (exact entries, PDFs
# stored and valid, manifest.csv read back by Python's csv module with
# formula names neutralised, reports), the print file against its ticket
# (page count, order, stock, XML Schema), parts, encryption, re-runs, a
# hostile centre number and the retention sweep.
. "$(dirname "$0")/lib.sh"
make_key

through_render "$FIX/results/pack-names.xml"
check "rendered" "[ $rc = 0 ]"
check_exit 0 "pack" certpress-pack "$batch"
zip=spool/exports/$batch/C01234-$batch.zip
pdir=spool/print/$batch
check "one zip named CENTRE-BATCH.zip" "[ \$(ls spool/exports/$batch) = C01234-$batch.zip ]"
check "packed.xml lists the export and the print file" \
	"contains spool/batches/$batch/packed.xml '<end count=\"40\" documents=\"108\" reprints=\"0\"/>'"

# exact entry list: the reports, then one PDF per document in its folder
{
	printf '%s\n' manifest.csv certification-report.pdf summary-CR-2026-0042.pdf \
		summary-CR-2026-0043.pdf summary-CR-2026-0044.pdf
	sql "select case type when 'certificate' then 'certificates' when 'transcript'
	     then 'transcripts' else 'letters' end || '/' || reference || '.pdf' from documents"
} | sort > want-entries
unzip -Z1 "$zip" | sort > entries
check "the zip holds exactly the reports and the 108 documents" "cmp -s want-entries entries"
check "PDFs are stored, manifest.csv deflated" \
	"unzip -v $zip | awk '/\\.pdf\$/ && \$2 != \"Stored\" { bad = 1 } /manifest.csv\$/ && \$2 !~ /Defl/ { bad = 1 } END { exit bad }'"
mkdir unz && (cd unz && unzip -q "../$zip")
bad=0
for f in $(find unz -name '*.pdf'); do
	qpdf --check "$f" > /dev/null 2>&1 || bad=$((bad + 1))
done
check "every PDF in the zip passes qpdf --check" "[ $bad = 0 ]"
check "a certificate in the zip is the digital copy rendered" \
	"r=\$(doc_ref Brontë certificate) && cmp -s unz/certificates/\$r.pdf spool/batches/$batch/digital/\$r.pdf"

# manifest.csv against the registry, through Python's csv module
sql -separator $'\t' "select d.reference, d.type, a.enrolment, a.candidate, a.first_name,
	a.last_name, a.qualification, a.qualification_title, a.grade, a.awarded, d.issued,
	coalesce(d.expires, '') from documents d join awards a on a.id = d.award_id" > want-rows
cat > manifest.py <<'PY'
import csv, sys
want = {}
for line in open("want-rows", encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    want[f[0]] = f
rows = list(csv.reader(open("unz/manifest.csv", encoding="utf-8-sig", newline="")))
assert rows[0] == ["reference", "document type", "enrolment", "candidate", "first name",
                   "last name", "qualification number", "qualification title", "grade",
                   "awarded", "issued", "expires", "file"], rows[0]
assert len(rows) == 1 + len(want), len(rows)
folder = {"certificate": "certificates", "transcript": "transcripts", "letter": "letters"}
for r in rows[1:]:
    w = want[r[0]]
    # a value a spreadsheet would run as a formula carries a leading quote
    neutral = ["'" + v if v and v[0] in "=+-@" else v for v in w]
    assert r[:12] == neutral, (r, neutral)
    assert r[12] == folder[r[1]] + "/" + r[0] + ".pdf", r
    for v in r:
        assert not v or v[0] not in "=+-@", r
print("ok")
PY
check "manifest.csv parses to one row per document, equal to the registry" \
	"python3 manifest.py"
cat > formulas <<'F'
"'=HYPERLINK(""http://x"")"
"'@SUM(1+1)"
"'+44 Smith"
F
check "formula names are neutralised with a quote" \
	"[ \$(grep -cF -f formulas unz/manifest.csv) = 6 ]"
check "a name with a comma and a quote is one quoted field" \
	"contains unz/manifest.csv '\"O\"\"Brien, Jr\"'"
check "manifest.csv uses CRLF line ends" "[ \$(grep -c \$'\\r\$' unz/manifest.csv) = 109 ]"

pdftotext -layout unz/certification-report.pdf report.txt
check "the certification report lists each course run with its counts" \
	"grep -qE 'CR-2026-0042 +603/1465/5 .* 15 +1 +0' report.txt && grep -qE 'CR-2026-0043 .* 13 +1 +0' report.txt && grep -qE 'CR-2026-0044 .* 12 +0 +0' report.txt"
pdftotext -layout unz/summary-CR-2026-0042.pdf summary.txt
check "a course summary holds each learner with the references of their documents" \
	"grep -F \"\$(doc_ref Brontë certificate)\" summary.txt | grep -F \"\$(doc_ref Brontë transcript)\" | grep -F \"\$(doc_ref Brontë letter)\" | grep -q 'Zoë Brontë'"

# the print file against its ticket
ticket=$pdir/print-$batch.ticket.xml
check "the ticket validates against config/ticket.xsd" \
	"xmllint --noout --schema $TOP/config/ticket.xsd $ticket"
pages=$(qpdf --show-npages $pdir/print-$batch.pdf)
check "the print file has the ticket's page count" \
	"grep -q \"<part number=\\\"1\\\" file=\\\"print-$batch.pdf\\\" pages=\\\"$pages\\\"\" $ticket && [ $pages = 112 ]"
check "the ticket's SHA-256 is the print file's" \
	"grep -q \"sha256=\\\"\$(sha256sum $pdir/print-$batch.pdf | cut -d' ' -f1)\\\"\" $ticket"
check "qpdf --check passes for the print file" "qpdf --check $pdir/print-$batch.pdf > /dev/null"
# each document embeds its own subset of a font: one name for each
pdffonts $pdir/print-$batch.pdf | awk 'NR > 2 { print $1 }' > fontnames
check "the print file names each embedded font subset once (subset tags unique)" \
	"[ \$(wc -l < fontnames) -gt 100 ] && [ -z \"\$(sort fontnames | uniq -d)\" ] && ! grep -qv '^[A-Z]\\{6\\}+' fontnames"
check "sheets per stock: certificates on security paper, the rest plain" \
	"contains $ticket '<stock name=\"certificate\" paper=\"security\" sheets=\"40\"/>' && contains $ticket '<stock name=\"plain\" paper=\"plain\" sheets=\"72\"/>'"
sql "select d.reference from documents d join awards a on a.id = d.award_id
     order by a.centre, a.course_run, a.last_name, a.first_name, a.enrolment,
     case d.type when 'certificate' then 0 when 'transcript' then 1 else 2 end" > want-order
sed -n 's/.*<document reference="\([^"]*\)".*/\1/p' $ticket > ticket-order
check "the ticket lists the documents in print order" "cmp -s want-order ticket-order"
bad=0
sed -n 's/.*<document reference="\([^"]*\)".*first-page="\([0-9]*\)".*/\1 \2/p' $ticket > ranges
while read -r ref page; do
	pdftotext -f "$page" -l "$page" $pdir/print-$batch.pdf - 2>/dev/null | grep -qF "$ref" || bad=$((bad + 1))
done < ranges
check "each document's first page in the print file carries its reference" "[ $bad = 0 ]"
check "the print file has no digital-copy mark" "! pdftotext $pdir/print-$batch.pdf - | grep -q 'DIGITAL COPY'"

# done means done; a re-run after a crash rebuilds and never leaves two
zsha=$(sha256sum "$zip" | cut -d' ' -f1)
check_exit 0 "pack again: already packed" certpress-pack "$batch"
check "...and nothing changed" "[ \$(sha256sum $zip | cut -d' ' -f1) = $zsha ]"
psha=$(sha256sum $pdir/print-$batch.pdf | cut -d' ' -f1)
# Each plan stops a re-pack at one point (pack's renames: manifest.csv 1,
# the report fonts 2-4, the reports 5-12 (each for the zip, then its
# unencrypted print- copy for the print file), the zip 13, the print file's
# part 14, the part onto its single name 15, the ticket 16, packed.xml 17),
# and what it left there says it did.
tmps() { # the temp files left in a folder
	ls -A "$1" | grep -c cptmp
}
while IFS='|' read -r plan left; do
	[ -n "$plan" ] || continue
	rm spool/batches/$batch/packed.xml
	( env "CERTPRESS_$plan" certpress-pack "$batch" > out 2> err; echo $? > first.rc ) 2> /dev/null
	check "$plan: the attempt fails" "[ $(cat first.rc) != 0 ] && [ ! -e spool/batches/$batch/packed.xml ]"
	check "$plan: it stopped where it was meant to ($left)" "$left"
	check_exit 0 "$plan: packing again finishes" certpress-pack "$batch"
	check "$plan: one zip, one print file, no temp file" \
		"[ \$(ls -A spool/exports/$batch | wc -l) = 1 ] && [ \"\$(ls -A $pdir)\" = \"print-$batch.pdf
print-$batch.ticket.xml\" ]"
	check "$plan: the print file is the same" "[ \$(sha256sum $pdir/print-$batch.pdf | cut -d' ' -f1) = $psha ]"
	check "$plan: the export is recorded finished once" \
		"[ \"\$(sql \"select count(*), status from exports\")\" = '1|finished' ]"
done <<PLANS
CRASH=rename:2|[ \$(tmps spool/batches/$batch/pack/fonts) = 1 ]
CRASH=fsync:3|[ \$(tmps spool/batches/$batch/pack/fonts) = 1 ]
CRASH=rename:13|[ \$(tmps spool/exports/$batch) = 1 ] && [ "\$(sql 'select status from exports')" = pending ]
FAULT=rename:13|[ \$(tmps spool/exports/$batch) = 0 ] && [ "\$(sql 'select status from exports')" = failed ]
CRASH=rename:14|[ \$(tmps $pdir) = 1 ] && [ \$(ls $pdir | wc -l) = 0 ]
FAULT=write:26|[ \$(tmps $pdir) = 0 ] && contains err 'print-$batch-01.pdf: cannot write: Input/output error'
CRASH=rename:15|[ \$(tmps $pdir) = 0 ] && [ "\$(ls $pdir)" = print-$batch-01.pdf ]
CRASH=rename:16|[ \$(tmps $pdir) = 1 ] && [ "\$(ls $pdir)" = print-$batch.pdf ]
CRASH=rename:17|[ \$(tmps spool/batches/$batch) = 1 ] && [ -e $pdir/print-$batch.ticket.xml ]
PLANS

# parts: a document is never split
rm spool/batches/$batch/packed.xml
printf '\n[print]\nsheets-per-part = 40\n' >> certpress.conf
check_exit 0 "pack with 40 sheets a part" certpress-pack "$batch"
check "three parts named -01 to -03 and the single name gone" \
	"[ \"\$(ls $pdir | grep pdf\$ | tr '\\n' ' ')\" = \"print-$batch-01.pdf print-$batch-02.pdf print-$batch-03.pdf \" ]"
sum=0
for f in $pdir/print-$batch-0*.pdf; do
	n=$(qpdf --show-npages "$f")
	[ "$n" -le 40 ] || sum=-1000
	grep -q "file=\"$(basename "$f")\" pages=\"$n\"" $ticket || sum=-1000
	sum=$((sum + n))
done
check "every part at most 40 pages, as the ticket says, 112 in all" "[ $sum = 112 ]"
check "the ticket with parts validates" "xmllint --noout --schema $TOP/config/ticket.xsd $ticket"
write_config

# encryption: refused without a password, then AES-256 that opens with it only
rm spool/batches/$batch/packed.xml
sed -i 's/^encrypt *= no/encrypt = yes/' certpress.conf
check_exit 78 "encrypted export without the centre's password" certpress-pack "$batch"
check "the error names the command that sets it" "contains err 'certpress export-password C01234'"
run certpress export-password C01234 <<< 'short'
check "a too short password is refused" "[ $rc = 65 ]"
run certpress export-password C01234 <<< 'Correct-Horse-Battery-9'
check "export-password reads the password from stdin" "[ $rc = 0 ] && [ ! -s out ]"
check_exit 0 "pack encrypted" certpress-pack "$batch"
check "the password is in no output or log" "! grep -rq 'Correct-Horse' out err spool/batches/$batch"
check "7z opens the zip with the password" "7z t -p'Correct-Horse-Battery-9' $zip > 7z.out 2>&1 && grep -q 'Everything is Ok' 7z.out"
check "7z refuses it with another password" "! 7z t -pwrong $zip > 7z.out 2>&1 && grep -q 'Wrong password' 7z.out"
check "entries are AES-256" "7z l -slt -p'Correct-Horse-Battery-9' $zip | grep -q 'Method = AES-256 Store'"
run certpress export-password C01234 --generate
check "--generate prints a new 24-character password once" "[ $rc = 0 ] && grep -qE '^[0-9A-Z]{24}\$' out"
write_config

# a centre number that would escape the exports folder is refused
rm spool/batches/$batch/packed.xml
cp spool/batches/$batch/assigned.xml assigned.keep
sed -i 's/<centre number="C01234"/<centre number="..\/..\/evil"/' spool/batches/$batch/assigned.xml
sql "update awards set centre = '../../evil'"
check_exit 65 "pack with a centre number holding a path" certpress-pack "$batch"
check "nothing was written outside the spool's folders" \
	"! find $SCRATCH -name '*evil*' | grep -q . && [ \$(ls spool/exports/$batch | wc -l) = 1 ]"
cp assigned.keep spool/batches/$batch/assigned.xml
sql "update awards set centre = 'C01234'"
check_exit 0 "pack once the data is right again" certpress-pack "$batch"

# a reprint ordered now goes into the next batch's print file, marked, once
orig=$(doc_ref Brontë transcript)
run certpress reprint "$orig" --reason 'damaged in the post'
new=$(head -1 out)
check "reprint makes the replacement's copies at once" \
	"[ $rc = 0 ] && qpdf --check spool/reprints/print/$new.pdf > /dev/null && qpdf --check spool/reprints/digital/$new.pdf > /dev/null"
check "the replacement carries its new reference and the learner's units" \
	"pdftotext spool/reprints/print/$new.pdf - | grep -q $new && pdftotext spool/reprints/print/$new.pdf - | grep -q 'Zoë Brontë'"
python3 "$TOP/bench/gen-results.py" 3 next.xml 5 > /dev/null
through_pack next.xml
b2=$batch
t2=spool/print/$b2/print-$b2.ticket.xml
check "the next batch's ticket lists the replacement, marked" \
	"grep -q \"<document reference=\\\"$new\\\" type=\\\"transcript\\\" stock=\\\"plain\\\" part=\\\"1\\\" first-page=\\\"12\\\" last-page=\\\"12\\\" replaces=\\\"$orig\\\"/>\" $t2 && contains $t2 'reprints=\"1\"'"
check "...and its print file ends with it" \
	"[ \$(qpdf --show-npages spool/print/$b2/print-$b2.pdf) = 12 ] && pdftotext -f 12 -l 12 spool/print/$b2/print-$b2.pdf - | grep -q $new"
check "the ticket with a reprint validates" "xmllint --noout --schema $TOP/config/ticket.xsd $t2"
# the zip is one centre's batch: a replacement (of any centre's learner)
# is never in it, nor in its manifest; its digital copy stays where reprint
# made it, for the operator to send (README, certpress-pack)
check "the replacement is in no zip or manifest of the batch that prints it" \
	"python3 -c 'import sys, zipfile
for z in sys.argv[2:]:
    with zipfile.ZipFile(z) as f:
        assert not [n for n in f.namelist() if sys.argv[1] in n], z
        assert sys.argv[1].encode() not in f.read(\"manifest.csv\"), z' $new spool/exports/$b2/*.zip"
check "...its digital copy stays in spool/reprints/digital/" "qpdf --check spool/reprints/digital/$new.pdf > /dev/null"
python3 "$TOP/bench/gen-results.py" 2 third.xml 6 > /dev/null
through_pack third.xml
check "a later batch does not print it again" "! grep -q $new spool/print/$batch/print-$batch.ticket.xml"
check "...and, with no documents of its own (duplicates), makes its centre no empty zip" \
	"grep -q '<end count=\"0\" documents=\"0\"' spool/batches/$batch/packed.xml &&
	 [ -z \"\$(ls spool/exports/$batch 2> /dev/null)\" ] &&
	 [ \$(sql \"select count(*) from exports where batch_id = '$batch'\") = 0 ]"
batch=$(sql "select batch_id from exports order by batch_id limit 1")

# retention: nothing before the expiry, the zip after it
check_exit 0 "sweep within the retention" certpress sweep
check "...keeps the zips" "[ -e $zip ] && [ \"\$(sql \"select group_concat(status) from exports\")\" = finished,finished ]"
CERTPRESS_NOW=$(( $(date +%s) + 25 * 3600 )) run certpress sweep
check "sweep after 25 hours deletes the zip" "[ $rc = 0 ] && [ ! -e $zip ] && contains out 'expired $batch C01234-$batch.zip'"
check "...and records them expired" "[ \"\$(sql \"select group_concat(status || (swept is not null)) from exports\")\" = expired1,expired1 ]"

# a document of several pages keeps its pages in order in the print file
rm -rf spool
make_key
through_pack "$FIX/results/render-edge.xml"
check "pack of the edge-case batch" "[ $rc = 0 ]"
t=spool/print/$batch/print-$batch.ticket.xml
pf=spool/print/$batch/print-$batch.pdf
sed -n 's/.*first-page="\([0-9]*\)" last-page="\([0-9]*\)".*/\1 \2/p' $t | awk '$2 > $1' > multi
bad=0
while read -r first last; do
	for ((pg = first; pg <= last; pg++)); do
		pdftotext -f "$pg" -l "$pg" "$pf" - 2> /dev/null | grep -q "Page $((pg - first + 1)) of $((last - first + 1))" ||
			bad=$((bad + 1))
	done
done < multi
check "a transcript of several pages is there, each page in its place" "[ -s multi ] && [ $bad = 0 ]"

done_testing
