#!/bin/bash
# Who did it: the commands that change a document's status record who
# (--by, else the login name) with the change, and the card shows it where
# the portals show "User" (show, verify, --json); a bad --by is refused.
# So do export-password (shown by export-password --list) and sweep (shown
# by downloads).
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

# export-password and sweep record who too: --by, else the login name
me=$(logname 2> /dev/null || id -un)
check_exit 0 "export-password --by" certpress export-password C01234 --generate --by "Key Keeper"
check "...says who set it" "contains err 'set by Key Keeper'"
run certpress export-password C05678 <<< 'Another-Centre-Pass-1'
run certpress export-password --list
check "export-password --list shows who set each centre's, sealed" \
	"grep -qE '^C01234 +[0-9T:Z-]+ +Key Keeper +sealed\$' out && grep -qE \"^C05678 +[0-9T:Z-]+ +\$me +sealed\\\$\" out"
check "...and never a password" "! grep -q 'Another-Centre' out err"
check_exit 64 "export-password --by with a control character" \
	certpress export-password C01234 --generate --by "$(printf 'a\tb')"
check_exit 64 "export-password --list with a centre" certpress export-password --list C01234
check "...nothing changed" "[ \"\$(sql \"select set_by from zip_passwords where centre = 'C01234'\")\" = 'Key Keeper' ]"

t25=$(( $(date +%s) + 25 * 3600 ))
CERTPRESS_NOW=$t25 run certpress sweep --by "Sam Sweeper"
check "sweep --by expires the nightly zip (exit 0)" "[ $rc = 0 ] && grep -q '^expired ' out"
check "...recorded with who swept it" \
	"[ \"\$(sql \"select group_concat(distinct swept_by) from exports\")\" = 'Sam Sweeper' ]"
run certpress downloads --json
check "downloads --json shows swept_by" \
	"python3 -c 'import json; d = json.load(open(\"out\")); e = [x for x in d if x[\"status\"] == \"expired\"]; assert e and all(x[\"swept_by\"] == \"Sam Sweeper\" for x in e), d'"
run certpress downloads
check "...the text list a SWEPT BY column" \
	"head -1 out | grep -q ' CREATED BY .* SWEPT BY ' && grep ' Expired ' out | grep -q 'Sam Sweeper'"
b=$(sql "select batch_id from exports limit 1")
CERTPRESS_NOW=$t25 run certpress export --centre C01234 --batch "$b" --name later --by "Eve Exporter"
CERTPRESS_NOW=$(( t25 + 25 * 3600 )) run certpress sweep
check "sweep without --by records the login name" \
	"[ $rc = 0 ] && [ \"\$(sql \"select swept_by from downloads where file = 'later.zip'\")\" = '$me' ]"
check_exit 64 "sweep --by empty" certpress sweep --by ""

# the print batch a run's pack makes is the run's starter's (run --by), not
# the account's; a confirmation records who read it in (printed --by, else
# the login name) with each state it moves the print batch to
sed -i "/^schemas/a centres = $FIX/centres.xml" certpress.conf
sed 's/id="SUB-[^"]*"/id="SUB-WHO-P"/' "$FIX/results/good.xml" |
	sed 's/enrolment="\([A-Z]*\)0/enrolment="\1P/' > p.xml
check_exit 0 "run --by, with a print file" certpress run --by "Pat Packer" p.xml
bp=$(sql "select id from batches order by id desc limit 1")
pb_json() { # what of print batch $bp's --json: python on b
	certpress print-batches --json > pb.json &&
	python3 -c "import json; b = [x for x in json.load(open('pb.json')) if x['id'] == '$bp'][0]; $1"
}
check "print-batches: its print batch's user is the run's starter" \
	"pb_json 'assert b[\"user\"] == \"Pat Packer\", b'"
python3 "$TOP/tests/tools/confirm.py" "spool/print/$bp/print-$bp.ticket.xml" PW1 > conf.xml
check_exit 0 "printed --by" certpress printed --by "Paula Printer" conf.xml
check "...each state it moved the print batch to says who (print-batches --json)" \
	"pb_json 'assert [(h[\"state\"], h[\"by\"]) for h in b[\"history\"]] == [(\"sent-to-printer\", \"Pat Packer\"), (\"printed\", \"Paula Printer\"), (\"dispatched\", \"Paula Printer\"), (\"complete\", \"Paula Printer\")], b[\"history\"]'"
check_exit 64 "printed --by with a control character" certpress printed --by "$(printf 'a\rb')" conf.xml

done_testing
