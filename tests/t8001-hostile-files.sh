#!/bin/bash
# Files unusable as a whole: refused with the file, the line and the reason,
# moved whole to spool/failed/ with a .reason beside them (exit 65), and no
# learner of theirs accepted. Nothing is read from outside the file.
. "$(dirname "$0")/lib.sh"

# fixture | expected message (after "FILE:")
while IFS='|' read -r name message; do
	[ -n "$name" ] || continue
	mkdir -p spool/inbox
	cp "$FIX/results/bad/$name.xml" spool/inbox/
	run certpress-validate "spool/inbox/$name.xml"
	batch=$(last_batch)
	check "$name: exit 65" "[ $rc = 65 ]"
	check "$name: $message" "contains err \"$name.xml:$message\""
	check "$name: moved whole to failed/ with its reason" \
		"[ ! -e spool/inbox/$name.xml ] && cmp -s spool/failed/$batch-$name.xml '$FIX/results/bad/$name.xml' &&
		 contains spool/failed/$batch-$name.xml.reason \"$name.xml:$message\""
	check "$name: no records written" \
		"[ ! -e spool/batches/$batch/accepted.xml ] && [ ! -e spool/batches/$batch/rejected.xml ] && ! ls -a spool/batches/$batch | grep -q cptmp"
	check "$name: the batch is marked failed" "[ \"\$(sql \"select status from batches where id='$batch'\")\" = failed ]"
done <<'TABLE'
file-not-well-formed|8: not well-formed XML: Opening and ending tag mismatch: last-name line 8 and lastname
file-truncated|10: not well-formed XML:
file-schema|5: not valid: element 'learner': This element is not expected. Expected is ( verification ).
file-schema-unknown-element|10: not valid: element 'shoe-size': This element is not expected.
file-deep|9: not valid: element 'x': This element is not expected.
file-hostile-centre|3: not valid: element 'centre', attribute 'number': [facet 'pattern'] The value '../../etc/passwd' is not accepted
file-hostile-course-run|4: not valid: element 'course-run', attribute 'id': [facet 'pattern'] The value 'CR/../../x' is not accepted
file-latin1|7: invalid UTF-8 (byte 0xf6)
file-utf16|1: invalid UTF-8 (byte 0xff)
file-nul|7: NUL byte in the file
file-encoding|1: the XML declaration names an encoding other than UTF-8
file-xxe|2: a DOCTYPE is not allowed in this file
file-billion-laughs|2: a DOCTYPE is not allowed in this file
file-undeclared-entity|7: not well-formed XML: Entity 'xxe' not defined
file-huge-text|7: not valid: element 'first-name': [facet 'maxLength'] The value has a length of '5002'
file-empty| the file is empty
TABLE

check "the XXE target was never read into any output" "! grep -rq 'root:' spool/batches spool/failed/*.reason"

# An ENTITY declaration anywhere is refused even without a DOCTYPE before it.
printf '<?xml version="1.0"?>\n<!-- <!ENTITY x "y"> -->\n<results/>\n' > entity.xml
run certpress-validate entity.xml
check "an ENTITY declaration is refused" "[ $rc = 65 ] && contains err 'entity.xml:2: an ENTITY declaration is not allowed'"

# A file bigger than the configured limit is refused before it is parsed.
printf '\n[validate]\nmax-file-mb = 1\n' >> certpress.conf
{ head -c 0 /dev/null; sed -n '1,4p' "$FIX/results/good.xml"; for i in $(seq 1 30000); do echo "<!-- padding padding padding padding -->"; done; } > big.xml
run certpress-validate big.xml
check "a file over max-file-mb is refused" "[ $rc = 65 ] && contains err 'big.xml: the file is larger than 1 MB'"
write_config

# A character reference to a C0 control is not XML: the file is refused at
# its line (libxml2 reports it through the schema check of the element).
sed 's|<first-name>Good</first-name>|<first-name>Go&#1;od</first-name>|' \
	"$FIX/results/bad/rule-verification.xml" > ctrl.xml
run certpress-validate ctrl.xml
check "a C0 control as a character reference is refused" "[ $rc = 65 ] && contains err 'ctrl.xml:7: not'"

done_testing
