#!/bin/bash
# The hostile-input corpus: every row of tests/hostile/cases.tsv, each in a
# folder of its own, ends as its row says (this exit code, this message, and
# what else must hold), and never in a crash, a hang, a raw control byte or
# a learner's personal data in a message, a file in $TMPDIR, or a spool the
# invariant checker finds fault with. tests/hostile/README.md says how a row
# reads; ROWS="ID..." runs only those rows.
. "$(dirname "$0")/lib.sh"
H=$TOP/tests/hostile
CHECK=$TOP/tests/tools/invariants
make_key
export H FIX TOP CHECK

# --- what every row may use ---------------------------------------------

# A finished batch of two learners, copied into a row's folder by `issued`:
# $BATCH, a certificate's $REF and the other's $REF2, and $ENROL, a
# learner's enrolment. Small, so that the checker after each row is quick.
mkdir base
results_file base.xml BASE "Base Centre" <<'LEARNERS'
BASE0001|Alison|Winbery|alison.winbery@example.org
BASE0002|Rhodri|Llewellyn|rhodri.llewellyn@example.org
LEARNERS
sed -e "s|^key-file .*|key-file = $SCRATCH/keys/reference.key|" \
	-e "s|^certificate .*|certificate = $SCRATCH/keys/signing.crt|" \
	-e "s|^key  *=.*|key = $SCRATCH/keys/signing.key|" certpress.conf > base/certpress.conf
(cd base && CERTPRESS_CONF=$SCRATCH/base/certpress.conf certpress run ../base.xml) \
	> base.out 2>&1
check "the base batch is done (exit 0)" "[ $? = 0 ]"
BASE=$SCRATCH/base
BATCH=$(sqlite3 base/spool/registry.sqlite "select id from batches")
REF=$(sqlite3 base/spool/registry.sqlite "select reference from documents where type = 'certificate' order by reference limit 1")
REF2=$(sqlite3 base/spool/registry.sqlite "select reference from documents where type = 'certificate' order by reference limit 1 offset 1")
ENROL=$(sqlite3 base/spool/registry.sqlite "select enrolment from awards order by enrolment limit 1")
KEYS=$SCRATCH/keys
export BASE BATCH REF REF2 ENROL KEYS
check "the base batch has documents" "[ -n '$REF' ] && [ -n '$REF2' ] && [ -n '$ENROL' ]"

# The base batch's spool and registry, as this row's.
issued() {
	cp -a "$BASE/spool" spool
}

# Set KEY = VALUE in this row's certpress.conf, in SECTION (appended there
# when the key is not in the file yet).
conf() { # SECTION KEY VALUE
	if grep -q "^$2 *=" certpress.conf; then
		sed -i "s|^$2 *=.*|$2 = $3|" certpress.conf
	else
		printf '\n[%s]\n%s = %s\n' "$1" "$2" "$3" >> certpress.conf
	fi
}

# A copy of results file $1 at $2 with its own submission id and
# enrolments (each row's batch is new to its registry anyway; a copy
# keeps a second one in the same row apart).
fresh() { # FROM TO [TAG]
	sed -e "s/id=\"SUB-[^\"]*\"/id=\"SUB-F${3:-1}\"/" \
		-e "s/enrolment=\"\\([A-Z0-9]*\\)\"/enrolment=\"\\1${3:-}\"/g" "$1" > "$2"
}

# The row's inbox, made as certpress makes its spool (others may not read it).
inbox() {
	(umask 027 && mkdir -p spool/inbox)
}

# The newest batch of this row's registry.
batch() {
	sqlite3 spool/registry.sqlite "select id from batches order by id desc limit 1"
}

# The newest batch refused as a whole: marked failed, its file in
# spool/failed/ with a .reason, no record written.
refused() {
	local b
	b=$(batch)
	[ "$(sqlite3 spool/registry.sqlite "select status from batches where id = '$b'")" = failed ] &&
		ls spool/failed/"$b"-*.reason > /dev/null &&
		[ ! -e "spool/batches/$b/accepted.xml" ] && [ ! -e "spool/batches/$b/rejected.xml" ]
}

# The newest batch accepted $1 and rejected $2 learners.
counts() { # ACCEPTED REJECTED
	local d
	d=spool/batches/$(batch)
	[ "$(grep -c '<learner ' "$d/accepted.xml")" = "$1" ] &&
		[ "$(grep -c '<learner ' "$d/rejected.xml")" = "$2" ]
}

# Every batch of the row's spool finished (or refused at validate), and
# the invariant checker content with the spool as a finished one.
whole() {
	[ "$(sqlite3 spool/registry.sqlite "select count(*) from batches
		where status not in ('done', 'failed')")" = 0 ] && "$CHECK" spool > /dev/null
}

# Nothing of /etc/passwd (what XXE and path tricks aim at) in any file of
# the spool or any message.
unread() {
	! grep -rqs 'root:x:0:0' spool out err
}

# The row's registry still has every table and row the base had.
registry_intact() {
	[ "$(sqlite3 spool/registry.sqlite 'select count(*) from documents')" = \
	  "$(sqlite3 "$BASE/spool/registry.sqlite" 'select count(*) from documents')" ] &&
	[ "$(sqlite3 spool/registry.sqlite 'select count(*) from awards')" = \
	  "$(sqlite3 "$BASE/spool/registry.sqlite" 'select count(*) from awards')" ]
}
export -f issued conf inbox fresh batch refused counts whole unread registry_intact

# --- what holds after every row -----------------------------------------

# Never a hang (timeout's 124) or a signal; no raw control byte on stderr
# (messages escape them); none of the learners' names, dates of birth or
# emails of the row's results file on stderr; nothing left in $TMPDIR; the
# invariant checker content with the spool (batches may be unfinished).
safe() { # ROW-FOLDER FILE
	local d=$1 f=$2
	[ "$rc" -lt 124 ] || { echo "exit $rc: a hang or a signal"; return 1; }
	if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$d/err"; then
		echo "a raw control byte on stderr"
		return 1
	fi
	if [ -f "$f" ] && [ "${f%.xml}" != "$f" ]; then
		# values of five characters or more: "ner" of "Lear\u2028ner"
		# is in every "learner 'X'"
		python3 "$TOP/tests/tools/personal.py" "$f" | awk 'length >= 5' > "$d/personal"
		if [ -s "$d/personal" ] && grep -qF -f "$d/personal" "$d/err"; then
			echo "personal data on stderr: $(grep -F -o -f "$d/personal" "$d/err" | head -1)"
			return 1
		fi
	fi
	if [ -n "$(ls -A "$d/tmp")" ]; then
		echo "left in TMPDIR: $(ls -A "$d/tmp")"
		return 1
	fi
	if [ -f "$d/spool/registry.sqlite" ]; then
		"$CHECK" --in-flight "$d/spool" || return 1
	fi
}

# --- every row ----------------------------------------------------------
tree_sums() {
	(cd "$TOP" && find tests/hostile fixtures layouts config -type f -print0 | sort -z |
		xargs -0 sha256sum)
}
tree_sums > tree.before
rows=0
tab=$(printf '\t')
while IFS=$tab read -r id kind file cmd want msg also; do
	case $id in '' | '#'*) continue ;; esac
	# ROWS="ID ID...": only those rows (while working on one)
	[ -z "${ROWS:-}" ] || case " $ROWS " in *" $id "*) ;; *) continue ;; esac
	rows=$((rows + 1))
	d=$SCRATCH/c/$id
	failed_before=$test_failed
	mkdir -p "$d/tmp"
	cp base/certpress.conf "$d/"
	F=
	[ "$file" = - ] || F=$TOP/$file
	export F
	cd "$d" || exit 1
	CERTPRESS_CONF=$d/certpress.conf TMPDIR=$d/tmp run timeout 120 bash -c "$cmd"
	mv "$SCRATCH/out" "$SCRATCH/err" "$d/"
	cat out err > all
	check "$id ($kind): exit $want" "[ $rc = $want ]"
	if [ "$msg" != - ]; then
		printf '%s' "$msg" > "$d/msg"
		check "$id: says '$msg'" "grep -qF -- \"\$(cat '$d/msg')\" '$d/all'"
	fi
	[ "$also" = - ] || check "$id: $also" "cd '$d' && export CERTPRESS_CONF='$d/certpress.conf' && $also"
	check "$id: no hang, crash, control byte, personal data or stray file; spool sound" \
		"safe '$d' '$F'"
	cd "$SCRATCH" || exit 1
	# a row that passed leaves nothing (text-node-100mb makes 200 MB)
	[ "$test_failed" != "$failed_before" ] || rm -rf "$d"
done < "$H/cases.tsv"

if [ -n "${ROWS:-}" ]; then
	done_testing
	exit
fi
check "the table has at least 80 cases ($rows)" "[ $rows -ge 80 ]"
check "every file of tests/hostile/ is some row's" \
	"cd '$H' && for f in \$(find . -type f ! -name cases.tsv ! -name README.md | sed 's|^\./||'); do
		grep -qF \"\$f\" cases.tsv || { echo \"no row: \$f\"; exit 1; }; done"
tree_sums > tree.after
check "no row wrote into the tree (tests/hostile, fixtures, layouts, config)" "cmp -s tree.before tree.after"

done_testing
