#!/bin/bash
# verify, show, search, reprint and revoke on a packed batch (its documents
# issued; before that they are not-issued: t6005-verify-issued.sh).
. "$(dirname "$0")/lib.sh"
make_key
through_pack "$FIX/results/good.xml"

cert() { # the certificate of a learner, by last name
	sql "select d.reference from documents d join awards a on a.id = d.award_id
	     where a.last_name = '$1' and d.type = 'certificate' and d.issue = 1"
}
ref=$(cert Llywelyn)

check_exit 0 "verify a valid certificate" certpress verify "$ref"
check "says valid with the card" \
	"[ \"\$(head -1 out)\" = valid ] && contains out 'name:           Siân Llywelyn' &&
	 contains out 'enrolment:      AMS00009824702' && contains out 'candidate:      42231114' &&
	 contains out 'title:          Example Awards Level 2 Certificate in Vehicle Maintenance' &&
	 contains out 'grade:          Merit' && contains out 'awarded:        2026-11-01' &&
	 contains out 'issued:         2026-11-23' && contains out 'expires:        2029-11-01' &&
	 contains out 'centre:         C01234 Fanshaws College' && contains out 'document:       certificate'"
check "the card carries no date of birth" "! contains out 2004-03-02"

typed=$(echo "$ref" | tr 'A-Z' 'a-z' | tr -d - | sed 's/0/o/g; s/1/l/g')
check_exit 0 "verify accepts lower case, look-alikes and no hyphens ($typed)" certpress verify "$typed"

bad=$(echo "$ref" | sed 's/^\(.\)\(.\)/\2\1/')
[ "$bad" = "$ref" ] && bad=$(echo "$ref" | sed 's/-01-/-02-/')
check_exit 1 "a reference with wrong check characters" certpress verify "$bad"
check "is unknown" "[ \"\$(cat out)\" = unknown ]"
check_exit 1 "something that is no reference" certpress verify "not-a-ref"
# Without a registry at all, a wrong reference is still answered.
sed 's|^registry .*|registry = /proc/no/such/registry.sqlite|' certpress.conf > noreg.conf
CERTPRESS_CONF=$SCRATCH/noreg.conf run certpress verify "$bad"
check "unknown is answered without opening the registry" "[ $rc = 1 ] && [ \"\$(cat out)\" = unknown ]"
CERTPRESS_CONF=$SCRATCH/noreg.conf run certpress verify "$ref"
check "a well-made reference needs the registry" "[ $rc = 73 ]"

check_exit 0 "verify --json" certpress verify --json "$ref"
check "--json parses, with status and the card" \
	"python3 -c 'import json,sys; d=json.load(open(\"out\")); assert d[\"status\"]==\"valid\" and d[\"document\"][\"full_name\"]==\"Siân Llywelyn\" and d[\"document\"][\"qualification\"]==\"603/1465/5\" and \"dob\" not in d[\"document\"]'"

check_exit 0 "show" certpress show "$ref"
check "show prints the card" "contains out 'reference:      $ref' && contains out 'status:         valid'"
check_exit 1 "show an unknown reference" certpress show "$bad"
check_exit 0 "show --json" certpress show --json "$ref"
check "show --json parses" "python3 -c 'import json; assert json.load(open(\"out\"))[\"reference\"]==\"$ref\"'"

check_exit 0 "search by last name and date of birth" certpress search --last-name llywelyn --dob 2004-03-02
check "finds her three documents" "[ \$(wc -l < out) = 3 ] && contains out '$ref  certificate valid      42231114   Siân Llywelyn  Example Awards Level 2 Certificate in Vehicle Maintenance  C01234  2026-11-23'"
check_exit 0 "search by enrolment" certpress search --enrolment AMS00009824702
check "by enrolment: three documents" "[ \$(wc -l < out) = 3 ]"
check_exit 0 "search by first and last name in Greek" certpress search --first-name Γιώργος --last-name Παπαδόπουλος
check_exit 0 "search by candidate" certpress search --candidate 42231114
check_exit 0 "search by reference" certpress search --reference "$typed"
check "by reference: one document" "[ \$(wc -l < out) = 1 ]"
check_exit 1 "search that matches nothing" certpress search --last-name Nobody
check_exit 0 "search --json" certpress search --json --last-name Llywelyn
check "search --json is a list of cards" "python3 -c 'import json; assert len(json.load(open(\"out\")))==3'"
check_exit 64 "search --reference with a malformed reference" certpress search --reference 123

# Reprint: the next issue number, the original superseded.
check_exit 0 "reprint" certpress reprint "$ref" --reason "lost in the post"
new=$(cat out)
check "the replacement is issue 02 of the same serial" "[ \"\${new%-*}\" = \"\${ref%%-*}-02\" ]"
check_exit 1 "verify the original" certpress verify "$ref"
check "the original is superseded, naming its replacement" \
	"[ \"\$(head -1 out)\" = superseded ] && contains out \"replaced by $new: lost in the post\""
check_exit 1 "verify the replacement" certpress verify "$new"
check "...not issued until a print file carries it" "[ \"\$(head -1 out)\" = not-issued ]"
check "the replacement is queued for printing" \
	"[ \"\$(sql \"select original || ' ' || reason || ' ' || coalesce(print_batch_id, 'queued') from reprints\")\" = \"$ref lost in the post queued\" ]"
check_exit 65 "a superseded document is not reprinted again" certpress reprint "$ref" --reason again
check "says to reprint the latest issue" "contains err 'reprint its latest issue instead'"
check_exit 65 "no second duplicate while the first one's order is open" \
	certpress reprint "$new" --reason "damaged"
check "says which order is open (t6201-orders.sh)" "contains err 'order 1 ($new)'"

# Revoke.
other=$(cert Winbery)
check_exit 0 "revoke" certpress revoke "$other" --reason "malpractice found"
check_exit 1 "verify a revoked document" certpress verify "$other"
check "says revoked with the reason" "[ \"\$(head -1 out)\" = revoked ] && contains out 'malpractice found'"
check_exit 65 "a revoked document is not reprinted" certpress reprint "$other" --reason x
check_exit 0 "revoking again is harmless" certpress revoke "$other" --reason again
check "and says so" "contains err 'was revoked already'"
check_exit 66 "revoke an unknown reference" certpress revoke "$bad" --reason x
check_exit 64 "a reason with a control character" certpress revoke "$other" --reason "$(printf 'a\nb')"

# Expiry is derived from the date, not stored.
CERTPRESS_TODAY=2029-11-02 run certpress verify "$(doc_ref Llywelyn transcript)"
check "after its expiry date the document is expired" "[ $rc = 1 ] && [ \"\$(head -1 out)\" = expired ]"

# --- a revoke while notify runs -----------------------------------------
# notify makes each message from the statuses of the moment, and makes it
# again just before its content goes out: a revoke while the messages of
# a session wait their turn reaches every message not yet handed over (a
# document revoked is not listed; a learner left with none gets nothing).
# The body of a stored message, decoded (quoted-printable may split a line).
body() {
	/usr/bin/python3 -c 'import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
sys.stdout.write(m.get_payload(decode=True).decode())' "$1"
}
refs_of() { # last name: every document reference of that learner
	sql "select d.reference from documents d join awards a on a.id = d.award_id
	     where a.last_name = '$1' order by d.reference"
}
revoke_during() { # TRANSPORT-NAME FIRST-ENROLMENT: revoke Gamma's certificate and
	# all of Delta's documents, then checks (notify is stopped or slowed by the caller)
	run certpress revoke "$(cert Gamma$2)" --reason "revoked during notify"
	for r in $(refs_of Delta$2); do
		certpress revoke "$r" --reason "revoked during notify" 2>> revoke.err
	done
}
for how in file smtp; do
	n=$([ $how = file ] && echo 1 || echo 2)
	results_file rv$n.xml RVK-$n "Revoke Centre" <<LEARNERS
RV${n}0001|Ann|Alpha$n|ann$n@example.org
RV${n}0002|Bea|Beta$n|bea$n@example.org
RV${n}0003|Cy|Gamma$n|cy$n@example.org
RV${n}0004|Di|Delta$n|di$n@example.org
LEARNERS
	through_pack rv$n.xml
	rv=$batch
	check "$how: a packed batch of 4 learners" "[ $rc = 0 ]"
	gamma_cert=$(cert Gamma$n) gamma_other=$(refs_of Gamma$n | grep -v "$(cert Gamma$n)" | head -1)
	if [ $how = file ]; then
		# stopped as it writes the session's first message: all are made
		pause_at "rename:.RV${n}0001@example.org.eml" certpress-notify "$rv"
		check "$how: notify stopped at its first message, the others made" "[ \$? = 0 ]"
		revoke_during $how $n
		resume
		dir=spool/outbox
	else
		start_smtpd
		# the first message is stored, then its reply waits while the
		# revokes are made (five commands: far slower under valgrind,
		# where the session's timeout is made to allow for it)
		if [ "${CERTPRESS_VALGRIND:-}" = 1 ]; then
			sed -i '/^\[mail\]/a timeout = 300' certpress.conf
			echo 280 > smtp/hold-dot
		else
			echo 25 > smtp/hold-dot
		fi
		certpress-notify "$rv" > paused.out 2> paused.err &
		notify_pid=$!
		for _ in $(seq 200); do
			[ -e smtp/000001.eml ] && break
			sleep 0.05
		done
		check "$how: the server has the first message, its reply seconds away" "[ -e smtp/000001.eml ]"
		revoke_during $how $n
		rm smtp/hold-dot
		wait $notify_pid
		rc=$?
		stop_smtpd
		dir=smtp
	fi
	check "$how: notify finished (exit 0)" "[ $rc = 0 ]"
	check "$how: the revokes were made while the session was under way" \
		"[ \$(sql \"select count(*) from documents d join awards a on a.id = d.award_id
		   where a.last_name in ('Gamma$n', 'Delta$n') and d.status = 'revoked'
		   and d.status_reason = 'revoked during notify'\") = \$(( \$(refs_of Delta$n | wc -l) + 1 )) ]"
	gamma=$(grep -l "^To: .*cy$n@example.org" $dir/*.eml)
	check "$how: Gamma's email does not list the certificate revoked meanwhile" \
		"[ -n \"$gamma\" ] && body $gamma > gamma.txt && ! grep -q '$gamma_cert' gamma.txt"
	check "$how: ...and lists the documents still valid" "grep -q '$gamma_other' gamma.txt"
	check "$how: Delta, all documents revoked meanwhile, is sent nothing" \
		"! grep -l '^To: .*di$n@example.org' $dir/*.eml"
	check "$how: ...and is recorded not-notifiable: nothing valid to announce" \
		"[ \"\$(sql \"select status || ': ' || reply from notifications where batch_id = '$rv' and enrolment = 'RV${n}0004'\")\" = 'not-notifiable: no valid document to announce' ]"
	check "$how: the other two learners' emails list their certificates" \
		"body \$(grep -l '^To: .*ann$n@example.org' $dir/*.eml) | grep -q '$(cert Alpha$n)' &&
		 body \$(grep -l '^To: .*bea$n@example.org' $dir/*.eml) | grep -q '$(cert Beta$n)'"
done

done_testing
