#!/bin/sh
# Runs every unit test binary and end-to-end script, counts TAP results and
# ends with "N passed, N failed". Exit status 1 if anything failed.
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
cd "$TOP" || exit 1
export B CMOCKA_MESSAGE_OUTPUT=TAP
passed=0 failed=0 broken=""

count() {
	name=$1 log=$2 status=$3
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$status" != 0 ] && [ "$f" = 0 ]; then
		f=1
		echo "not ok - $name exited $status" >> "$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	printf '%-45s %4d passed %4d failed\n' "$name" "$p" "$f"
	if [ "$f" != 0 ]; then
		broken="$broken $name"
		grep -v '^ok ' "$log" | sed 's/^/    /' | head -40
	fi
}

# CERTPRESS_VALGRIND=1 (make check-valgrind): each unit binary under
# valgrind too (the scripts wrap their programs themselves: tests/lib.sh);
# an error or a definite or indirect leak fails it. TESTS="tests/tNNNN-...sh
# ...": those scripts only.
vg=
if [ "${CERTPRESS_VALGRIND:-}" = 1 ]; then
	vg="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect"
	vg="$vg --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
fi
mkdir -p tests/scratch
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	log=tests/scratch/$(basename "$t").tap
	$vg "$t" > "$log" 2>&1
	count "$(basename "$t")" "$log" $?
done
for t in ${TESTS:-tests/t[0-9][0-9][0-9][0-9]-*.sh}; do
	[ -f "$t" ] || continue
	log=tests/scratch/$(basename "$t" .sh).tap
	bash "$t" > "$log" 2>&1
	count "$(basename "$t")" "$log" $?
done

# Every test stops what it starts: no test SMTP server of this tree may
# outlive the suite. A server still stopping is given a few seconds; one
# left after that is a failure (and is stopped here, by its pid).
left_smtpd() {
	ps -eo pid=,args= | awk -v dir="$TOP/tests/scratch/" \
		'$3 ~ /smtpd\.py$/ && index($4, dir) == 1 { print $1 }'
}
log=tests/scratch/smtpd-left.tap
: > "$log"
for _ in $(seq 50); do
	[ -z "$(left_smtpd)" ] && break
	sleep 0.1
done
for pid in $(left_smtpd); do
	echo "not ok - test SMTP server left running: $(ps -o args= -p "$pid")" >> "$log"
	kill "$pid" 2>/dev/null
done
[ -s "$log" ] || echo "ok - no test SMTP server left running" > "$log"
count "no smtpd.py left running" "$log" 0
[ -n "$broken" ] && echo "failing:$broken"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
