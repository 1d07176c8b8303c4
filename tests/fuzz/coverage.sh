#!/bin/sh
# make fuzz-coverage: coverage.sh NAME... replays each harness's inputs (its
# seeds, its regressions and what make fuzz found in build-fuzz/fuzz/corpus/)
# through a source-based coverage build ($B, build-cov/: clang
# -fprofile-instr-generate -fcoverage-mapping, tests/fuzz/replay.c as main)
# and prints, per harness, the lines and branches of the files it is for that
# the inputs reached (llvm-cov report), then a summary table.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build-cov}
cd "$TOP" || exit 1
PROFDATA=${PROFDATA:-llvm-profdata-14}
COV=${COV:-llvm-cov-14}

# the files each harness is for
sources() {
	case $1 in
	results) echo stages/validate/results.c stages/validate/rules.c pipeline/util/screen.c ;;
	catalogue) echo stages/validate/catalogue.c ;;
	layout) echo pipeline/engine/layout.c pipeline/engine/bind.c ;;
	conf) echo pipeline/conf.c ;;
	ref) echo pipeline/ref.c ;;
	mail) echo stages/notify/template.c stages/notify/message.c ;;
	text) echo pipeline/engine/draw.c pipeline/engine/pdf.c pipeline/engine/pdftype0.c ;;
	snapshot) echo pipeline/snapshot.c verifyd/store.c verifyd/page.c ;;
	batchfile) echo pipeline/batchfile.c ;;
	centres) echo pipeline/centres.c pipeline/util/xmldoc.c ;;
	printed) echo pipeline/certpress/printed.c pipeline/registry/printbatches.c ;;
	verifyd) echo verifyd/route.c verifyd/page.c verifyd/buf.c pipeline/ref.c ;;
	*) echo "coverage: $1: which files is it for? (tests/fuzz/coverage.sh)" >&2; return 1 ;;
	esac
}

mkdir -p "$B/fuzz"
table=$B/fuzz/coverage
: > "$table"
for n; do
	src=$(sources "$n") || exit 1
	dirs="tests/fuzz/corpus/$n"
	for d in "tests/fuzz/regressions/$n" "build-fuzz/fuzz/corpus/$n"; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	rm -f "$B/fuzz/$n".prof*
	# shellcheck disable=SC2086 # one argument a folder
	inputs=$(LLVM_PROFILE_FILE="$B/fuzz/$n.profraw" "$B/tests/fuzz/$n" $dirs 2> /dev/null |
		sed -n 's/^replayed \([0-9]*\) inputs$/\1/p')
	"$PROFDATA" merge -sparse -o "$B/fuzz/$n.profdata" "$B/fuzz/$n.profraw" || exit 1
	echo "== $n ($inputs inputs)"
	# shellcheck disable=SC2086 # one argument a file
	"$COV" report "$B/tests/fuzz/$n" -instr-profile="$B/fuzz/$n.profdata" $src |
		tee "$B/fuzz/$n.cov"
	# TOTAL  regions missed cover  functions missed executed  lines missed cover  branches missed cover
	awk -v n="$n" -v i="$inputs" -v f="$src" '$1 == "TOTAL" {
		printf "%-10s %6s inputs  lines %6s of %5d  branches %6s of %5d  %s\n",
		       n, i, $10, $8, $13, $11, f }' "$B/fuzz/$n.cov" >> "$table"
done
echo
cat "$table"
