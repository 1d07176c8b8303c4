#!/bin/bash
# Who did it: the commands that change a document's status record who
# (--by, else the login name) with the change, and the card shows it where
# the portals show "User" (show, verify, --json); a bad --by is refused.
. "$(dirname "$0")/lib.sh"
make_key
check_exit 0 "a batch" certpress run "$FIX/results/good.xml"
ref=$(doc_ref Winbery certificate)
orig=$(doc_ref Llywelyn certificate)

check_exit 0 "revoke --by" certpress revoke "$ref" --reason "entered in error" --by "Ops One"
run certpress show "$ref"
check "the card shows who revoked it" "grep -q '^changed by: *Ops One\$' out"
run certpress show --json "$ref"
check "...in --json too" \
	"python3 -c 'import json; assert json.load(open(\"out\"))[\"status_changed_by\"] == \"Ops One\"'"
check "...recorded with the change, its time and reason" \
	"[ \"\$(sql \"select action, changed_by, reason, changed_at = (select status_changed from documents where reference = '$ref') from changes\")\" = 'revoked|Ops One|entered in error|1' ]"

check_exit 0 "reprint without --by" certpress reprint "$orig" --reason "damaged in the post"
new=$(head -1 out)
run certpress verify "$orig"
check "the superseded original's card shows the login name" "grep -q \"^changed by: *\$(id -un)\$\" out"
check "...and the change says what replaced it" \
	"sql \"select reason from changes where reference = '$orig'\" | grep -q \"replaced by $new\""
run certpress show "$new"
check "a card nobody changed has no such line" "! grep -q '^changed by:' out"

check_exit 64 "revoke --by with a control character" certpress revoke "$new" --reason x --by "$(printf 'a\tb')"
check_exit 64 "revoke --by empty" certpress revoke "$new" --reason x --by ""
check "...nothing changed" "[ \$(sql 'select count(*) from changes') = 2 ] &&
	[ \"\$(sql \"select status from documents where reference = '$new'\")\" = valid ]"

done_testing
