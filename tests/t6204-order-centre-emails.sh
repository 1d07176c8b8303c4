#!/bin/bash
# The centre's emails of the print loop, through notify's transport (a real
# aiosmtpd on 127.0.0.1) and its exactly-once rules: its own copy when an
# order is placed and when it is dispatched, and a dispatch email when a
# run's consignment is dispatched (tracking, date, number of documents);
# each once, none on a re-run; the address from the centres register, else
# from the centre's latest results file; a centre with no address and one
# whose address the server refuses are recorded and shown, by centre number.
. "$(dirname "$0")/lib.sh"
make_key

# C05678 and C04444 have an address in the register (C04444's is refused
# by the server); C09999 and C05555 have none there, and only C05555's
# results files give one.
cat > centres.xml <<'X'
<?xml version="1.0" encoding="UTF-8"?>
<centres xmlns="urn:certpress:centres:1">
  <centre number="C05678" name="Centre One" email="officer@c05678.example">
    <address><line>Exams Office</line><line>1 One Street</line></address>
  </centre>
  <centre number="C09999" name="Centre Nine">
    <address><line>Exams Office</line><line>9 Nine Street</line></address>
  </centre>
  <centre number="C04444" name="Centre Four" email="refuse@c04444.example">
    <address><line>Exams Office</line><line>4 Four Street</line></address>
  </centre>
  <centre number="C05555" name="Centre Five">
    <address><line>Exams Office</line><line>5 Five Street</line></address>
  </centre>
  <centre number="C06666" name="Centre Six" email="six@c06666.example">
    <address><line>Exams Office</line><line>6 Six Street</line></address>
  </centre>
</centres>
X
sed -i "/^schemas/a centres = $SCRATCH/centres.xml" certpress.conf
# results_file for centre $4 with the centre's email $5 ("": none)
results_for() {
	results_file "$1" "$2" "$3"
	if [ -n "$5" ]; then
		sed -i "s|number=\"C05678\"|number=\"$4\"|; s|email=\"exams@centre.example\"|email=\"$5\"|" "$1"
	else
		sed -i "s|number=\"C05678\"|number=\"$4\"|; s| email=\"exams@centre.example\"||" "$1"
	fi
}
stored() { # how many messages the server stored for address $1
	grep -lix "$1" smtp/*.rcpt 2>/dev/null | wc -l
}
messages_to() { # the messages stored for address $1
	for f in $(grep -lix "$1" smtp/*.rcpt 2>/dev/null); do tr -d '\r' < "${f%.rcpt}.eml"; done
}
centre_email() { # status||' '||recipient of the centre's email of order $1, event $2
	sql "select status||' '||coalesce(recipient, '-') from centre_emails where order_id = $1 and event = '$2'"
}
confirm() {
	python3 "$TOP/tests/tools/confirm.py" "$@"
}
ticket_of() {
	echo "spool/print/$1/print-$1.ticket.xml"
}

start_smtpd
echo refuse@c04444.example > smtp/reject

# A run's consignment dispatched: the centre is told once.
results_for r1.xml 1 "Centre One" C05678 exams@centre.example <<'L'
ZZ0001|Ada|Lovelace|ada@example.org
ZZ0002|Ann|Second|ann@example.org
L
through_pack r1.xml
b1=$batch
cons1=$(sql "select id from consignments where print_batch_id = '$b1'")
docs1=$(sql "select count(*) from print_documents where print_batch_id = '$b1' and consignment_id = '$cons1'")
confirm "$(ticket_of $b1)" P1 > conf1.xml
check_exit 0 "printed: the run's consignment dispatched" certpress printed conf1.xml
check "the centre is emailed once, at the register's address" \
	"[ \$(stored officer@c05678.example) = 1 ] && [ \$(stored exams@centre.example) = 0 ]"
messages_to officer@c05678.example > dispatch1.eml
check "it names the print batch, the consignment, its date, tracking and documents" \
	"contains dispatch1.eml '$b1' && grep -qE '^ +Consignment: +$cons1\$' dispatch1.eml && contains dispatch1.eml '23 November 2026' &&
	 contains dispatch1.eml 'TRK-$cons1-P1' && grep -qE 'Documents: +$docs1\$' dispatch1.eml"
check "no learner's name or address in it" \
	"[ -s dispatch1.eml ] && ! grep -qE 'Lovelace|Ada|Ann|Second|ada@|ann@' dispatch1.eml"
check "recorded sent, once" \
	"[ \"\$(sql \"select count(*)||' '||status||' '||recipient from centre_emails where print_batch_id = '$b1'\")\" = '1 sent officer@c05678.example' ]"
check "print-batches: Email Status counts it" \
	"certpress print-batches > pb.txt && grep -E \"^$b1 .* 1 sent +certificate-run\$\" pb.txt"
check_exit 0 "the same confirmation again" certpress printed conf1.xml
check_exit 0 "and notify orders again" certpress-notify orders
check "sends nothing twice" "[ \$(stored officer@c05678.example) = 1 ] && contains out 'orders 0 sent'"

# The other centres' runs, packed before any order is placed (a pack takes
# the orders placed before it into its print file).
results_for r2.xml 2 "Centre Nine" C09999 "" <<'L'
ZZ0003|Bo|Nine|bo@example.org
L
through_pack r2.xml
b2=$batch
results_for r3.xml 3 "Centre Four" C04444 exams@c04444.example <<'L'
ZZ0004|Cy|Four|cy@example.org
L
through_pack r3.xml
results_for r4.xml 4 "Centre Five" C05555 old@c05555.example <<'L'
ZZ0005|Di|Five|di@example.org
L
through_pack r4.xml
results_for r5.xml 5 "Centre Five" C05555 new@c05555.example <<'L'
ZZ0006|Ed|Later|ed@example.org
L
through_pack r5.xml

# A run's consignment for a centre with no address anywhere.
confirm "$(ticket_of $b2)" P2 > conf2.xml
check_exit 0 "a consignment of a centre without an address dispatched" certpress printed conf2.xml
check "no email, recorded not notifiable, and print-batches says so" \
	"[ \"\$(sql \"select status from centre_emails where print_batch_id = '$b2'\")\" = not-notifiable ] &&
	 certpress print-batches > pb.txt && grep -E \"^$b2 .* 1 no address +certificate-run\$\" pb.txt"
check "a warning names the centre and the consignment" \
	"contains err \"centre 'C09999': no email address\" && contains err 'of print batch $b2'"

# Orders placed: the centre's own copy, once.
ada=$(doc_ref Lovelace certificate)
check_exit 0 "order a reprint" certpress order reprint "$ada" --reason lost --by ops1
new1=$(cat out)
check "the learner and the centre each get one email" \
	"[ \$(stored ada@example.org) = 1 ] && [ \$(stored officer@c05678.example) = 2 ]"
tr -d '\r' < $(grep -l 'centre-order-placed@' smtp/*.eml) > placed1.eml
check "the centre's says the order, its reference and the enrolment" \
	"grep -qE '^ +Order: +1\$' placed1.eml && contains placed1.eml '$new1' && grep -qE '^ +Enrolment: +ZZ0001\$' placed1.eml"
check "and not the learner's name or address" "[ -s placed1.eml ] && ! grep -qiE 'lovelace|ada@' placed1.eml"
check "recorded sent to the register's address" "[ \"\$(centre_email 1 placed)\" = 'sent officer@c05678.example' ]"
check_exit 0 "notify orders again" certpress-notify orders
check "sends nothing twice" \
	"[ \$(stored officer@c05678.example) = 2 ] && [ \$(stored ada@example.org) = 1 ] && contains out 'orders 0 sent'"

# A centre with no address anywhere: not emailed, and said so.
check_exit 0 "order for a learner of a centre without an address" \
	certpress order reprint "$(doc_ref Nine certificate)" --reason lost --by ops1
check "the learner is emailed, the centre is not" \
	"[ \$(stored bo@example.org) = 1 ] && [ \"\$(centre_email 2 placed)\" = 'not-notifiable -' ]"
check "a warning names the centre and the order" \
	"contains err \"centre 'C09999': no email address\" && contains err 'order 2 (placed)'"
check "orders --json shows it" \
	"certpress orders --json > orders.json &&
	 python3 -c 'import json,sys; o=[x for x in json.load(open(\"orders.json\")) if x[\"id\"]==2][0]; e={(m[\"to\"],m[\"event\"]):m for m in o[\"emails\"]}; sys.exit(not (e[(\"centre\",\"placed\")][\"status\"]==\"not-notifiable\" and \"no centre address\" in e[(\"centre\",\"placed\")][\"reply\"] and e[(\"learner\",\"placed\")][\"status\"]==\"sent\"))'"
# A centre whose address the server refuses: failed, named by centre number.
check_exit 0 "order for a learner of a centre whose address is refused" \
	certpress order reprint "$(doc_ref Four certificate)" --reason lost --by ops1
check "the learner is emailed; the centre's is refused, recorded failed with the reply" \
	"[ \$(stored cy@example.org) = 1 ] && [ \"\$(centre_email 3 placed)\" = 'failed refuse@c04444.example' ] &&
	 [ \"\$(sql \"select substr(reply, 1, 3) from centre_emails where order_id = 3\")\" = 550 ]"
check "the warning names the centre by number, and the order" \
	"grep -q \"centre 'C04444': order 3 (placed): refused by the server (550)\" err"
check "the register's address is used, not the results file's" \
	"[ \$(stored exams@c04444.example) = 0 ] && [ \"\$(sql 'select recipient from centre_emails where order_id = 3')\" = refuse@c04444.example ]"
check_exit 0 "notify orders again" certpress-notify orders
check "a refused email is not tried again" \
	"[ \"\$(sql \"select attempts from centre_emails where order_id = 3\")\" = 1 ] && contains out 'orders 0 sent'"

# No address in the register: the centre's latest results file's.
check_exit 0 "order for a learner of a centre the register gives no address" \
	certpress order reprint "$(doc_ref Five certificate)" --reason lost --by ops1
check "the centre is emailed at its latest results file's address" \
	"[ \"\$(centre_email 4 placed)\" = 'sent new@c05555.example' ] && [ \$(stored old@c05555.example) = 0 ]"

# The orders dispatched by the next print file's confirmation: the centre's
# copy once each, with the tracking reference; that run's consignment too
# (a centre of its own: a reprint to a centre joins its run's consignment).
results_for r6.xml 6 "Centre Six" C06666 exams@c06666.example <<'L'
ZZ0007|Fay|Six|fay@example.org
L
through_pack r6.xml
b6=$batch
check "the next print file takes the four orders" \
	"[ \"\$(sql \"select count(*) from orders where state = 'to-be-printed' and print_batch_id = '$b6'\")\" = 4 ]"
confirm "$(ticket_of $b6)" P6 > conf6.xml
check_exit 0 "printed: the orders and the run dispatched" certpress printed conf6.xml
track1=$(sql "select tracking from orders where id = 1")
check "each order's centre copy: sent, not notifiable, failed, sent" \
	"[ \"\$(centre_email 1 dispatched)\" = 'sent officer@c05678.example' ] &&
	 [ \"\$(centre_email 2 dispatched)\" = 'not-notifiable -' ] &&
	 [ \"\$(centre_email 3 dispatched)\" = 'failed refuse@c04444.example' ] &&
	 [ \"\$(centre_email 4 dispatched)\" = 'sent new@c05555.example' ]"
check "the centre's dispatch copy has the tracking reference" \
	"[ -n '$track1' ] && messages_to officer@c05678.example | grep -q '^Order 1, ' &&
	 messages_to officer@c05678.example | grep -q '$track1'"
check "the run's own consignment: one dispatch email to its centre" \
	"[ \"\$(sql \"select count(*)||' '||status||' '||recipient from centre_emails where print_batch_id = '$b6'\")\" = '1 sent six@c06666.example' ] &&
	 [ \$(stored six@c06666.example) = 1 ]"
check "the orders' consignments have none of their own (the order emails tell them)" \
	"[ \"\$(sql \"select count(*) from consignments where print_batch_id = '$b6'\")\" -gt 1 ] &&
	 [ \"\$(sql \"select count(*) from centre_emails where print_batch_id = '$b6'\")\" = 1 ]"
check "officer@: run 1, order 1 placed and dispatched: three" "[ \$(stored officer@c05678.example) = 3 ]"
check "print-batches: the emails of the print batch by state" \
	"certpress print-batches > pb.txt && grep -E \"^$b6 .* 7 sent, 1 failed, 1 no address +certificate-run\$\" pb.txt &&
	 certpress print-batches --json > pb.json &&
	 python3 -c 'import json,sys; b=[x for x in json.load(open(\"pb.json\")) if x[\"id\"]==\"$b6\"][0]; sys.exit(not (b[\"emails_sent\"]==7 and b[\"emails_failed\"]==1 and b[\"emails_not_notifiable\"]==1 and b[\"emails_to_send\"]==0))'"
ls smtp/*.rcpt > before
check_exit 0 "the same confirmation again" certpress printed conf6.xml
check_exit 0 "and notify orders again" certpress-notify orders
check "sends nothing more" \
	"ls smtp/*.rcpt > after && cmp -s before after && contains out 'orders 0 sent' && [ \$(stored officer@c05678.example) = 3 ]"
# A results file's centre address notify cannot use: failed without a send.
results_for r7.xml 7 "Centre Seven" C07070 exams@localhost <<'L'
ZZ0008|Gil|Seven|gil@example.org
L
through_pack r7.xml
check_exit 0 "order for a learner of a centre whose results file's address is unusable" \
	certpress order reprint "$(doc_ref Seven certificate)" --reason lost --by ops1
check "failed, not sent, and the error names the centre and where the address came from" \
	"[ \"\$(centre_email 5 placed)\" = 'failed -' ] && [ \$(stored exams@localhost) = 0 ] &&
	 contains err \"centre 'C07070': email address in its latest results file not usable\""

check "the batches finished (the nightly emails)" finish_batches
check_exit 0 "the invariants hold, each message stored once" \
	"$TOP/tests/tools/invariants" --once --smtp smtp spool

# The register is checked as it is read: an address notify cannot use.
sed -i 's|officer@c05678.example|officer@localhost|' centres.xml
check_exit 78 "an unusable address in the register" certpress-notify orders
check "is refused naming the file, line and centre" \
	"grep -qE \"centres.xml:[0-9]+: centre 'C05678': email address not usable\" err"

done_testing
