#!/bin/bash
# Hostile and inconsistent confirmations from the printing house: each is
# refused with the file, the line and the reason, exit 65, and nothing at all
# is recorded (every print batch, consignment, document and order as before).
. "$(dirname "$0")/lib.sh"
make_key
sed -i "/^schemas/a centres = $FIX/centres.xml" certpress.conf
through_pack "$FIX/results/good.xml"
b1=$batch
t1=spool/print/$b1/print-$b1.ticket.xml
python3 "$TOP/bench/gen-results.py" 2 next.xml 5 > /dev/null
through_pack next.xml
b2=$batch
# two documents of the first print batch, one of the second
read -r r1 r2 <<< "$(sql "select reference from print_documents where print_batch_id = '$b1' order by position limit 2" | tr '\n' ' ')"
other=$(sql "select reference from print_documents where print_batch_id = '$b2' limit 1")
# a reference with good check characters the registry never gave
cert=$(doc_ref Llywelyn certificate)
run certpress order reprint "$cert" --reason lost --by ops1
unprinted=$(cat out)
run certpress revoke "$unprinted" --reason "ordered by mistake"
recorded() {
	sql "select * from print_batches; select * from print_batch_states;
	     select * from consignments; select * from print_documents;
	     select id, state, tracking from orders; select * from order_states;
	     select * from order_emails"
}
conf() { # NAME BODY...: a confirmation of the first print batch
	local name=$1
	shift
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo "<confirmation xmlns=\"urn:certpress:print-confirmation:1\" print-batch=\"$b1\">"
		printf '%s\n' "$@"
		echo '</confirmation>'
	} > "$name.xml"
}
doc() { # REF SERIAL [OUTCOME]
	echo "  <document reference=\"$1\" paper-serial=\"$2\" outcome=\"${3:-printed}\"/>"
}
recorded > before
# refused NAME LINE REASON: certpress printed NAME.xml exits 65 naming the
# line and the reason, and records nothing
refused() {
	run certpress printed "$1.xml"
	printf '%s\n' "$1.xml:$2: $3" > want
	check "$1: refused (exit 65) at line $2: $3" "[ $rc = 65 ] && grep -qFf want err"
	check "$1: nothing recorded" "recorded > after && cmp -s before after"
}

conf unknown "$(doc "$r1" S1)" "$(doc 12345678-01-ABCD S2)"
refused unknown 4 "unknown reference '12345678-01-ABCD'"
conf another "$(doc "$r1" S1)" "$(doc "$other" S2)"
refused another 4 "document '$other' is not in print batch $b1 (it is in print batch $b2)"
conf unprinted "$(doc "$unprinted" S1)"
refused unprinted 3 "document '$unprinted' is not in print batch $b1 (no print file carried it)"
conf twice "$(doc "$r1" S1)" "$(doc "$r2" S2)" "$(doc "$r1" S3)"
refused twice 5 "reference '$r1' is given twice (first on line 3)"
conf serial-twice "$(doc "$r1" S1)" "$(doc "$r2" S1)"
refused serial-twice 4 "paper serial 'S1' is given twice (first on line 3)"
conf no-consignment '  <consignment id="7" dispatched="2026-11-20" tracking="T1"/>'
refused no-consignment 3 "print batch $b1 has no consignment '7'"
conf undecided "$(doc "$r1" S1)" '  <consignment id="1" dispatched="2026-11-20" tracking="T1"/>'
refused undecided 4 "consignment '1' is dispatched, but $(( $(grep -c '<document ' $t1) - 1 )) of its documents are not confirmed printed or spoiled"
python3 "$TOP/tests/tools/confirm.py" "$t1" F --date 2026-12-25 > future.xml
refused future "$(grep -n '<consignment' future.xml | cut -d: -f1)" "dispatched is in the future"
sed "s/print-batch=\"$b1\"/print-batch=\"20000101-000000-001\"/" unknown.xml > no-batch.xml
refused no-batch 2 "print batch '20000101-000000-001' is unknown"
sed 's/urn:certpress:print-confirmation:1/urn:certpress:print-confirmation:2/' unknown.xml > namespace.xml
refused namespace 2 "not a valid confirmation"
sed 's/outcome="printed"/outcome="lost"/' another.xml > outcome.xml
refused outcome 3 "not a valid confirmation"
conf attribute "  <document reference=\"$r1\" paper-serial=\"S1\" outcome=\"printed\" extra=\"x\"/>"
refused attribute 3 "not a valid confirmation"
conf serial-newline "  <document reference=\"$r1\" paper-serial=\"S1&#10;x\" outcome=\"printed\"/>"
refused serial-newline 3 "not a valid confirmation"
head -c 200 another.xml > truncated.xml
refused truncated 3 "not well-formed XML"
cat > xxe.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE confirmation [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
<confirmation xmlns="urn:certpress:print-confirmation:1" print-batch="$b1">
  <document reference="$r1" paper-serial="&x;" outcome="printed"/>
</confirmation>
XML
refused xxe 2 "a DOCTYPE is not allowed"
check "xxe: no file's contents in the messages" "! contains err root:"
cat > laughs.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE c [ <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> ]>
<confirmation xmlns="urn:certpress:print-confirmation:1" print-batch="$b1"/>
XML
refused laughs 2 "a DOCTYPE is not allowed"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<confirmation xmlns="urn:certpress:print-confirmation:1" print-batch="%s">\xff</confirmation>\n' "$b1" > latin1.xml
refused latin1 2 "invalid UTF-8"
conf many "$(doc 12345678-01-ABCD S1)" "$(doc "$other" S2)" '  <consignment id="9" dispatched="2026-11-20" tracking="T"/>'
run certpress printed many.xml
check "every error of a file is reported, each with its line (exit 65)" \
	"[ $rc = 65 ] && contains err 'many.xml:3:' && contains err 'many.xml:4:' && contains err 'many.xml:5:' && contains err 'many.xml: 3 errors: nothing recorded'"
check "...and nothing recorded" "recorded > after && cmp -s before after"
check_exit 66 "a confirmation that is not there" certpress printed missing.xml
check_exit 64 "printed without a file" certpress printed
check "nothing recorded by any refusal" "recorded > after && cmp -s before after"

# Consistency across files: what is recorded is never changed by a later one.
conf good "$(doc "$r1" S1)" "$(doc "$r2" S2)"
check_exit 0 "a partial confirmation is taken" certpress printed good.xml
recorded > before
conf reserial "$(doc "$r1" S9)"
refused reserial 3 "document '$r1' was confirmed printed on paper serial 'S1' already"
conf respoil "$(doc "$r1" S1 spoiled)"
refused respoil 3 "document '$r1' was confirmed printed on paper serial 'S1' already"
r3=$(sql "select reference from print_documents where print_batch_id = '$b1' and outcome is null limit 1")
conf serial-used "$(doc "$r3" S2)"
refused serial-used 3 "paper serial 'S2' is recorded already for document '$r2' (print batch $b1)"
check_exit 0 "the same partial confirmation again changes nothing" certpress printed good.xml
check "...nothing at all" "recorded > after && cmp -s before after"
done_testing
