#!/bin/bash
# certpress order reprint (and reprint, the same order for scripts): an order
# with who, when, why and how it is delivered, its states (to be generated,
# then to be printed once a print file takes it) and their history; one open
# duplicate per document; certpress orders with each filter.
. "$(dirname "$0")/lib.sh"
make_key
through_pack "$FIX/results/good.xml"
first_batch=$batch

cert=$(doc_ref Llywelyn certificate)
trans=$(doc_ref Llywelyn transcript)
other=$(doc_ref Winbery certificate)
order_sql() { # FIELDS WHERE
	sql "select $1 from orders where $2"
}

check_exit 64 "order reprint without --by" certpress order reprint "$cert" --reason lost
check_exit 64 "order reprint without --reason" certpress order reprint "$cert" --by ops1
check_exit 64 "a delivery method the portals do not offer" \
	certpress order reprint "$cert" --reason lost --by ops1 --delivery pigeon
check "names the methods" "contains err 'second-class-signed, first-class-signed, courier or collection'"
check_exit 64 "an order of no kind" certpress order frobnicate "$cert"
check "nothing was ordered by the refusals" "[ \$(sql 'select count(*) from orders') = 0 ]"

check_exit 0 "order a reprint" certpress order reprint "$cert" --reason "lost in the post" \
	--by ops1 --delivery courier --address "12 High Street, Leeds LS1 1AA"
new=$(cat out)
check "prints the replacement, the next issue of the serial" "[ \"\${new%-*}\" = \"\${cert%%-*}-02\" ]"
check "the order records who, why, how and where, to be generated" \
	"[ \"\$(order_sql \"kind||'|'||replaces||'|'||ordered_by||'|'||reason||'|'||delivery||'|'||address||'|'||state||'|'||enrolment||'|'||centre\" \"reference = '$new'\")\" = \
	 \"reprint|$cert|ops1|lost in the post|courier|12 High Street, Leeds LS1 1AA|to-be-generated|AMS00009824702|C01234\" ]"
check "its history holds the state it began in, with its time" \
	"[ \"\$(sql \"select s.seq||' '||s.state from order_states s join orders o on o.id = s.order_id where o.reference = '$new'\")\" = '1 to-be-generated' ] &&
	 [ -n \"\$(order_sql ordered \"reference = '$new'\")\" ]"
check "the original is superseded as before" \
	"[ \"\$(sql \"select status from documents where reference = '$cert'\")\" = superseded ]"
order1=$(order_sql id "reference = '$new'")

# One open duplicate per document: the same achievement again is refused,
# naming the order open for it, by either command.
check_exit 65 "a second order while the first is open" \
	certpress order reprint "$new" --reason "damaged" --by ops2
check "refused naming the open order" "contains err \"order $order1 ($new) for this document is still open\""
check_exit 65 "certpress reprint is the same order" certpress reprint "$new" --reason "damaged"
check "refused the same way" "contains err \"order $order1 ($new)\""
check "nothing more was ordered, no issue 03" \
	"[ \$(sql 'select count(*) from orders') = 1 ] && [ \$(sql \"select count(*) from documents where serial = (select serial from documents where reference = '$cert')\") = 2 ]"
check "nothing is left in the reprints folder by a refusal" \
	"[ \$(ls spool/reprints/print | wc -l) = 1 ]"

# Another document of the same learner is its own achievement.
check_exit 0 "certpress reprint of her transcript (--by: the login name)" \
	certpress reprint "$trans" --reason "name misspelt"
new_trans=$(cat out)
check "recorded as an order by the operator's login, second-class signed by default" \
	"[ \"\$(order_sql \"ordered_by||' '||delivery||' '||coalesce(address, 'centre')\" \"reference = '$new_trans'\")\" = \"\$(id -un) second-class-signed centre\" ]"
check_exit 0 "and a reprint for another learner" certpress order reprint "$other" \
	--reason damaged --by ops2 --delivery collection
new_other=$(cat out)

# A print file takes them: to be printed from then on.
results_file second.xml 2 "Second Centre" <<'L'
ZZ0001|Ada|Lovelace|ada@example.org
L
through_pack second.xml
second_batch=$batch
check "the next pack took the three reprints into its print file" \
	"[ \$(sql \"select count(*) from reprints where print_batch_id = '$second_batch'\") = 3 ]"
check "each order is to be printed, in the second batch's print file" \
	"[ \"\$(sql \"select group_concat(state||' '||print_batch_id, ',') from (select o.state, p.print_batch_id from orders o join reprints p on p.replacement = o.reference order by o.id)\")\" = \
	 \"to-be-printed $second_batch,to-be-printed $second_batch,to-be-printed $second_batch\" ]"
check "the history has both states in order" \
	"[ \"\$(sql \"select group_concat(state, ',') from (select state from order_states where order_id = $order1 order by seq)\")\" = 'to-be-generated,to-be-printed' ]"
run certpress-pack "$second_batch"
check "a pack again changes no order" \
	"[ \$(sql 'select count(*) from order_states') = 6 ]"
check_exit 65 "still open while to be printed" certpress order reprint "$new" --reason x --by ops1

# certpress orders: every filter, text and JSON.
check_exit 0 "orders" certpress orders
check "lists the three, oldest first, with reference, date, state, centre, award date, qualification" \
	"[ \$(wc -l < out) = 3 ] && head -1 out | grep -q \"^$order1  $new  2026-[0-9-]*  reprint to-be-printed  *C01234  2026-11-01  603/1465/5 Example Awards Level 2 Certificate in Vehicle Maintenance\$\""
json_ids() { # the ids of the orders listed as JSON in ./out
	python3 -c 'import json; print(" ".join(str(o["id"]) for o in json.load(open("out"))))'
}
ids=$(sql "select group_concat(id, ' ') from (select id from orders order by id)")
check_exit 0 "orders --json" certpress orders --json
check "--json lists every order with its fields and history" \
	"[ \"\$(json_ids)\" = '$ids' ] && python3 -c '
import json; o = json.load(open(\"out\"))[0]
assert o[\"kind\"] == \"reprint\" and o[\"reference\"] == \"$new\" and o[\"replaces\"] == \"$cert\"
assert o[\"ordered_by\"] == \"ops1\" and o[\"delivery\"] == \"courier\" and o[\"state\"] == \"to-be-printed\"
assert o[\"print_batch\"] == \"$second_batch\" and o[\"awarded\"] == \"2026-11-01\"
assert [h[\"state\"] for h in o[\"history\"]] == [\"to-be-generated\", \"to-be-printed\"]
assert all(h[\"at\"] for h in o[\"history\"])'"
check_exit 0 "orders --json --enrolment" certpress orders --json --enrolment AMS00009824702
check "--enrolment: her two orders" \
	"[ \"\$(json_ids)\" = \"\$(sql \"select group_concat(id, ' ') from orders where enrolment = 'AMS00009824702'\")\" ] && [ \$(python3 -c 'import json; print(len(json.load(open(\"out\"))))') = 2 ]"
check_exit 0 "orders --json --centre" certpress orders --json --centre C01234
check "--centre: the centre's three" "[ \"\$(json_ids)\" = '$ids' ]"
check_exit 0 "orders --json --centre with none" certpress orders --json --centre C05678
check "--centre with none: an empty list" "[ \"\$(json_ids)\" = '' ]"
check_exit 0 "orders --json --state to-be-printed" certpress orders --json --state to-be-printed
check "--state to-be-printed: all three" "[ \"\$(json_ids)\" = '$ids' ]"
check_exit 0 "orders --json --state to-be-generated" certpress orders --json --state to-be-generated
check "--state to-be-generated: none now" "[ \"\$(json_ids)\" = '' ]"
check_exit 0 "orders --json with every filter" certpress orders --json --enrolment AMS00009824702 \
	--centre C01234 --state to-be-printed
check "every filter applies" "[ \$(python3 -c 'import json; print(len(json.load(open(\"out\"))))') = 2 ]"
check_exit 64 "--state that is no state" certpress orders --state lost
check_exit 64 "orders takes no operand" certpress orders x

# A replacement says so, on the document and in the registry; a reprinted
# covering letter claims no enclosures. Laid out from the registry alone:
# the batch folder that made the awards is gone.
pdftotext spool/reprints/digital/$new.pdf cert.txt
check "the replacement certificate says it replaces its original" \
	"tr '\n' ' ' < cert.txt | grep -q \"Replacement certificate, issued 23 November 2026; replaces $cert\""
check "the original certificate's text is not a replacement's" \
	"pdftotext spool/batches/$first_batch/digital/$cert.pdf orig.txt && ! contains orig.txt Replacement"
pdftotext spool/reprints/digital/$new_trans.pdf trans.txt
check "so does the replacement transcript" \
	"tr '\n' ' ' < trans.txt | grep -q \"Replacement unit transcript, issued 23 November 2026; replaces $trans\""
check_exit 0 "show the replacement" certpress show "$new"
check "its card names what it replaces" "contains out 'replaces:       $cert'"
check_exit 0 "show --json" certpress show --json "$new"
check "and --json" "python3 -c 'import json; assert json.load(open(\"out\"))[\"replaces\"] == \"$cert\"'"
rm -rf "spool/batches/$first_batch"
letter=$(doc_ref Winbery letter)
check_exit 0 "reprint a covering letter with its batch folder deleted" \
	certpress order reprint "$letter" --reason "lost" --by ops1
new_letter=$(cat out)
pdftotext spool/reprints/digital/$new_letter.pdf letter.txt
tr '\n' ' ' < letter.txt > letter.flat
check "the reprinted letter says it replaces the original letter" \
	"contains letter.flat 'Replacement letter; replaces $letter' && contains letter.flat 'it encloses no other document'"
check "...and claims no enclosures" "! contains letter.flat 'are enclosed with this letter'"
check "...and still carries the learner's record from the registry" \
	"contains letter.flat 'Alison Jane Winbery' && contains letter.flat 'Fanshaws College' &&
	 contains letter.flat 'Example Awards Level 2 Certificate in Vehicle Maintenance' && contains letter.flat 'AMS00009824701'"
trans_w=$(doc_ref Winbery transcript)
check_exit 0 "reprint Winbery's transcript without the batch folder" \
	certpress order reprint "$trans_w" --reason "lost" --by ops1
pdftotext spool/reprints/digital/$(cat out).pdf transw.txt
check "its units are listed from the registry" \
	"contains transw.txt 'K/650/1234' && contains transw.txt 'Health and safety in the workshop' && contains transw.txt 'Routine vehicle servicing'"

# Laid out and protected as every digital copy is: signed (PDF/A-2b, [render]
# protection = sign by default), its SHA-256 recorded as it was written, so
# verify --file and the verification snapshot agree; the print copy is not
# signed; the original records who superseded it.
check_protected_copy "$new_letter" "spool/reprints/digital/$new_letter.pdf"
check "its print copy is not signed" "! pdfsig spool/reprints/print/$new_letter.pdf 2>&1 | grep -q 'Signature #1'"
check_exit 0 "show the superseded original" certpress show "$letter"
check "...changed by the one who ordered the reprint" "grep -q '^changed by: *ops1\$' out"

# A reprint ordered now waits to be generated, and --state finds it.
check_exit 0 "orders --state to-be-generated" certpress orders --state to-be-generated
check "finds the two ordered since the print file" "[ \$(wc -l < out) = 2 ] && ! contains out 'to-be-printed'"

done_testing
