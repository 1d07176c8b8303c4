#!/bin/sh
# make fuzz: run.sh SECONDS NAME... runs each harness ($B/tests/fuzz/NAME,
# libFuzzer) in turn: first its regressions (tests/fuzz/regressions/NAME/),
# each of which must pass as it is, then SECONDS of fuzzing from its seeds,
# its regressions and what earlier runs found ($B/fuzz/corpus/NAME/, where
# new inputs go: the seeds in the tree are never written), with
# tests/fuzz/NAME.dict when there is one. A crash, a leak,
# a broken property, a hang (10 s) or 2 GB of memory fails it; the input is
# in $B/fuzz/artifacts/NAME/ and its report is shown. Ends with a table:
# executions, coverage (libFuzzer's edges) and the corpus per harness.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build-fuzz}
cd "$TOP" || exit 1
secs=$1
shift
failed=""
table=$B/fuzz/summary
mkdir -p "$B/fuzz"
: > "$table"
for n; do
	bin=$B/tests/fuzz/$n
	work=$B/fuzz/corpus/$n
	art=$B/fuzz/artifacts/$n
	log=$B/fuzz/$n.log
	mkdir -p "$work" "$art" "tests/fuzz/regressions/$n"
	echo "fuzz: $n: regressions, then $secs s" >&2
	regs=$(find "tests/fuzz/regressions/$n" -type f | sort)
	# shellcheck disable=SC2086 # one argument a file
	if [ -n "$regs" ] && ! "$bin" $regs > "$log" 2>&1; then
		echo "fuzz: $n: a regression fails again:" >&2
		grep -v '^INFO' "$log" | tail -30 >&2
		failed="$failed $n"
		continue
	fi
	dict=
	[ -f "tests/fuzz/$n.dict" ] && dict=-dict=tests/fuzz/$n.dict
	# shellcheck disable=SC2086 # no argument without a dictionary
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-close_fd_mask=2 -artifact_prefix="$art/" $dict \
		"$work" "tests/fuzz/corpus/$n" "tests/fuzz/regressions/$n" > "$log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	corpus=$(find "$work" "tests/fuzz/corpus/$n" -type f | wc -l)
	result=ok
	if [ $status != 0 ]; then
		result=FAILED
		failed="$failed $n"
		grep -v '^INFO' "$log" | tail -40 >&2
		# the input again with stderr open: the harness's own message
		for a in "$art"/*; do
			[ -f "$a" ] || continue
			echo "fuzz: $n: $a again:" >&2
			"$bin" "$a" 2>&1 | grep -v '^INFO' | head -20 >&2
		done
	fi
	printf '%-10s %10s runs %6s edges %6s inputs  %s\n' "$n" "${runs:-?}" "${cov:-?}" \
		"$corpus" "$result" >> "$table"
done
cat "$table"
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed" >&2
	exit 1
fi
