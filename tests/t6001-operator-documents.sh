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
check "finds her three documents" "[ \$(wc -l < out) = 3 ] && contains out '$ref  certificate valid      Siân Llywelyn  603/1465/5  2026-11-01'"
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

done_testing
