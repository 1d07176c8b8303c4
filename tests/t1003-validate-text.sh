#!/bin/bash
# Text values read whole and names that can be printed: every value is the
# whole of its text, CDATA sections and character references (results file,
# catalogue, templates, the batch's own files); a name holds at least one
# letter, is trimmed of every kind of outer white space, and carries no
# invisible or formatting character (validate's rule in the README).
. "$(dirname "$0")/lib.sh"

make_key

# --- every text value whole -------------------------------------------

# The catalogue's titles and a template's text, each split by CDATA and
# character references too.
sed -e 's|<title>Example Awards Level 2 Certificate in Vehicle Maintenance</title>|<title>Example Awards <![CDATA[Level 2]]> Certificate in \&#x56;ehicle <![CDATA[Maint]]>enance</title>|' \
	-e 's|<title>Routine vehicle servicing</title>|<title><![CDATA[Routine]]> vehicle servicing</title>|' \
	"$FIX/catalogue.xml" > catalogue.xml
cp -r "$TOP/layouts" layouts
sed -i 's|>This is to certify that<|>This is <![CDATA[to certify]]> th\&#x61;t<|' layouts/certificate.xml
sed -i -e "s|^catalogue *=.*|catalogue = $SCRATCH/catalogue.xml|" \
	-e "s|^layouts *=.*|layouts = $SCRATCH/layouts|" certpress.conf

results_file whole.xml TEXT-1 "Text Centre" <<'LEARNERS'
TXT00001|Ali<![CDATA[son]]>|W<![CDATA[in]]>b&#x65;r<![CDATA[y]]>|<![CDATA[alison.w@example.org]]>
TXT00002|Si&#xE2;n|<![CDATA[O'Brien & Sons]]>|si<![CDATA[an]]>&#x40;example.org
LEARNERS
run certpress run whole.xml
batch=$(sql "select id from batches order by id desc limit 1")
dir=spool/batches/$batch
check "a file of text, CDATA and character references runs through (exit 0)" "[ $rc = 0 ]"
check "both learners accepted" "[ \$(count_learners $dir/accepted.xml) = 2 ]"
check "results: a name split by CDATA is read whole" \
	"contains $dir/accepted.xml '<first-name>Alison</first-name>' &&
	 contains $dir/accepted.xml '<last-name>Winbery</last-name>'"
check "results: a name in CDATA alone, and one from a character reference" \
	"contains $dir/accepted.xml \"<last-name>O'Brien &amp; Sons</last-name>\" &&
	 contains $dir/accepted.xml '<first-name>Siân</first-name>'"
check "results: an email in CDATA, and one split by CDATA, read whole" \
	"contains $dir/accepted.xml '<email>alison.w@example.org</email>' &&
	 contains $dir/accepted.xml '<email>sian@example.org</email>'"
check "catalogue: titles split by CDATA and references read whole" \
	"contains $dir/accepted.xml '<title>Example Awards Level 2 Certificate in Vehicle Maintenance</title>' &&
	 contains $dir/accepted.xml '<title>Routine vehicle servicing</title>'"
check "batch files: assign recorded the whole names and emails" \
	"[ \"\$(sql \"select first_name || '|' || last_name || '|' || email from awards order by enrolment\")\" = \"Alison|Winbery|alison.w@example.org
Siân|O'Brien & Sons|sian@example.org\" ]"
check "both learners were emailed (neither is not-notifiable)" \
	"[ \"\$(sql \"select group_concat(status) from notifications where batch_id = '$batch' and enrolment like 'TXT%'\")\" = sent,sent ] &&
	 [ \$(ls spool/outbox/*.eml | wc -l) -ge 2 ]"
ref=$(doc_ref Winbery certificate)
check "the certificate prints the whole name, title and template text" \
	"pdftotext $dir/digital/$ref.pdf - | tr -s ' \n' '  ' > cert.txt &&
	 contains cert.txt 'Alison Winbery' &&
	 contains cert.txt 'Example Awards Level 2 Certificate in Vehicle Maintenance' &&
	 contains cert.txt 'This is to certify that'"
write_config

# --- names that print -------------------------------------------------

# enrolment | first | last | the reason it is rejected for (none: accepted)
table='NAM00001|&#x2003;&#x2003;|Spaces|first name is empty
NAM00002|Zero|&#x200B;|last name contains an invisible formatting character U+200B
NAM00003|&#x2800;|Braille|first name is empty
NAM00004|Soft|Win&#xAD;bery|last name contains an invisible formatting character U+00AD
NAM00005|Mark|Smith&#x200F;|last name contains an invisible formatting character U+200F
NAM00006|Ann&#x200D;e|Joiner|first name contains an invisible formatting character U+200D
NAM00007|Digits|123|last name has no letter
NAM00008|&#x3164;|Filler|first name is empty
NAM00009|Blank|A&#x2800;B|last name contains an invisible character U+2800
NAM00010|&#x2003;Si&#xE2;n&#x3000;|&#x205F;O&#x2019;Brien&#x1680;|
NAM00011|Tag|&#xE0041;Smith|last name contains an invisible formatting character U+E0041
NAM00012|Private|&#xE000;Smith|last name contains an unassigned or private-use character U+E000
NAM00013|Zero|&#x200B;&#x200B;|last name has no letter
NAM00014|Ren&#xFFFD;|Smith|first name contains U+FFFD REPLACEMENT CHARACTER (text decoded with the wrong encoding somewhere before)
NAM00015|Ann&#xFE0F;|Smith|first name contains an invisible character U+FE0F
NAM00016|Ann|&#xFE00;Smith|last name contains an invisible character U+FE00
NAM00017|Ann|Z'"$(printf '&#x301;%.0s' $(seq 60))"'|last name has more than 5 combining marks on one character (U+0301)
NAM00018|&#x301;Ann|Mark|first name has a combining mark U+0301 at the start of a word
NAM00019|Ann &#x301;Marie|Mark|first name has a combining mark U+0301 at the start of a word
NAM00020|&#x301;|Mark|first name has a combining mark U+0301 at the start of a word
NAM00021|Vie&#x323;&#x302;t|Nguye&#x302;&#x303;n|'
printf '%s\n' "$table" | cut -d'|' -f1-3 | sed 's/$/|/' | results_file names.xml TEXT-2 "Text Centre"
run certpress-validate names.xml
dir=spool/batches/$(last_batch)
check "names: the file is usable (exit 0)" "[ $rc = 0 ]"
check "names: two accepted, every other learner rejected" \
	"[ \$(count_learners $dir/accepted.xml) = 2 ] && [ \$(count_learners $dir/rejected.xml) = 19 ]"
check "names: a name with no letter says so too (only a mark)" \
	"contains err \"learner 'NAM00020': first name has no letter\""
check "names: marks that Vietnamese stacks (two on one letter) are a name" \
	"grep -A4 'enrolment=\"NAM00021\"' $dir/accepted.xml | grep -qF \"<last-name>\$(printf 'Nguye\\xcc\\x82\\xcc\\x83n')</last-name>\""
i=0
while IFS='|' read -r enrolment first last reason; do
	line=$((6 + 9 * i))
	i=$((i + 1))
	[ -n "$reason" ] || continue
	check "$enrolment: $reason (line $line)" \
		"contains err \"names.xml:$line: learner '$enrolment': $reason\" &&
		 grep -A12 'enrolment=\"$enrolment\"' $dir/rejected.xml | grep -qF \"<text>$reason</text>\""
done <<< "$table"
check "names: every kind of outer white space is trimmed" \
	"contains $dir/accepted.xml '<first-name>Siân</first-name>' &&
	 contains $dir/accepted.xml '<last-name>O’Brien</last-name>'"

done_testing
