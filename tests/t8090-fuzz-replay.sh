#!/bin/bash
# Every fuzzing harness (tests/fuzz/fuzz_NAME.c) replays its seed corpus and
# every regression input kept from a crash it found, built as this suite is
# (gcc, or ASan and UBSan under make check-asan): none may crash, leak or
# break a property of the harness. make fuzz runs the same harnesses under
# libFuzzer.
. "$(dirname "$0")/lib.sh"

names=$(cd "$TOP/tests/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
check "there are harnesses" "[ -n \"$(echo $names)\" ]"
for n in $names; do
	seeds=$TOP/tests/fuzz/corpus/$n
	regs=$TOP/tests/fuzz/regressions/$n
	want=$(find "$seeds" "$regs" -type f 2> /dev/null | wc -l)
	check "$n: has a seed corpus" "[ \$(find '$seeds' -type f | wc -l) -gt 0 ]"
	dirs=$seeds
	[ -d "$regs" ] && dirs="$dirs $regs"
	# shellcheck disable=SC2086 # the folders, one argument each
	run "$BIN/tests/fuzz/$n" $dirs
	check "$n: every seed and regression replayed, exit 0" \
		"[ $rc = 0 ] && grep -qx 'replayed $want inputs' out"
done

done_testing
