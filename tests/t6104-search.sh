#!/bin/bash
# Search as staff use it: names without regard to case or accents in any
# script (libunistring's folding, stored as search keys), by prefix; --dob
# as YYYY-MM-DD, DD/MM/YYYY and the portal's dd-Month-yyyy; filters by
# qualification, centre, batch, status and award dates; paging; the line
# the portals show.
. "$(dirname "$0")/lib.sh"
make_key
check_exit 0 "a batch of names in several scripts" certpress run "$FIX/results/good.xml"
batch=$(sql "select id from batches")
# the last names of the documents found, one a line, sorted and unique
found_last() {
	run certpress search --json "$@"
	python3 -c 'import json; print("\n".join(sorted({d["last_name"] for d in json.load(open("out"))})))'
}
found_first() {
	run certpress search --json "$@"
	python3 -c 'import json; print("\n".join(sorted({d["first_name"] for d in json.load(open("out"))})))'
}

for typed in bronte BRONTË Brontë brontë BrOnTe; do
	check "--last-name '$typed' finds Brontë" "[ \"\$(found_last --last-name '$typed')\" = Brontë ]"
done
for typed in ΕΛΈΝΗ ελένη ελενη Ελενη; do
	check "--first-name '$typed' finds Ελένη" "[ \"\$(found_first --first-name '$typed')\" = Ελένη ]"
done
check "Cyrillic by a lower-case prefix: кузнец finds Кузнецова" \
	"[ \"\$(found_last --last-name кузнец)\" = Кузнецова ]"
check "ß folds to ss: gross finds Groß" "[ \"\$(found_last --last-name gross)\" = Groß ]"
check "a ring and a comma below: angstrom, stirbu" \
	"[ \"\$(found_last --last-name angstrom)\" = Ångström ] && [ \"\$(found_last --last-name stirbu)\" = Știrbu ]"
check "punctuation and spaces are ignored: oconnor, smithjones, \"ap daf\"" \
	"[ \"\$(found_last --last-name oconnor)\" = \"O'Connor\" ] && [ \"\$(found_last --last-name smithjones)\" = Smith-Jones ] &&
	 [ \"\$(found_last --last-name 'ap daf')\" = 'ap Dafydd' ]"
check "a prefix: winb finds Winbery" "[ \"\$(found_last --last-name winb)\" = Winbery ]"
check "a prefix finds every name it starts: mac finds both Mac names" \
	"[ \"\$(found_last --last-name mac | tr '\n' '|')\" = 'Mac Cárthaigh|Mac Giolla Phádraig|' ]"
check "o finds Ó and O' names alike, not Greek omicron" \
	"found_last --last-name o > o.txt; grep -qx 'Ó Briain' o.txt && grep -qx \"O'Neill\" o.txt && ! grep -qx Οικονόμου o.txt"
check_exit 1 "a name nobody has" certpress search --last-name zzzz
check_exit 64 "a name of punctuation only" certpress search --last-name "'-"
check "first and last name together narrow it" \
	"[ \"\$(found_last --first-name zo --last-name br)\" = Brontë ] && [ \"\$(found_first --first-name zo --last-name br)\" = Zoë ]"

# date of birth in each form
dob=$(sql "select dob from awards where last_name = 'Winbery' limit 1")
for typed in "$dob" "$(date -d "$dob" +%d/%m/%Y)" "$(date -d "$dob" +%-d/%-m/%Y)" \
	"$(LC_ALL=C date -d "$dob" +%d-%B-%Y)" "$(LC_ALL=C date -d "$dob" +%d-%B-%Y | tr a-z A-Z)" \
	"$(LC_ALL=C date -d "$dob" +%d-%b-%Y)"; do
	check "--dob '$typed'" "[ \"\$(found_last --dob '$typed' --last-name winbery)\" = Winbery ]"
done
check "30-September-1981 is a date" "run certpress search --dob 30-September-1981; [ \$rc = 0 ] || [ \$rc = 1 ]"
for bad in 31/02/1999 30-Septembre-1981 1999-2-30 13/13/2000 30-Sep-81; do
	check_exit 64 "--dob '$bad' is refused" certpress search --dob "$bad"
done

# filters
all=$(sql "select count(*) from documents")
run certpress search --centre C01234
check "--centre: every document of the centre ($all)" "[ \$(wc -l < out) = $all ]"
q=603/1465/5
n=$(sql "select count(*) from documents d join awards a on a.id = d.award_id where a.qualification = '$q'")
run certpress search --qualification "$q"
check "--qualification: its $n documents" "[ $n -gt 0 ] && [ \$(wc -l < out) = $n ]"
run certpress search --batch "$batch" --status valid
check "--batch and --status valid" "[ \$(wc -l < out) = $all ]"
ref=$(sql "select reference from documents order by reference limit 1")
run certpress revoke "$ref" --reason "entered in error"
run certpress search --status revoked
check "--status revoked: the one revoked" "[ \$(wc -l < out) = 1 ] && grep -q \"^$ref \" out"
python3 "$TOP/bench/gen-results.py" 2 later.xml 21 > /dev/null
through_render later.xml
later=$batch
n=$(sql "select count(*) from documents where batch_id = '$later'")
run certpress search --status not-issued
check "--status not-issued: the batch not packed yet ($n)" \
	"[ $n -gt 0 ] && [ \$(wc -l < out) = $n ] && [ \$(grep -c ' not-issued ' out) = $n ]"
run certpress search --batch "$later"
check "--batch: its documents" "[ \$(wc -l < out) = $n ]"
awarded=$(sql "select min(awarded) from awards")
n=$(sql "select count(*) from documents d join awards a on a.id = d.award_id where a.awarded = '$awarded'")
run certpress search --awarded-from "$awarded" --awarded-to "$(date -d "$awarded" +%d/%m/%Y)"
check "--awarded-from and --awarded-to (any date form)" "[ \$(wc -l < out) = $n ]"
check_exit 1 "an award range with nothing in it" certpress search --awarded-from 2001-01-01 --awarded-to 2001-12-31
check_exit 64 "--status that is not one" certpress search --status lost

# paging
run certpress search --centre C01234
head -10 out > first10
run certpress search --centre C01234 --limit 5
cp out page1
run certpress search --centre C01234 --limit 5 --offset 5
cp out page2
check "--limit 5: five" "[ \$(wc -l < page1) = 5 ]"
check "--offset 5 --limit 5: the next five" "cat page1 page2 | cmp -s - first10"
run certpress search --centre C01234 --offset $((all - 2))
check "--offset near the end: what is left" "[ \$(wc -l < out) = 2 ]"
check_exit 64 "--limit that is not a number" certpress search --centre C01234 --limit many

# the line
bref=$(sql "select d.reference from documents d join awards a on a.id = d.award_id where a.last_name = 'Brontë' and d.type = 'certificate'")
line=$(certpress search --reference "$bref")
cand=$(sql "select candidate from awards where last_name = 'Brontë'")
title=$(sql "select qualification_title from awards where last_name = 'Brontë'")
issued=$(sql "select issued from documents where reference = '$bref'")
check "the line: reference, type, status, candidate, name, qualification title, centre, issue date" \
	"echo \"\$line\" | grep -qE \"^$bref +certificate +valid +$cand +Zoë .*Brontë  $title  C01234  $issued\\\$\""

# a registry from before the search keys: they are made when it is opened
cp spool/registry.sqlite old.sqlite
sqlite3 old.sqlite "drop table search_keys; $UNDO_SCHEMA_LATER pragma user_version = 7"
sed "s|^registry .*|registry = $SCRATCH/old.sqlite|" certpress.conf > old.conf
check "an older registry gets its search keys" \
	"[ \"\$(CERTPRESS_CONF=$SCRATCH/old.conf certpress search --last-name bronte | wc -l)\" -ge 1 ] &&
	 [ \$(sqlite3 old.sqlite 'select count(*) from search_keys') = \$(sqlite3 old.sqlite 'select count(*) from awards') ]"

# The order and the pages, on a registry of 30,000 documents (made as the
# bench makes its million: bench/gen-registry.sh): every search returns
# what one plain query in the documented order returns (the names' keys,
# the award, the type, the issue), whichever way certpress finds it (by a
# field's index and sorted when few match, walking the names in order and
# stopping at the page when many do). Names shared by many awards, three
# documents an award and second issues (replacements not yet printed: no
# batch of their own) make ties that only the full order breaks.
big=$SCRATCH/big
PATH=$BIN:$PATH bash "$TOP/bench/gen-registry.sh" "$big" 30000 > /dev/null
sqlite3 "$big/spool/registry.sqlite" <<'SQL'
UPDATE awards SET last_name = 'Tie', first_name = 'Same' WHERE id % 7 = 0;
UPDATE search_keys SET last_key = 'tie', first_key = 'same' WHERE award_id % 7 = 0;
UPDATE awards SET first_name = 'Samuel' WHERE id % 11 = 0 AND id % 7 <> 0;
UPDATE search_keys SET first_key = 'samuel' WHERE award_id % 11 = 0 AND award_id % 7 <> 0;
UPDATE awards SET qualification = '603/1111/1', centre = 'C00999' WHERE id % 13 = 0;
INSERT INTO documents (reference, serial, issue, award_id, type, issued, status, batch_id)
  SELECT printf('%08d-02-%04d', serial, serial % 10000), serial, 2, award_id, type,
    '2026-11-21', 'valid', NULL FROM documents WHERE award_id % 5 = 0 AND issue = 1;
UPDATE documents SET status = 'superseded' WHERE award_id % 5 = 0 AND issue = 1;
UPDATE documents SET status = 'revoked' WHERE serial % 101 = 0 AND issue = 1;
UPDATE documents SET expires = '2026-01-01' WHERE serial % 103 = 0;
SQL
# the references a search of these conditions prints, as one query in
# the documented order finds them
want() {
	sqlite3 "$big/spool/registry.sqlite" "select d.reference from documents d
		join awards a on a.id = d.award_id left join search_keys k on k.award_id = a.id
		where $1 order by k.last_key, k.first_key, a.id, d.type, d.issue $2"
}
status_sql="(case when d.status <> 'valid' then d.status when d.published is null then 'not-issued'
	when d.expires is not null and d.expires < '$(date -u +%F)' then 'expired' else 'valid' end)"
pages() {
	local label=$1 where=$2 n
	shift 2
	n=$(want "$where" "" | wc -l)
	for page in "" "--limit 50" "--limit 50 --offset 4990" "--limit 7 --offset 12345" \
		"--limit 3 --offset $((n > 2 ? n - 2 : 0))"; do
		case $page in
		"") tail= ;;
		*) tail="limit ${page#--limit }"; tail=${tail/ --offset / offset } ;;
		esac
		# shellcheck disable=SC2086 # the page is words
		check "order and page: $label ($n found) ${page:-whole}" \
			"CERTPRESS_CONF=$big/certpress.conf certpress search $* $page > found; [ \$? -le 1 ] &&
			 cut -d' ' -f1 found | cmp -s - <(want \"$where\" \"$tail\")"
	done
}
pages "a qualification nearly all have" "a.qualification = '603/9000/1'" --qualification 603/9000/1
pages "a qualification few have" "a.qualification = '603/1111/1'" --qualification 603/1111/1
pages "a centre" "a.centre = 'C00999'" --centre C00999
pages "a last name many share" "k.last_key like 'tie%'" --last-name tie
pages "a last-name prefix" "k.last_key like 'stem%'" --last-name stem
pages "a first-name prefix many have" "k.first_key like 'sam%'" --first-name sam
pages "a first-name prefix few have" "k.first_key like 'samuel%'" --first-name samuel
pages "first and last name" "k.first_key like 'same%' and k.last_key like 't%'" --first-name same --last-name t
pages "a batch, replacements not printed with it" \
	"coalesce(d.batch_id, a.batch_id) = '20260101-000000-001'" --batch 20260101-000000-001
pages "--status valid" "$status_sql = 'valid'" --status valid
pages "--status superseded" "$status_sql = 'superseded'" --status superseded
pages "--status revoked" "$status_sql = 'revoked'" --status revoked
pages "--status not-issued" "$status_sql = 'not-issued'" --status not-issued
pages "--status expired" "$status_sql = 'expired'" --status expired
pages "an award date" "a.awarded >= '2026-11-01' and a.awarded <= '2026-11-01'" \
	--awarded-from 2026-11-01 --awarded-to 01/11/2026
pages "a qualification and a centre" "a.qualification = '603/1111/1' and a.centre = 'C00999'" \
	--qualification 603/1111/1 --centre C00999
pages "a common qualification and a name" "a.qualification = '603/9000/1' and k.last_key like 'tie%'" \
	--qualification 603/9000/1 --last-name tie
pages "a status and a qualification" "$status_sql = 'valid' and a.qualification = '603/1111/1'" \
	--status valid --qualification 603/1111/1
pages "a date of birth" "a.dob = '1990-05-05'" --dob 1990-05-05

done_testing
