#!/bin/bash
# Only documents valid when a stage runs are rendered, packed, printed or
# listed in an email. A reprint of A (A-01 superseded by A-02), a revoke of
# B and of every document of a third learner, made at each point a batch
# can wait (after assign, after render, after pack), then the batch resumed
# (retry, retry --from render, retry --from pack): the zip's entries, the
# manifest, the course summary, the print file's pages and its ticket, and
# the learners' emails (file: transport) hold no revoked or superseded
# document; A-02 goes out with the run's documents (its centre's
# consignment), before the centre's reports. Then replacements superseded
# or revoked before their print file, and a revoke while pack runs.
. "$(dirname "$0")/lib.sh"
make_key

doc_of() { # ENROLMENT TYPE: the learner's original document of that type
	sql "select d.reference from documents d join awards a on a.id = d.award_id
	     where a.enrolment = '$1' and d.type = '$2' and d.issue = 1"
}

# A fresh spool with one assigned batch of four learners (BEN...0 has no
# email address); A is learner 1's certificate, B learner 2's, C the three
# documents of learner 3.
new_batch() {
	rm -rf spool
	python3 "$TOP/bench/gen-results.py" 4 g.xml 7 > /dev/null
	validate_and_assign g.xml
	A=$(doc_of BEN00000000001 certificate)
	B=$(doc_of BEN00000000002 certificate)
	B_transcript=$(doc_of BEN00000000002 transcript)
	C=$(sql "select group_concat(d.reference, ' ') from documents d join awards a
		 on a.id = d.award_id where a.enrolment = 'BEN00000000003'")
	zip=spool/exports/$batch/C09999-$batch.zip
	ticket=spool/print/$batch/print-$batch.ticket.xml
	printfile=spool/print/$batch/print-$batch.pdf
}

change() {
	run certpress reprint "$A" --reason "name misspelt"
	A2=$(cat out)
	run certpress revoke "$B" --reason "malpractice"
	for r in $C; do
		run certpress revoke "$r" --reason "withdrawn by the centre"
	done
}

# The decoded text of a learner's email, or nothing if there is none.
email_of() {
	local f=spool/outbox/$batch.$1@example.org.eml
	[ -e "$f" ] && python3 -c 'import quopri, sys; sys.stdout.write(quopri.decodestring(open(sys.argv[1], "rb").read()).decode())' "$f"
}

ORDER="order by a.centre, a.course_run, a.last_name, a.first_name, a.enrolment,
       case d.type when 'certificate' then 0 when 'transcript' then 1 else 2 end"

none_in() { # FILE: it names none of A-01, B and C's documents (a
	local r   # replacement's own "replaces A-01" line aside)
	for r in $A $B $C; do
		grep -v 'replaces ' "$1" | grep -q "$r" && return 1
	done
	return 0
}

# Every output of the batch holds exactly its valid documents (and A-02).
check_outputs() {
	local what=$1
	{
		printf '%s\n' manifest.csv certification-report.pdf summary-CR-BENCH-0000.pdf
		sql "select case type when 'certificate' then 'certificates' when 'transcript'
		     then 'transcripts' else 'letters' end || '/' || reference || '.pdf'
		     from documents where batch_id = '$batch' and status = 'valid'"
	} | sort > want-entries
	unzip -Z1 "$zip" | sort > entries
	check "$what: the zip holds the reports and only the valid documents (7)" \
		"cmp -s want-entries entries && [ \$(grep -c pdf\$ entries) = 9 ]"
	check "$what: no revoked or superseded document in the zip" "none_in entries"
	rm -rf unz && mkdir unz && (cd unz && unzip -q "../$zip")
	sql "select reference from documents where batch_id = '$batch' and status = 'valid'" |
		sort > want-refs
	python3 -c 'import csv; [print(r[0]) for r in list(csv.reader(open("unz/manifest.csv", encoding="utf-8-sig", newline="")))[1:]]' |
		sort > manifest-refs
	check "$what: manifest.csv lists only the valid documents" "cmp -s want-refs manifest-refs"
	pdftotext -layout unz/summary-CR-BENCH-0000.pdf summary.txt
	check "$what: the course summary lists no revoked or superseded reference" \
		"none_in summary.txt && contains summary.txt $B_transcript"
	{
		sql "select d.reference from documents d join awards a on a.id = d.award_id
		     where d.batch_id = '$batch' and d.status = 'valid' $ORDER"
		echo "$A2"
	} > want-order
	sed -n 's/.*<document reference="\([^"]*\)".*/\1/p' "$ticket" > ticket-order
	check "$what: the ticket lists the valid documents in print order, then A-02" \
		"cmp -s want-order ticket-order"
	# A-02 has no address of its own: it joins its centre's consignment, after
	# the run's 7 documents and before the centre's reports (pages 9 and 10)
	check "$what: A-02 is marked as replacing A-01 on certificate stock, page 8" \
		"grep -q \"<document reference=\\\"$A2\\\" type=\\\"certificate\\\" stock=\\\"certificate\\\" part=\\\"1\\\" first-page=\\\"8\\\" last-page=\\\"8\\\" replaces=\\\"$A\\\"/>\" $ticket &&
		 contains $ticket '<stock name=\"certificate\" paper=\"security\" sheets=\"2\"/>' &&
		 contains $ticket '<end documents=\"8\" reprints=\"1\" sheets=\"10\"/>' &&
		 pdftotext -f 8 -l 8 $printfile - | grep -qF $A2"
	pdftotext "$printfile" print.txt
	check "$what: the print file's 10 pages (8 documents, the centre's 2 reports) carry no revoked or superseded document" \
		"[ \$(qpdf --show-npages $printfile) = 10 ] && none_in print.txt && contains print.txt $A2"
	check_emails "$what"
}

check_emails() {
	local what=$1
	check "$what: learner 1's email lists A-02, not A-01" \
		"email_of BEN00000000001 > mail1 && contains mail1 $A2 && ! contains mail1 $A"
	check "$what: learner 2's email lists the transcript, not the revoked certificate" \
		"email_of BEN00000000002 > mail2 && contains mail2 $B_transcript && ! contains mail2 $B"
	check "$what: learner 3, every document revoked, is sent no email" \
		"! email_of BEN00000000003 > /dev/null &&
		 [ \"\$(sql \"select status from notifications where enrolment = 'BEN00000000003'\")\" = not-notifiable ]"
	check "$what: A-02 verifies as valid, B as revoked" \
		"certpress verify $A2 > /dev/null 2>&1 && [ \"\$(certpress verify $B 2> /dev/null | head -1)\" = revoked ]"
}

# 1. Changed after assign, the batch then resumed: render leaves them out.
new_batch
change
check_exit 0 "after assign: retry" certpress retry "$batch"
check "after assign: rendered.xml names the five documents it left out" \
	"[ \$(grep -c '<left-out ' spool/batches/$batch/rendered.xml) = 5 ] &&
	 grep -q \"<left-out type=\\\"certificate\\\" reference=\\\"$B\\\" status=\\\"revoked\\\"/>\" spool/batches/$batch/rendered.xml &&
	 grep -q \"<left-out type=\\\"certificate\\\" reference=\\\"$A\\\" status=\\\"superseded\\\"/>\" spool/batches/$batch/rendered.xml"
check "after assign: no copy of a document left out is made" \
	"[ ! -e spool/batches/$batch/digital/$B.pdf ] && [ ! -e spool/batches/$batch/print/$A.pdf ]"
check_outputs "after assign"

# 2. Changed after render: pack leaves them out.
new_batch
run certpress-render "$batch"
change
check_exit 0 "after render: retry" certpress retry "$batch"
check_outputs "after render"

# 3. and 4. Changed after pack, then made again from render or from pack.
for from in render pack; do
	new_batch
	run certpress-render "$batch"
	run certpress-pack "$batch"
	check "after pack: the first zip holds B" "unzip -Z1 $zip | grep -q $B"
	change
	check_exit 0 "after pack: retry --from $from" certpress retry --from "$from" "$batch"
	check_outputs "after pack, --from $from"
	[ "$from" = render ] && check "after pack, --from render: B's old copies are removed" \
		"[ ! -e spool/batches/$batch/digital/$B.pdf ] && [ ! -e spool/batches/$batch/print/$B.pdf ]"
done

# 5. Changed after pack, then only notify: the zip made before the revoke is
#    not unmade (README: a revoke in flight), but the emails are right.
new_batch
run certpress-render "$batch"
run certpress-pack "$batch"
zsha=$(sha256sum "$zip")
change
check_exit 0 "after pack: retry (notify)" certpress retry "$batch"
check "after pack, notify only: the zip is the one made before the revoke" \
	"[ \"\$(sha256sum $zip)\" = \"$zsha\" ]"
A2=$(sql "select replacement from reprints") # not printed yet: not issued, not listed
check "after pack, notify only: learner 1's email lists neither A-01 nor A-02 (not issued yet)" \
	"email_of BEN00000000001 > mail1 && ! contains mail1 $A && ! contains mail1 $A2 &&
	 contains mail1 \$(doc_of BEN00000000001 transcript)"
check "after pack, notify only: learner 2's email lists the transcript, not the revoked certificate" \
	"email_of BEN00000000002 > mail2 && contains mail2 $B_transcript && ! contains mail2 $B"
check "after pack, notify only: learner 3 is sent no email" "! email_of BEN00000000003 > /dev/null"

# 6. A replacement superseded or revoked before its print file is not printed.
new_batch
D=$(doc_of BEN00000000000 certificate)
run certpress reprint "$A" --reason lost
A2=$(cat out)
# A-02's order is open until dispatched: no second duplicate of A meanwhile
# (t6201-orders.sh), so no replacement is superseded before its print file.
check_exit 65 "a replacement with an open order is not superseded by another" \
	certpress reprint "$A2" --reason "lost again"
run certpress reprint "$D" --reason damaged
D2=$(cat out)
run certpress revoke "$D2" --reason "ordered by mistake"
check_exit 0 "replacements changed before printing: retry" certpress retry "$batch"
sed -n 's/.*<document reference="\([^"]*\)".*/\1/p' "$ticket" > ticket-order
check "only the valid replacement is printed, marked as replacing its original" \
	"grep -q \"reference=\\\"$A2\\\" .* replaces=\\\"$A\\\"\" $ticket &&
	 ! grep -qx -e $D2 -e $A -e $D ticket-order && contains $ticket 'reprints=\"1\"'"
pdftotext "$printfile" print.txt
check "...and the print file agrees" \
	"contains print.txt $A2 && ! contains print.txt $D2 &&
	 [ \$(qpdf --show-npages $printfile) = \$((\$(wc -l < ticket-order) + \$(grep -c '<report ' $ticket))) ]"

# 7. A revoke while pack runs: pack reads the statuses once, when it starts,
#    so the zip, the manifest and the print file agree with each other.
new_batch
run certpress-render "$batch"
pause_at rename:.zip certpress-pack "$batch"
check "pack stops just before publishing its zip" "[ $? = 0 ]"
run certpress revoke "$B" --reason "found while packing"
resume
check "pack finishes (exit 0)" "[ $rc = 0 ]"
check "zip, manifest and ticket all hold B, as it was when pack started" \
	"unzip -Z1 $zip | grep -q $B && unzip -p $zip manifest.csv | grep -q $B && contains $ticket $B"
check_exit 0 "retry --from pack after the revoke" certpress retry --from pack "$batch"
check "...B is gone from zip, manifest and ticket" \
	"! unzip -Z1 $zip | grep -q $B && ! unzip -p $zip manifest.csv | grep -q $B && ! contains $ticket $B"

done_testing
