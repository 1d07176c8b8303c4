#!/bin/bash
# One bad fixture per business rule: the file is usable (exit 0), the bad
# learner is rejected with the exact reason and line, the good one accepted.
. "$(dirname "$0")/lib.sh"

# Every run's messages, for the personal data check at the end.
: > all.err
runs=0
validate() {
	run certpress-validate "$@"
	cat err >> all.err
	runs=$((runs + 1))
}

# fixture | accepted | rejected | one expected message (after "FILE:")
while IFS='|' read -r name acc rej message; do
	[ -n "$name" ] || continue
	validate "$FIX/results/bad/$name.xml"
	check "$name: exit 0" "[ $rc = 0 ]"
	dir=spool/batches/$(last_batch)
	check "$name: $acc accepted, $rej rejected" \
		"[ \$(count_learners $dir/accepted.xml) = $acc ] && [ \$(count_learners $dir/rejected.xml) = $rej ]"
	check "$name: $message" "contains err \"$name.xml:$message\""
	reason=$(printf '%s' "$message" | sed "s/^[0-9]*: learner '[^']*': //")
	check "$name: the reason is in rejected.xml" "contains $dir/rejected.xml \"<text>$reason</text>\""
done <<'TABLE'
rule-verification|0|2|4: learner 'BAD00002': course run 'CR-BAD-1': verification outcome is 'referred', not 'confirmed'
rule-qualification-unknown|0|2|4: learner 'GOOD0001': course run 'CR-BAD-1': qualification '999/9999/9' is not in the catalogue
rule-qualification-closed|0|2|14: learner 'BAD00002': qualification '500/9999/9' is not open for awards on 2026-11-01 (open 2015-09-01 to 2024-08-31)
rule-run-dates|0|2|4: learner 'BAD00002': course run 'CR-BAD-1': ends before it starts
rule-unit-foreign|1|1|23: learner 'BAD00002': unit 'D/601/0001' is not part of qualification '603/1465/5'
rule-unit-mandatory|1|1|15: learner 'BAD00002': mandatory unit 'K/650/1234' is missing
rule-credits|1|1|15: learner 'BAD00002': 6 credits achieved, qualification '603/1465/5' needs 12
rule-grade|1|1|15: learner 'BAD00002': grade 'Excellent' is not one of: Pass Merit Distinction
rule-no-grade|1|1|15: learner 'BAD00002': achieved without a grade
rule-unit-grade|1|1|22: learner 'BAD00002': unit 'A/650/1237': grade 'Merit' is not one of: Pass
rule-unit-twice|1|1|23: learner 'BAD00002': unit 'M/650/1235' is listed twice
rule-awarded-future|1|1|15: learner 'BAD00002': award date 2027-01-05 is in the future
rule-awarded-before-start|1|1|15: learner 'BAD00002': award date 2025-12-01 is before the course run's start 2026-01-10
rule-awarded-invalid|1|1|15: learner 'BAD00002': award date '2026-11-31' is not a real date (YYYY-MM-DD)
rule-underage|1|1|15: learner 'BAD00002': under the minimum age of 16 for qualification '603/1465/5' on the award date
rule-dob-invalid|1|1|15: learner 'BAD00002': date of birth is not a real date (YYYY-MM-DD)
rule-dob-future|1|1|15: learner 'BAD00002': date of birth is in the future
rule-enrolment-twice|1|1|15: learner 'GOOD0001': enrolment 'GOOD0001' is used again (first at line 6)
rule-name-empty|1|1|15: learner 'BAD00002': first name is empty
rule-name-control|1|1|15: learner 'BAD00002': last name contains a control character
rule-name-bidi|1|1|15: learner 'BAD00002': last name contains a control character
rule-name-long|1|1|15: learner 'BAD00002': last name is longer than 100 characters
rule-email-two|1|1|15: learner 'BAD00002': email is not one plain address
rule-email-header|1|1|15: learner 'BAD00002': email is not one plain address
rule-email-space|1|1|15: learner 'BAD00002': email is not one plain address
TABLE

# Every reason that applies is reported, not only the first.
validate "$FIX/results/bad/rule-many.xml"
dir=spool/batches/$(last_batch)
check "rule-many: seven reasons for one learner" "[ \$(grep -c '<reason ' $dir/rejected.xml) = 7 ]"
for m in "15: learner 'BAD00002': first name is empty" \
	"15: learner 'BAD00002': date of birth is not a real date (YYYY-MM-DD)" \
	"15: learner 'BAD00002': email is not one plain address" \
	"15: learner 'BAD00002': grade 'Excellent' is not one of: Pass Merit Distinction" \
	"21: learner 'BAD00002': unit 'X/000/0000' is not part of qualification '603/1465/5'" \
	"15: learner 'BAD00002': mandatory unit 'K/650/1234' is missing" \
	"15: learner 'BAD00002': 0 credits achieved, qualification '603/1465/5' needs 12"; do
	check "rule-many: $m" "contains err \"rule-many.xml:$m\""
done
check "rule-many: the reasons keep their lines" "contains $dir/rejected.xml '<reason line=\"21\">'"

# The same award made in an earlier batch is a duplicate. Awards enter the
# registry at the assign stage: here one is recorded as that stage would.
validate "$FIX/results/good.xml"
first=$(last_batch)
sql "insert into awards (enrolment, qualification, awarded, qualification_title, level,
	candidate, first_name, last_name, dob, grade, centre, centre_name, course_run, batch_id)
	values ('AMS00009824701', '603/1465/5', '2026-11-01', 'Certificate', 2, '42231107',
	'Alison', 'Winbery', '1999-05-19', 'Pass', 'C01234', 'Fanshaws College', 'CR-2026-0042',
	'$first')"
sed 's/SUB-2026-11-20-0042/SUB-2026-11-21-0001/' "$FIX/results/good.xml" > again.xml
validate again.xml
dir=spool/batches/$(last_batch)
check "a resubmitted award is rejected as a duplicate" \
	"[ $rc = 0 ] && [ \$(count_learners $dir/accepted.xml) = 39 ] && [ \$(count_learners $dir/rejected.xml) = 1 ]"
check "the duplicate names the earlier batch" \
	"contains err \"again.xml:9: learner 'AMS00009824701': duplicate: qualification '603/1465/5' awarded on 2026-11-01 was certificated in batch $first\""

# Messages never carry a learner's name, date of birth or email address:
# any of those of any file validated here, in the messages of every run.
python3 "$TOP/tests/tools/personal.py" "$FIX"/results/bad/rule-*.xml "$FIX/results/good.xml" > personal
check "every run's messages were collected ($runs runs)" \
	"[ $runs -gt 25 ] && [ \$(grep -c \"^certpress-validate: warning: .*: learner '\" all.err) -ge $runs ]"
check "the fixtures' personal data is known ($(wc -l < personal) values)" \
	"grep -qxF Learner personal && grep -qxF 2000-02-02 personal && grep -qxF Alison personal"
check "no personal data in any message" "! grep -F -f personal all.err"

# --- the catalogue's titles: the name rule ---------------------------------
# A title is printed on every document of its qualification: one that shows
# nothing, or shows something other than its text, is the catalogue's fault
# (78, the title's own line), never a learner's.
# title (line 8: the qualification's; 14: unit M/650/1235's) | text | reason
n=0
while IFS='|' read -r line title reason; do
	[ -n "$line" ] || continue
	if [ "$line" = 8 ]; then
		old='Example Awards Level 2 Certificate in Vehicle Maintenance' who=''
	else
		old='Routine vehicle servicing' who="unit 'M/650/1235': "
	fi
	sed "s|<title>$old</title>|<title>${title//&/\\&}</title>|" "$FIX/catalogue.xml" > catalogue.xml
	sed "s|^catalogue *=.*|catalogue = $SCRATCH/catalogue.xml|" certpress.conf > title.conf
	n=$((n + 1))
	sed "s/SUB-2026-11-20-0042/SUB-2026-11-22-000$n/" "$FIX/results/good.xml" > title$n.xml
	run certpress-validate -c title.conf title$n.xml
	check "title '$title': refused (exit 78): $reason" \
		"[ $rc = 78 ] &&
		 contains err \"catalogue.xml:$line: qualification '603/1465/5': ${who}title $reason\""
done <<'TABLE'
8|&#x2800;&#x2800;|is empty
8|Level&#x2800;2 Certificate|contains an invisible character U+2800
8|&#x301;|has a combining mark U+0301 at the start of a word
8|Level 2&#x200B;Certificate|contains an invisible formatting character U+200B
8|Certificate in &#x202E;ecnanetniaM|contains a control character
8|Certificate &#xFFFD;|contains U+FFFD REPLACEMENT CHARACTER (text decoded with the wrong encoding somewhere before)
14|&#x2800;|is empty
14|Routine&#x2800;servicing|contains an invisible character U+2800
14|&#x301;|has a combining mark U+0301 at the start of a word
14|Routine&#x200B; servicing|contains an invisible formatting character U+200B
14|&#x202E;gnicivres|contains a control character
14|   |is empty
TABLE
sed 's|<title>Routine vehicle servicing</title>|<title>Routine \&#x5C71; servicing</title>|' \
	"$FIX/catalogue.xml" > catalogue.xml
sed "s/SUB-2026-11-20-0042/SUB-2026-11-23-0001/" "$FIX/results/good.xml" > title-font.xml
run certpress-validate -c title.conf title-font.xml
check "a unit title no font can draw: refused (exit 78) at the title's line" \
	"[ $rc = 78 ] && contains err \"catalogue.xml:14: qualification '603/1465/5': unit 'M/650/1235': title: character U+5C71 is in no glyph of font\""

done_testing
