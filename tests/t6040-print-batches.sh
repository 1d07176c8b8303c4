#!/bin/bash
# The print loop: each print file is a print batch (certpress print-batches,
# --json) that the printing house's confirmation (certpress printed FILE)
# moves from sent-to-printer to printed, dispatched and complete; the same
# confirmation twice changes nothing the second time; spoiled documents come
# back in the next print file with the same references; the orders of the
# documents follow (printed, spoiled and back to be printed, dispatched with
# the tracking reference and the learner's email).
. "$(dirname "$0")/lib.sh"
make_key
sed -i "/^schemas/a centres = $FIX/centres.xml" certpress.conf
confirm() { # TICKET PREFIX [OPTIONS]: the confirmation on stdout
	python3 "$TOP/tests/tools/confirm.py" "$@"
}
ticket_of() {
	echo "spool/print/$1/print-$1.ticket.xml"
}
pb_state() {
	sql "select state from print_batches where id = '$1'"
}
# what a confirmation records: compared before and after reading it again
recorded() {
	sql "select * from print_batches; select * from print_batch_states;
	     select * from consignments; select * from print_documents;
	     select id, state, state_changed, tracking from orders; select * from order_states;
	     select order_id, event, status from order_emails"
}

through_pack "$FIX/results/good.xml"
b1=$batch
t1=$(ticket_of $b1)
ndocs=$(grep -c '<document ' "$t1")
check_exit 0 "print-batches" certpress print-batches
check "lists the run's print file, sent to the printer, with its records and type" \
	"grep -E \"^$b1 +sent-to-printer +[0-9T:Z-]+ +- +$(id -un) +$ndocs +.* certificate-run\$\" out"
check "the portals' columns" "head -1 out | grep -qE '^id +status +started +finished +user +records +email status +type'"

# An order placed now goes into the next print file.
cert=$(doc_ref Llywelyn certificate)
run certpress order reprint "$cert" --reason "lost in the post" --by ops1 \
	--address "12 High Street, Leeds LS1 1AA" --delivery courier
new=$(cat out)
order=$(sql "select id from orders where reference = '$new'")

# Two of the run's certificates spoiled, the rest printed, the consignment dispatched.
s1=$(sql "select d.reference from print_documents p join documents d on d.reference = p.reference
	  where p.print_batch_id = '$b1' and d.type = 'certificate' and d.reference <> '$cert'
	  order by p.position limit 2" | tr '\n' ' ')
set -- $s1
spoiled1=$1 spoiled2=$2
confirm "$t1" SP1 --spoil "$spoiled1" --spoil "$spoiled2" > conf1.xml
check "the confirmation helper writes a valid confirmation" \
	"xmllint --noout --schema $TOP/config/confirmation.xsd conf1.xml"
check_exit 0 "printed: the first confirmation" certpress printed conf1.xml
check "says what it recorded" "contains out \"print batch $b1: $((ndocs - 2)) printed, 2 spoiled, 1 consignment dispatched, 0 recorded before; dispatched\""
check "each document has its outcome and paper serial" \
	"[ \"\$(sql \"select count(*) from print_documents where print_batch_id = '$b1' and outcome = 'printed' and paper_serial like 'SP1-%'\")\" = $((ndocs - 2)) ] &&
	 [ \"\$(sql \"select outcome from print_documents where reference = '$spoiled1'\")\" = spoiled ]"
check "the consignment is dispatched with its tracking reference" \
	"[ \"\$(sql \"select dispatched||' '||tracking from consignments where print_batch_id = '$b1'\")\" = '2026-11-23 TRK-1-SP1' ]"
check "dispatched, not complete: two of its documents are still to be printed again" \
	"[ \"\$(pb_state $b1)\" = dispatched ] &&
	 [ \"\$(sql \"select group_concat(state, ' ') from (select state from print_batch_states where print_batch_id = '$b1' order by seq)\")\" = 'sent-to-printer printed dispatched' ]"
recorded > before
check_exit 0 "the same confirmation again" certpress printed conf1.xml
check "changes nothing the second time" \
	"recorded > after && cmp -s before after && contains out '0 printed, 0 spoiled, 0 consignments dispatched, $((ndocs + 1)) recorded before'"
check "the order placed after the print file is not moved by it" \
	"[ \"\$(sql \"select state from orders where id = $order\")\" = to-be-generated ]"

# The next print file: the spoiled documents again, same references, and the order.
python3 "$TOP/bench/gen-results.py" 2 next.xml 5 > /dev/null
through_pack next.xml
b2=$batch
t2=$(ticket_of $b2)
check "the next ticket carries both spoiled documents, with the same references" \
	"contains $t2 \"reference=\\\"$spoiled1\\\"\" && contains $t2 \"reference=\\\"$spoiled2\\\"\""
check "...and their pages carry them" \
	"for r in $spoiled1 $spoiled2; do p=\$(sed -n \"s/.*reference=\\\"\$r\\\".*first-page=\\\"\\([0-9]*\\)\\\".*/\\1/p\" $t2); pdftotext -f \$p -l \$p spool/print/$b2/print-$b2.pdf - | grep -q \$r || exit 1; done"
check "the order is to be printed now" "[ \"\$(sql \"select state from orders where id = $order\")\" = to-be-printed ]"
check "the batch's centre is not in the register: its consignment held" \
	"grep -q '<consignment id=\"1\" centre=\"C09999\" delivery=\"second-class-signed\" address-unknown=\"true\"' $t2"
check_exit 0 "status" certpress status
check "status shows the held consignment, naming the centre" \
	"contains out \"consignment 1 of print batch $b2 held: centre 'C09999' is not in the centres register\""

# The order's document spoiled this time: back to be printed, same reference.
confirm "$t2" SP2 --spoil "$new" --skip-consignment 1 > conf2.xml
check_exit 0 "printed: the second print batch, the order's document spoiled" certpress printed conf2.xml
check "the order went spoiled, then back to be printed" \
	"[ \"\$(sql \"select group_concat(state, ' ') from (select state from order_states where order_id = $order order by seq)\")\" = 'to-be-generated to-be-printed spoiled to-be-printed' ]"
check "the first print batch is complete now: its spoiled documents were printed and dispatched" \
	"[ \"\$(pb_state $b1)\" = complete ] && [ -n \"\$(sql \"select finished from print_batches where id = '$b1'\")\" ]"
check "the second is printed: its held consignment is not dispatched" "[ \"\$(pb_state $b2)\" = printed ]"

# The register has the centre now; the third print file carries the order again.
sed 's|</centres>|  <centre number="C09999" name="Benchmark College"><address><line>1 Bench Road</line><line>Testing BT1 1AA</line></address></centre>\n</centres>|' \
	"$FIX/centres.xml" > centres.xml
sed -i "s|^centres = .*|centres = $SCRATCH/centres.xml|" certpress.conf
check_exit 0 "status once the register has the centre" certpress status
check "says the held consignment's address is known now" \
	"contains out \"centre 'C09999' is in the centres register now\""
confirm "$t2" SP2 --spoil "$new" > conf2b.xml
check_exit 0 "the second print batch's held consignment dispatched" certpress printed conf2b.xml
check "...is released with the register's address; dispatched, the order's document still to print" \
	"[ \"\$(sql \"select held||' '||address from consignments where print_batch_id = '$b2' and id = '1'\")\" = '0 1 Bench Road
Testing BT1 1AA' ] && [ \"\$(pb_state $b2)\" = dispatched ]"
python3 "$TOP/bench/gen-results.py" 1 third.xml 9 > /dev/null
through_pack third.xml
b3=$batch
t3=$(ticket_of $b3)
check "the third ticket prints the order again, same reference, to its own address by courier" \
	"confirm $t3 X --list | grep -qx \"[0-9]* $new\" &&
	 grep -A2 'delivery=\"courier\"' $t3 | grep -q '<line>12 High Street, Leeds LS1 1AA</line>'"
confirm "$t3" SP3 > conf3.xml
check_exit 0 "printed: the third" certpress printed conf3.xml
check "the order is printed, then dispatched with the tracking reference" \
	"[ \"\$(sql \"select group_concat(state, ' ') from (select state from order_states where order_id = $order order by seq)\")\" = 'to-be-generated to-be-printed spoiled to-be-printed printed dispatched' ] &&
	 [ \"\$(sql \"select tracking from orders where id = $order\")\" = \"\$(sql \"select c.tracking from consignments c join print_documents p on p.print_batch_id = c.print_batch_id and p.consignment_id = c.id where p.reference = '$new' and p.outcome = 'printed'\")\" ]"
check "the second print batch is complete now" "[ \"\$(pb_state $b2)\" = complete ]"
check "its dispatch email was queued and handed on" \
	"[ \"\$(sql \"select status from order_emails where order_id = $order and event = 'dispatched'\")\" != '' ] &&
	 [ \"\$(sql \"select status from order_emails where order_id = $order and event = 'dispatched'\")\" != pending ]"
check "the paper serial shows on the document card" \
	"certpress show $new > card && grep -q '^paper serial: *SP3-' card"

# The verification page says which security paper the document was printed
# on (certpress publish's snapshot, served by certpress-verifyd).
run certpress keygen --publish
check_exit 0 "publish the snapshot" certpress publish snap
# certpress-verifyd refuses to run as root: as root, it runs as nobody on a
# copy of what it reads in a folder nobody may read
vdir=$(mktemp -d /tmp/cp-t6040.XXXXXX)
trap 'kill $verifyd 2> /dev/null; rm -rf "$vdir"' EXIT
cp -r snap keys/publish.pub keys/reference.key "$vdir/"
printf '[certpress]\nverify-url = https://verify.example.org/v/\nkey-file = %s/reference.key\n[verify]\nsnapshot = %s/snap\npublic-key = %s/publish.pub\n' \
	"$vdir" "$vdir" "$vdir" > "$vdir/verifyd.conf"
chmod -R a+rX "$vdir"
chmod 600 "$vdir/reference.key"
as=
if [ "$(id -u)" = 0 ]; then
	as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	chown 65534 "$vdir/reference.key"
fi
$as "$BIN/certpress-verifyd" -c "$vdir/verifyd.conf" --listen 127.0.0.1:0 > verifyd.out 2> verifyd.err &
verifyd=$!
for _ in $(seq 100); do grep -q 'listening on' verifyd.err && break; sleep 0.05; done
addr=$(sed -n 's/.*listening on \([0-9.:]*\).*/\1/p' verifyd.err | head -1)
serial=$(sql "select paper_serial from print_documents where reference = '$new' and outcome = 'printed'")
check "the verification page shows the paper serial it was printed on" \
	"curl -sf http://$addr/v/$new > page.html && grep -q \"<dd id=\\\"paper-serial\\\">$serial</dd>\" page.html"
good=$(sql "select paper_serial from print_documents where reference = '$spoiled1' and outcome = 'printed'")
check "...a document spoiled once, the sheet it was printed on, not the spoiled one" \
	"curl -sf http://$addr/v/$spoiled1 > page2.html && [[ '$good' = SP2-* ]] &&
	 grep -q \"<dd id=\\\"paper-serial\\\">$good</dd>\" page2.html"
kill $verifyd 2> /dev/null
wait $verifyd 2> /dev/null
rm -rf "$vdir"
trap - EXIT

check_exit 0 "print-batches --json" certpress print-batches --json
check "--json parses, each print batch with its states in order" \
	"python3 -c '
import json, sys
b = {x[\"id\"]: x for x in json.load(open(\"out\"))}
assert [h[\"state\"] for h in b[\"$b1\"][\"history\"]] == [\"sent-to-printer\", \"printed\", \"dispatched\", \"complete\"], b[\"$b1\"]
assert b[\"$b1\"][\"spoiled\"] == 2 and b[\"$b1\"][\"records\"] == $ndocs
assert b[\"$b3\"][\"state\"] == \"complete\" and b[\"$b2\"][\"type\"] == \"certificate-run\"
assert all(x[\"user\"] for x in b.values())
'"
done_testing
