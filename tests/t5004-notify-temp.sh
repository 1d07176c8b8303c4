#!/bin/bash
# Temp files a killed notify leaves are removed by the next attempt: in the
# batch folder (.notified.xml.cptmp.*) all of them, under the batch lock;
# in the outbox of the file: transport, shared with other batches' notify,
# only those whose writer (the pid in the name) is gone, never a live one's.
. "$(dirname "$0")/lib.sh"
make_key

through_pack "$FIX/results/good.xml"
check "packed" "[ $rc = 0 ]"
out=spool/outbox
dir=spool/batches/$batch
mkdir -p "$out"
notifiable=$(sql "select count(distinct enrolment) from awards where email is not null and email != ''")
temps() {
	find "$1" -maxdepth 1 -name '.*.cptmp.*' -printf '%f\n' | sort
}

# a writer that is alive (another batch's notify, say) and one that is dead
sleep 300 &
live=$!
trap 'kill $live 2>/dev/null' EXIT
sh -c 'exit 0' &
dead=$!
wait $dead
touch "$out/.20990101-000000-001.A1@example.org.eml.cptmp.$dead.0" \
      "$out/.20990101-000000-001.A2@example.org.eml.cptmp.$live.0" \
      "$out/.not-ours.eml.cptmp.x.0" \
      "$dir/.notified.xml.cptmp.$dead.0" "$dir/.notified.xml.cptmp.$live.1"
check_exit 0 "notify with temp files left in the outbox and the batch folder" certpress-notify "$batch"
check "the dead writer's temp is removed from the outbox" \
	"[ ! -e $out/.20990101-000000-001.A1@example.org.eml.cptmp.$dead.0 ]"
check "...a live writer's stays, and so does a name not made by certpress" \
	"[ -e $out/.20990101-000000-001.A2@example.org.eml.cptmp.$live.0 ] && [ -e $out/.not-ours.eml.cptmp.x.0 ]"
check "no temp is left in the batch folder (its lock is held)" "[ -z \"\$(temps $dir)\" ]"
check "one message per notifiable learner and the centre" "[ \$(ls $out/*.eml | wc -l) = $((notifiable + 1)) ]"
kill $live
wait $live 2>/dev/null
rm -f "$out"/.*.cptmp.*

# notify killed while it writes a message: the next attempt removes the
# temp and sends what was not recorded, each message once (the file name
# is the Message-ID, so a resent message replaces its copy)
sql "delete from notifications where batch_id = '$batch'"
rm -f "$dir/notified.xml" "$out"/*.eml
# (through bash -c, whose report of the kill goes to err)
CERTPRESS_CRASH=rename:3 bash -c '"$@"; exit $?' _ certpress-notify "$batch" > out 2> err
rc=$?
check "notify killed before its third message's rename" "[ $rc = 137 ] && [ -n \"\$(temps $out)\" ]"
check_exit 0 "notify again after the kill" certpress-notify "$batch"
check "...the killed writer's temp is gone" "[ -z \"\$(temps $out)\" ]"
check "...one message per notifiable learner and the centre" \
	"[ \$(ls $out/*.eml | wc -l) = $((notifiable + 1)) ] && [ \$(sql \"select count(*) from notifications where status = 'sent'\") = $((notifiable + 1)) ]"

# notify killed while it writes notified.xml
sql "delete from notifications where batch_id = '$batch'"
rm -f "$dir/notified.xml" "$out"/*.eml
CERTPRESS_CRASH=rename:$((notifiable + 2)) bash -c '"$@"; exit $?' _ certpress-notify "$batch" \
	> out 2> err
rc=$?
check "notify killed before notified.xml's rename" \
	"[ $rc = 137 ] && [ ! -e $dir/notified.xml ] && temps $dir | grep -q '^.notified.xml.cptmp.'"
check_exit 0 "notify again after the kill" certpress-notify "$batch"
check "...notified.xml is written and its temp gone" "[ -e $dir/notified.xml ] && [ -z \"\$(temps $dir)\" ]"
check "...no message written twice" "[ \$(ls $out/*.eml | wc -l) = $((notifiable + 1)) ] && [ -z \"\$(temps $out)\" ]"

done_testing
