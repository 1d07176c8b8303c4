#!/bin/bash
# The invariant checker (tests/tools/invariants) passes a batch certpress run
# finished, and fails, naming what and where, on each way that batch can be
# broken: a PDF, zip, print part or ticket not whole, a ticket's page
# ranges out of the print file's order, a temp file, a
# reference or serial reused, a learner twice or lost, a second email, a
# print batch's registry rows and its ticket apart, a print file of orders
# never finished, a copy in two print files.
. "$(dirname "$0")/lib.sh"
make_key
inv=$TOP/tests/tools/invariants

mkdir -p spool/inbox
results_file spool/inbox/small.xml 1 "Small Centre" <<'L'
E0001|Ada|Lovelace|ada@example.org
E0002|Alan|Turing|alan@example.org
E0003|Grace|Hopper|
L
start_smtpd
run certpress run
check "the run finishes (exit 0)" "[ $rc = 0 ]"
stop_smtpd
b=$(sql "select id from batches")
d=spool/batches/$b
run "$inv" --once --smtp smtp spool
check "the checker passes the finished batch" "[ $rc = 0 ] && grep -q '^invariants: ok: 1 batches, 9 documents' out"
mkdir pristine
cp -a spool smtp pristine/
ref=$(doc_ref Lovelace certificate)

# broken NAME TEXT CMD: a fresh copy of the finished spool broken by CMD
# (run there); the checker must fail and say TEXT (a fixed string).
broken() {
	local name=$1 text=$2
	shift 2
	rm -rf spool smtp
	cp -a pristine/spool pristine/smtp .
	(eval "$@") > /dev/null 2>&1
	run "$inv" --once --smtp smtp spool
	cp out "broken-$name.out"
	check "$name: the checker fails (exit 1) naming it" "[ $rc = 1 ] && contains out \"$text\""
}

broken "a digital copy cut short" "$d/digital/$ref.pdf: bytes or SHA-256 differ" \
	"truncate -s 2000 $d/digital/$ref.pdf"
broken "the same, recorded as cut (qpdf finds it)" "$d/digital/$ref.pdf: PDF is not whole" \
	"truncate -s 2000 $d/digital/$ref.pdf && python3 -c \"import re,sys,hashlib;p='$d/rendered.xml';s=open(p).read();h=hashlib.sha256(open('$d/digital/$ref.pdf','rb').read()).hexdigest();s=re.sub(r'(reference=\\\"$ref\\\".*?digital-bytes=\\\")\\d+(\\\" digital-sha256=\\\")[0-9a-f]+',lambda m:m.group(1)+'2000'+m.group(2)+h,s);open(p,'w').write(s)\""
broken "a temp file left" "$d/print/.$ref.pdf.cptmp.4242.1: temp file left behind" \
	"touch $d/print/.$ref.pdf.cptmp.4242.1; chmod 640 $d/print/.$ref.pdf.cptmp.4242.1"
broken "a PDF nobody listed" "$d/digital/00000000-01-XXXX.pdf: not listed in rendered.xml" \
	"cp $d/digital/$ref.pdf $d/digital/00000000-01-XXXX.pdf"
other=$(sql "select id from awards where last_name = 'Turing'")
serial=$(sql "select serial from documents where reference = '$ref'")
broken "a serial reused for another learner" "serial $(printf %08d $serial) reused" \
	"sql \"insert into documents (reference, serial, issue, award_id, type, issued) values ('$(printf %08d $serial)-02-ZZZZ', $serial, 2, $other, 'certificate', '2026-11-23')\""
broken "a document lost from the registry" "$ref: registry says None" \
	"sql \"delete from documents where reference = '$ref'\""
broken "a learner given documents twice (assigned.xml)" "learner E0001: 1 time(s) accepted, 2 time(s)" \
	"python3 -c \"import re;p='$d/assigned.xml';s=open(p).read();m=re.search(r' <learner [^>]*enrolment=\\\"E0001\\\".*?</learner>\\n',s,re.S);s=s.replace(m.group(0),m.group(0)*2);open(p,'w').write(s)\""
broken "a document printed twice (ticket)" "$ref printed twice" \
	"sed -i '/reference=\"$ref\"/p' spool/print/$b/print-$b.ticket.xml"
broken "a print part cut short" "print-$b.pdf: bytes or SHA-256 differ from the ticket" \
	"truncate -s 5000 spool/print/$b/print-$b.pdf"
broken "a ticket not valid against ticket.xsd" "not valid against ticket.xsd" \
	"sed -i 's/stock=\"certificate\" part=\"1\"/stock=\"gold\" part=\"1\"/' spool/print/$b/print-$b.ticket.xml"
# the first two documents' page ranges swapped in the ticket: each range
# in the print file, but the ticket's order no longer the pages' order
swap_pages() {
	python3 - "$1" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
r = re.findall(r'first-page="[0-9]+" last-page="[0-9]+"', s)
s = s.replace(r[0], '\0', 1).replace(r[1], r[0], 1).replace('\0', r[1], 1)
open(p, 'w').write(s)
PY
}
broken "a ticket's page ranges out of the print file's order" \
	"the ticket's page ranges are not the print file's pages in order" \
	"swap_pages spool/print/$b/print-$b.ticket.xml"
zip=$(ls spool/exports/$b/*.zip)
broken "a zip cut short" "zip differs from the SHA-256" "truncate -s 3000 $zip"
broken "a document missing from the zip" "$ref: 0 time(s) in the zip, once wanted" \
	"python3 -c \"import zipfile;a=zipfile.ZipFile('$zip');z=zipfile.ZipFile('x.zip','w');[z.writestr(i,a.read(i)) for i in a.infolist() if i.filename!='certificates/$ref.pdf'];z.close()\" && mv x.zip $zip && chmod 640 $zip"
broken "an export recorded finished without its zip" "export finished in the registry but its zip is missing" \
	"rm $zip"
broken "a stage attempt left running" "notify attempt 1 still recorded running" \
	"sql \"update stage_runs set outcome = 'running' where stage = 'notify'\""
broken "notified.xml and the registry disagree" "E0002: the file says ('sent', 1), the registry ('sent', 2)" \
	"sql \"update notifications set attempts = 2 where enrolment = 'E0002'\""
broken "a second email to a learner" "E0001: 2 copies of one message stored, at most 1 allowed" \
	"n=\$(grep -l '^Message-ID: <$b.E0001@' smtp/*.eml); cp \$n smtp/009999.eml; cp \${n%.eml}.rcpt smtp/009999.rcpt"
broken "an email recorded sent that never reached the server" "E0002: recorded sent, never stored" \
	"rm \$(grep -l '^Message-ID: <$b.E0002@' smtp/*.eml)"
broken "a file others may read" "$d/assigned.xml: mode 0644 is wider than 0640" \
	"chmod 644 $d/assigned.xml"
broken "a batch left unfinished" "batch is open, not done" \
	"rm $d/notified.xml; sql \"update batches set status = 'open'\""

# the documented window: a copy per recorded attempt passes without --once
rm -rf spool smtp
cp -a pristine/spool pristine/smtp .
n=$(grep -l "^Message-ID: <$b.E0001@" smtp/*.eml)
cp "$n" smtp/009999.eml
cp "${n%.eml}.rcpt" smtp/009999.rcpt
sql "update notifications set attempts = 2 where enrolment = 'E0001'"
sed -i 's/key="E0001" status="sent" attempts="1"/key="E0001" status="sent" attempts="2"/' "$d/notified.xml"
run "$inv" --smtp smtp spool
check "two copies after two recorded attempts are within the window" "[ $rc = 0 ]"
run "$inv" --once --smtp smtp spool
check "...and refused with --once" "[ $rc = 1 ]"

# the print loop (issue 18): the print batch, its consignments and its
# documents in the registry against its ticket
broken "a consignment lost from the registry" "consignment 1 is not in the registry" \
	"sql \"delete from consignments where print_batch_id = '$b'\""
broken "a document dropped from the print batch" "documents, the print batch records" \
	"sql \"delete from print_documents where reference = '$ref'\""
broken "a print batch printed with a document unconfirmed" "printed with documents not confirmed" \
	"sql \"update print_batches set state = 'printed' where id = '$b'\""
broken "a document confirmed without its paper serial" "$ref: outcome, paper serial and time not recorded together" \
	"sql \"update print_documents set outcome = 'printed' where reference = '$ref'\""

# Orders (issue 17) belong to a whole spool too: a reprint and a proof of
# qualification letter queued, their emails sent once, then a second batch's
# print file carrying both; the checker knows the orders' emails, and the
# letter's document, which no batch's assigned.xml lists.
rm -rf spool smtp
cp -a pristine/spool .
start_smtpd
for f in pristine/smtp/*.eml pristine/smtp/*.rcpt; do # the server numbers afresh
	cp -a "$f" "smtp/batch-${f##*/}"
done
run certpress order reprint "$ref" --reason "lost in the post" --by ops1
run certpress order letter E0001 --by ops1
letter=$(cat out)
run "$inv" --once --smtp smtp spool
cp out orders-queued.out
check "with a reprint and a letter queued and their emails sent, the checker passes" \
	"[ $rc = 0 ] && [ \$(grep -l '[.]order-placed@' smtp/*.eml | wc -l) = 2 ] &&
	 [ \$(grep -l '[.]centre-order-placed@' smtp/*.eml | wc -l) = 2 ]"
results_file spool/inbox/second.xml 2 "Second Centre" <<'L'
E0009|Ida|Second|ida@example.org
L
run certpress run
stop_smtpd
check "...a second batch's print file takes them" \
	"[ \$(sql \"select count(*) from orders where print_batch_id is not null\") = 2 ] &&
	 grep -q 'reference=\"$letter\"' spool/print/*/print-*.ticket.xml"
run "$inv" --once --smtp smtp spool
cp out orders-printed.out
check "...and then the checker passes" "[ $rc = 0 ]"

# A day's orders in their own print files (certpress print-orders): the
# checker passes them, and names one never finished and a copy in two
# print files.
mv smtp smtp-before
start_smtpd
for f in smtp-before/*.eml smtp-before/*.rcpt; do # the server numbers afresh
	cp -a "$f" "smtp/before-${f##*/}"
done
run certpress order reprint "$(doc_ref Lovelace transcript)" --reason damaged --by ops1
run certpress order letter E0002 --by ops1
run certpress print-orders --by ops1
stop_smtpd
check "print-orders makes a reprints and a letters print file" \
	"[ \$(ls -d spool/print/reprints-* spool/print/letters-* | wc -l) = 2 ]"
run "$inv" --once --smtp smtp spool
cp out orders-own.out
check "...and the checker passes" "[ $rc = 0 ] && contains out 'print batches'"
rm -rf pristine
mkdir pristine
cp -a spool smtp pristine/
pl=$(ls -d spool/print/letters-* | xargs basename)
broken "a print file of orders never finished" "[$pl] order_prints: a print file of orders never finished" \
	"sql \"update order_prints set done = null where id = '$pl'\""
broken "a copy in two print files" "in 2 print files ($b, $pl)" \
	"sed -i \"0,/<document /{/<document /{h;r /dev/stdin
}}\" spool/print/$b/print-$b.ticket.xml < <(grep '<document ' spool/print/$pl/print-$pl.ticket.xml | head -1)"

done_testing
