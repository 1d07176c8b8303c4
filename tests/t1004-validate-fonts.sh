#!/bin/bash
# A character no font can draw: validate rejects the learner (with the code
# point and line) and the batch goes on; a centre name that cannot be
# printed refuses the whole file; render, whose templates may have changed
# since, refuses only the learners it cannot print and withdraws their
# awards in the same transaction, so a corrected file is never refused as a
# duplicate of an award that was never issued.
. "$(dirname "$0")/lib.sh"

make_key
cp -r "$TOP/layouts" layouts
sed -i "s|^layouts *=.*|layouts = $SCRATCH/layouts|" certpress.conf

# --- validate: a learner's character no font has ------------------------
results_file first.xml FONT-1 "Font Centre" <<'LEARNERS'
FNT00001|Alison&#x1F600;|Winbery
FNT00002|Taro|&#x5C71;&#x7530;
FNT00003|&#x395;&#x3BB;&#x3AD;&#x3BD;&#x3B7;|Papadopoulou
FNT00004|Good|Learner
LEARNERS
run certpress run first.xml
first=$(sql "select id from batches order by id limit 1")
dir=spool/batches/$first
check "the batch is not blocked: run finishes (exit 0)" "[ $rc = 0 ] && [ -e $dir/notified.xml ]"
check "validate: the two learners no font can print are rejected, two accepted" \
	"[ \$(count_learners $dir/accepted.xml) = 2 ] && [ \$(count_learners $dir/rejected.xml) = 2 ]"
check "validate: the code point and the line (an emoji)" \
	"contains err \"first.xml:6: learner 'FNT00001': first name: character U+1F600 is in no glyph of font\""
check "validate: the code point and the line (a CJK name)" \
	"contains err \"first.xml:15: learner 'FNT00002': last name: character U+5C71 is in no glyph of font\" &&
	 contains $dir/rejected.xml 'last name: character U+5C71 is in no glyph of font'"
check "the others were rendered" \
	"[ \"\$(grep -c '<document ' $dir/rendered.xml)\" = 6 ]"

# The corrected file: the two rejected learners are certificated now; the
# two already issued are duplicates.
results_file second.xml FONT-2 "Font Centre" <<'LEARNERS'
FNT00001|Alison|Winbery
FNT00002|Taro|Yamada
FNT00003|&#x395;&#x3BB;&#x3AD;&#x3BD;&#x3B7;|Papadopoulou
FNT00004|Good|Learner
LEARNERS
run certpress run second.xml
second=$(sql "select id from batches order by id desc limit 1")
dir=spool/batches/$second
check "the corrected file: the two corrected learners accepted, not duplicates" \
	"[ $rc = 0 ] && [ \$(count_learners $dir/accepted.xml) = 2 ] &&
	 grep -q 'enrolment=\"FNT00001\"' $dir/accepted.xml && grep -q 'enrolment=\"FNT00002\"' $dir/accepted.xml"
check "the corrected file: the two issued before are duplicates" \
	"contains err \"second.xml:24: learner 'FNT00003': duplicate: qualification '603/1465/5' awarded on 2026-11-01 was certificated in batch $first\""

# --- validate: a centre name that cannot be printed -----------------------
# file | centre name | the reason the file is refused for (line 3)
mkdir -p spool/inbox
while IFS='|' read -r name centre reason; do
	echo "FNT00005|Ann|Other" | results_file "spool/inbox/$name.xml" "FONT-$name" "$centre"
	run certpress-validate "spool/inbox/$name.xml"
	b=$(last_batch)
	check "$name: the file is refused (exit 65): $reason" \
		"[ $rc = 65 ] && contains err '$name.xml:3: $reason'"
	check "$name: no learner named '(null)' or line 0" "! grep -q '(null)\|(line 0)' err"
	check "$name: the file moved to failed/ with its reason" \
		"[ -f spool/failed/$b-$name.xml ] && contains spool/failed/$b-$name.xml.reason '$name.xml:3: $reason'"
done <<'TABLE'
centre-lf|Font&#10;Centre|centre name contains a control character
centre-cjk|&#x5C71;&#x7530; College|centre name: character U+5C71 is in no glyph of font
centre-zwsp|Font&#x200B;Centre|centre name contains an invisible formatting character U+200B
centre-empty||centre name is empty
centre-mark|&#x301;|centre name has a combining mark U+0301 at the start of a word
centre-fffd|Font Centre &#xFFFD;|centre name contains U+FFFD REPLACEMENT CHARACTER
centre-vs16|Font Centre&#xFE0F;|centre name contains an invisible character U+FE0F
centre-digits|12345|centre name has no letter
TABLE

# --- render: the templates changed after validate -------------------------
# U+01C5 is in DejaVu Sans and Serif, not in DejaVu Sans Mono.
results_file third.xml FONT-6 "Font Centre" <<'LEARNERS'
FNT00011|&#x1C5;enan|Hodzic
FNT00012|Ann|Other
LEARNERS
validate_and_assign third.xml
third=$batch
check "validate and assign take both (the fonts have U+01C5)" \
	"[ \$(grep -c '<learner ' spool/batches/$third/assigned.xml) = 2 ]"
sed -i 's|DejaVuSans.ttf|DejaVuSansMono.ttf|' layouts/*.xml
run certpress-render "$third"
check "render refuses the learner it cannot print, not the batch (exit 0)" \
	"[ $rc = 0 ] && [ -e spool/batches/$third/rendered.xml ]"
check "render names the learner, line and code point" \
	"contains err \"learner 'FNT00011' (line 6): first name: character U+01C5 is in no glyph of font 'sans'\""
check "the refused learner's award and documents are withdrawn; the other's rendered" \
	"[ \"\$(sql \"select group_concat(enrolment) from awards where batch_id = '$third'\")\" = FNT00012 ] &&
	 [ \"\$(grep -c '<document ' spool/batches/$third/rendered.xml)\" = 3 ] &&
	 ! grep -q FNT00011 spool/batches/$third/rendered.xml"
check "render again does the same: nothing twice, nothing printed for the refused" \
	"rm spool/batches/$third/rendered.xml && certpress-render $third 2>/dev/null &&
	 [ \"\$(grep -c '<document ' spool/batches/$third/rendered.xml)\" = 3 ] &&
	 [ \$(ls spool/batches/$third/digital | wc -l) = 3 ]"
run certpress-pack "$third"
check "pack takes the rest" "[ $rc = 0 ]"
check "the certification report counts the learner render refused as rejected, not achieved" \
	"pdftotext spool/batches/$third/pack/certification-report.pdf - | tr -s ' ' |
	 grep -q 'Learners achieved 1 · held 0 · rejected 1'"
sed -i 's|DejaVuSansMono.ttf|DejaVuSans.ttf|' layouts/*.xml
results_file fourth.xml FONT-7 "Font Centre" <<'LEARNERS'
FNT00011|&#x1C5;enan|Hodzic
LEARNERS
run certpress-validate fourth.xml
check "the refused learner's corrected file is taken, not refused as a duplicate" \
	"[ $rc = 0 ] && [ \$(count_learners spool/batches/\$(last_batch)/accepted.xml) = 1 ]"

# A centre name render cannot print: every learner refused, no '(null)'.
results_file fifth.xml FONT-8 "&#x1C5; College" <<'LEARNERS'
FNT00021|Ann|First
FNT00022|Bob|Second
LEARNERS
validate_and_assign fifth.xml
fifth=$batch
sed -i 's|DejaVuSans.ttf|DejaVuSansMono.ttf|' layouts/*.xml
run certpress-render "$fifth"
check "render: a centre name no font has refuses every learner (exit 65)" \
	"[ $rc = 65 ] && contains err \"centre 'C05678': centre name: character U+01C5 is in no glyph of font 'sans'\""
check "render: the message names no '(null)' learner" "! grep -q '(null)\|(line 0)' err"
check "render: the batch's awards are withdrawn" \
	"[ \"\$(sql \"select count(*) from awards where batch_id = '$fifth'\")\" = 0 ]"
sed -i 's|DejaVuSansMono.ttf|DejaVuSans.ttf|' layouts/*.xml

done_testing
