#!/bin/bash
# certpress order letter ENROLMENT: a proof of qualification letter listing
# every award the registry holds for the learner, laid out from the
# registry alone (the batch folders are deleted first), its own document
# type and reference, verifiable, an order to be generated and then to be
# printed once a print file takes it.
. "$(dirname "$0")/lib.sh"
make_key

# Three awards of one learner from three results files (an enrolment is
# unique within a file), each with another award date.
for n in 1 2 3; do
	results_file r$n.xml $n "Centre $n" <<L
ZZ0001|Ada|Lovelace|ada@example.org
ZZ000$((n + 1))|Bo|Other$n|
L
	sed -i "s/awarded=\"2026-11-01\"/awarded=\"2026-11-0$n\"/" r$n.xml
	through_pack r$n.xml
	batches[n]=$batch
done
check "three awards of ZZ0001 on record" \
	"[ \$(sql \"select count(*) from awards where enrolment = 'ZZ0001'\") = 3 ]"
certs=$(sql "select d.reference from documents d join awards a on a.id = d.award_id
	     where a.enrolment = 'ZZ0001' and d.type = 'certificate' order by a.awarded")
first_cert=$(echo "$certs" | head -1)
# One revoked: the award stays listed by its other documents, without it.
revoked=$(sql "select d.reference from documents d join awards a on a.id = d.award_id
	       where a.enrolment = 'ZZ0001' and d.type = 'certificate' and a.awarded = '2026-11-02'")
run certpress revoke "$revoked" --reason "issued in error"
rm -rf spool/batches/${batches[1]} spool/batches/${batches[2]}

check_exit 64 "order letter without --by" certpress order letter ZZ0001
check_exit 64 "an enrolment that is none" certpress order letter "ZZ 0001" --by ops1
check_exit 66 "an enrolment with no award" certpress order letter NOBODY1 --by ops1
check "says so" "contains err \"enrolment 'NOBODY1': no award with a valid document is on record\""
check "nothing was ordered by the refusals" "[ \$(sql 'select count(*) from orders') = 0 ]"

check_exit 0 "order a proof of qualification letter, the first batches' folders deleted" \
	certpress order letter ZZ0001 --by ops1 --reason "employer asked" --delivery first-class-signed
letter=$(cat out)
check "prints its own reference, issue 01" "[[ '$letter' =~ ^[0-9]{8}-01-[0-9A-Z]{4}$ ]]"
check "a document of its own type" \
	"[ \"\$(sql \"select type||' '||template||' '||issue||' '||coalesce(batch_id, '-') from documents where reference = '$letter'\")\" = 'proof-letter proof-letter 1 -' ]"
check "it lists the learner's three awards" \
	"[ \"\$(sql \"select group_concat(a.awarded, ',') from (select a.awarded from letter_awards l join awards a on a.id = l.award_id where l.reference = '$letter' order by l.position) a\")\" = '2026-11-01,2026-11-02,2026-11-03' ]"
check "an order of kind letter, to be generated" \
	"[ \"\$(sql \"select kind||' '||ordered_by||' '||reason||' '||delivery||' '||state||' '||enrolment from orders where reference = '$letter'\")\" = 'letter ops1 employer asked first-class-signed to-be-generated ZZ0001' ]"

check "the learner is emailed the order once (file: transport)" \
	"[ \$(grep -l \"$letter\" spool/outbox/*.order-placed@*.eml | wc -l) = 1 ] &&
	 grep -l \"$letter\" spool/outbox/*.order-placed@*.eml | xargs grep -q 'Proof of qualification letter, reference'"
check "...and the centre its copy, once" \
	"[ \$(grep -l \"$letter\" spool/outbox/*.centre-order-placed@*.eml | wc -l) = 1 ]"
pdf=spool/reprints/digital/$letter.pdf
check "its digital and print copies are in the reprints folder" "[ -s $pdf ] && [ -s spool/reprints/print/$letter.pdf ] && qpdf --check $pdf > /dev/null"
pdftotext -layout "$pdf" letter.txt
tr -s ' \n' ' ' < letter.txt > letter.flat
check "the letter names the learner and says what it is" \
	"contains letter.flat 'Ada Lovelace' && contains letter.flat 'Proof of qualification' && contains letter.flat 'ZZ0001' && contains letter.flat 'all achievement held on record'"
check "it lists the three awards with date, centre, grade and qualification" \
	"contains letter.flat '2026-11-01' && contains letter.flat '2026-11-02' && contains letter.flat '2026-11-03' &&
	 contains letter.flat 'Centre 1' && contains letter.flat 'Centre 2' && contains letter.flat 'Centre 3' &&
	 [ \$(grep -o '603/1465/5' letter.txt | wc -l) = 3 ]"
check "each award's valid documents' references, the revoked one left out" \
	"for r in \$(sql \"select d.reference from documents d join awards a on a.id = d.award_id where a.enrolment = 'ZZ0001' and d.status = 'valid' and d.type != 'proof-letter'\"); do grep -q \"\$r\" letter.txt || exit 1; done && ! grep -q '$revoked' letter.txt"
check "carries its own reference and a QR code of its verification URL" \
	"contains letter.flat '$letter' && pdftoppm -r 150 -png $pdf qr && zbarimg -q --raw qr-1.png | grep -qx 'https://verify.example.org/v/$letter'"
check "no other learner is in it" "! contains letter.flat Other"

check_protected_copy "$letter" "$pdf"
check_exit 1 "verify: not issued until a print file carries it" certpress verify "$letter"
check "says not-issued, a proof of qualification letter" \
	"[ \"\$(head -1 out)\" = not-issued ] && contains out 'document:       proof-letter'"

# The next print file takes it: to be printed, then verifiable as valid.
results_file r4.xml 4 "Centre 4" <<'L'
ZZ0009|Cy|Fourth|
L
through_pack r4.xml
check "the next pack printed the letter" \
	"grep -q \"reference=\\\"$letter\\\" type=\\\"proof-letter\\\"\" spool/print/$batch/print-$batch.ticket.xml &&
	 pdftotext spool/print/$batch/print-$batch.pdf print.txt && contains print.txt '$letter'"
check "the ticket with a letter validates against config/ticket.xsd (the printer's schema)" \
	"xmllint --noout --schema $TOP/config/ticket.xsd spool/print/$batch/print-$batch.ticket.xml"
check "the order is to be printed, in that batch's print file" \
	"[ \"\$(sql \"select state||' '||print_batch_id from orders where reference = '$letter'\")\" = \"to-be-printed $batch\" ]"
check_exit 0 "verify the letter" certpress verify "$letter"
check "valid, its card the learner's and no single award's" \
	"[ \"\$(head -1 out)\" = valid ] && contains out 'title:          Proof of qualification: every award on record' &&
	 contains out 'name:           Ada Lovelace' && ! contains out 'grade:' && ! contains out 'awarded:'"
check_exit 0 "orders --enrolment lists it" certpress orders --json --enrolment ZZ0001
check "as a letter, to be printed" \
	"python3 -c 'import json; o = json.load(open(\"out\")); assert [(x[\"kind\"], x[\"reference\"], x[\"state\"]) for x in o] == [(\"letter\", \"$letter\", \"to-be-printed\")]'"
check_exit 65 "no second letter while the first one's order is open" \
	certpress order letter ZZ0001 --by ops2
check "refused naming the open order" "contains err \"order 1 ($letter) for this document is still open\""
# Once it is dispatched (the print loop's state, set here by hand), the next
# letter is the next issue of the same serial and supersedes it.
sql "update orders set state = 'dispatched' where reference = '$letter'"
check_exit 0 "a letter after the first was dispatched" certpress order letter ZZ0001 --by ops2
second=$(cat out)
check "the next issue of its serial, the first superseded by it" \
	"[ \"\${second%-*}\" = \"\${letter%%-*}-02\" ] &&
	 [ \"\$(sql \"select status||' '||status_reason from documents where reference = '$letter'\")\" = \"superseded replaced by \$second: a new proof of qualification letter\" ] &&
	 [ \"\$(sql \"select replaces from orders where reference = '\$second'\")\" = '$letter' ]"
check "it is printed once, as the replacement of the first" \
	"results_file r5.xml 5 'Centre 5' <<< 'ZZ0010|Di|Fifth|' && through_pack r5.xml &&
	 [ \$(grep -c \"reference=\\\"\$second\\\"\" spool/print/\$batch/print-\$batch.ticket.xml) = 1 ] &&
	 grep -q \"reference=\\\"\$second\\\" .*replaces=\\\"$letter\\\"\" spool/print/\$batch/print-\$batch.ticket.xml"
check_exit 65 "a letter is not reprinted: a new one is ordered" certpress order reprint "$letter" --reason x --by ops1

# The verification snapshot holds the letters with every other document.
run certpress keygen --publish
check_exit 0 "publish with letters in the registry" certpress publish snap
check "every document is published, the letters too" \
	"contains err \"published \$(sql 'select count(*) from documents') documents\""

done_testing
