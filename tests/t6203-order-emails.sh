#!/bin/bash
# The emails of orders: one to the learner when an order is placed and one
# when it is dispatched, through notify's transport (a real aiosmtpd on
# 127.0.0.1) and its rules: each sent once, none again on a re-run, a
# server down leaves them queued for the next run. (Each has the centre's
# copy too, to exams@centre.example: t6204.)
. "$(dirname "$0")/lib.sh"
make_key
results_file r1.xml 1 "Centre One" <<'L'
ZZ0001|Ada|Lovelace|ada@example.org
ZZ0002|Bo|Nomail|
L
through_pack r1.xml
start_smtpd
ada=$(doc_ref Lovelace certificate)
bo=$(doc_ref Nomail certificate)
stored() { # how many messages the server stored for address $1
	grep -lix "$1" smtp/*.rcpt 2>/dev/null | wc -l
}
orderstate() {
	"$BIN/tests/tools/orderstate" spool/registry.sqlite "$@"
}

check_exit 0 "order a reprint" certpress order reprint "$ada" --reason lost --by ops1 --delivery courier
new=$(cat out)
check "stdout is the reference alone" "[ \$(wc -l < out) = 1 ] && [[ '$new' =~ ^[0-9]{8}-02- ]]"
check "the order's email was sent to the learner at once" "[ \$(stored ada@example.org) = 1 ]"
msg=$(grep -lix ada@example.org smtp/*.rcpt | head -1); msg=${msg%.rcpt}
check "it says the order is placed, its reference and how it is sent" \
	"grep -rqi 'order 1 is placed' smtp/ && grep -rq '$new' smtp/ && grep -rq 'courier' smtp/"
check "recorded sent with its Message-ID" \
	"[ \"\$(sql \"select status||' '||attempts||' '||recipient from order_emails where order_id = 1 and event = 'placed'\")\" = 'sent 1 ada@example.org' ] &&
	 [ -n \"\$(sql \"select message_id from order_emails where order_id = 1\")\" ]"
check_exit 0 "notify orders again" certpress-notify orders
check "sends nothing twice" "[ \$(stored ada@example.org) = 1 ] && contains out 'orders 0 sent'"
check_exit 65 "a second order refused" certpress order reprint "$new" --reason again --by ops1
check "sends no email" "[ \$(ls smtp/*.rcpt | wc -l) = 2 ]"

check_exit 0 "an order for a learner without an address" certpress order reprint "$bo" --reason lost --by ops1
check "is recorded not notifiable, nothing sent" \
	"[ \"\$(sql \"select status from order_emails where order_id = 2\")\" = not-notifiable ] && [ \$(stored ada@example.org) = 1 ] &&
	 [ \$(ls smtp/*.rcpt | wc -l) = 3 ]"

# Dispatched: the print loop's transitions (tests/tools/orderstate).
check "not dispatched before it is printed" "! orderstate 1 dispatched TRACK1"
check "printed? not before a print file took it" "! orderstate 1 printed"
results_file r2.xml 2 "Centre Two" <<'L'
ZZ0009|Cy|Other|
L
through_pack r2.xml
check "to be printed, then printed" "orderstate 1 printed && [ \"\$(sql 'select state from orders where id = 1')\" = printed ]"
check "dispatched with its tracking reference" \
	"orderstate 1 dispatched 'RM123456789GB' && [ \"\$(sql 'select state||\" \"||tracking from orders where id = 1')\" = 'dispatched RM123456789GB' ]"
check "the dispatch email is queued once" \
	"[ \"\$(sql \"select count(*)||' '||status from order_emails where order_id = 1 and event = 'dispatched'\")\" = '1 pending' ]"
stop_smtpd
mv smtp smtp-before # the next server numbers its messages from 1 again
check_exit 69 "notify orders with the server down" certpress-notify orders
check "the email waits, its attempt given back" \
	"[ \"\$(sql \"select status||' '||attempts from order_emails where order_id = 1 and event = 'dispatched'\")\" = 'deferred 0' ]"
start_smtpd
check_exit 0 "notify orders with the server back" certpress-notify orders
check "the dispatch email sent once, with the tracking reference" \
	"[ \$(stored ada@example.org) = 1 ] && grep -qi 'on its way' smtp/000001.eml && grep -q 'RM123456789GB' smtp/000001.eml &&
	 [ \"\$(sql \"select status||' '||attempts from order_emails where order_id = 1 and event = 'dispatched'\")\" = 'sent 1' ]"
check_exit 0 "and again" certpress-notify orders
check "nothing more" "[ \$(ls smtp/*.rcpt | wc -l) = 2 ] && contains out 'orders 0 sent'"
check "a dispatched order is closed: the document may be ordered again" \
	"certpress order reprint '$new' --reason again --by ops1 > /dev/null 2>&1"
check "...and that order's email goes once" "[ \$(stored ada@example.org) = 2 ]"
check "the history has every state" \
	"[ \"\$(sql \"select group_concat(state, ',') from (select state from order_states where order_id = 1 order by seq)\")\" = 'to-be-generated,to-be-printed,printed,dispatched' ]"
check "a spoiled print goes back to be printed" \
	"orderstate 3 printed; ! orderstate 3 spoiled; results_file r3.xml 3 'Centre Three' <<< 'ZZ0011|Di|Third|' && through_pack r3.xml && orderstate 3 spoiled && orderstate 3 to-be-printed && ! orderstate 3 dispatched"

done_testing
