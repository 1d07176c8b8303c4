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

mkdir -p tests/scratch
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	log=tests/scratch/$(basename "$t").tap
	"$t" > "$log" 2>&1
	count "$(basename "$t")" "$log" $?
done
for t in tests/t[0-9][0-9][0-9][0-9]-*.sh; do
	[ -f "$t" ] || continue
	log=tests/scratch/$(basename "$t" .sh).tap
	bash "$t" > "$log" 2>&1
	count "$(basename "$t")" "$log" $?
done
[ -n "$broken" ] && echo "failing:$broken"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
