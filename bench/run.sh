#!/bin/bash
# make bench-render: validate, assign and render timed on generated batches
# (BENCH_SIZES, default 1000,10000 learners), render on one core and on all,
# with peak RSS and bytes per PDF; a sample of the PDFs timed is checked
# (qpdf --check, pdffonts, pdftotext has the name) so a fast run that writes
# broken files cannot look good. Writes bench/results/<date>-render.md.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
BIN=$TOP/$B
SIZES=${BENCH_SIZES:-1000,10000}
WORK=$TOP/bench/work
OUT=$TOP/bench/results/$(date -u +%Y-%m-%d)-render.md
mkdir -p "$WORK" "$TOP/bench/results"
export CERTPRESS_TODAY=2026-11-23

# one line: wall seconds, user seconds, system seconds, peak RSS in KB
timed() {
	/usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" > "$WORK/out" 2> "$WORK/err" || {
		cat "$WORK/err" >&2
		return 1
	}
	cat "$WORK/time"
}

rate() { # count seconds -> per second
	awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'
}

machine="$(nproc) cores, $(awk '/model name/ { sub(/.*: /, ""); print; exit }' /proc/cpuinfo), $(free -g | awk '/Mem:/ { print $2 }') GiB"
{
	echo "# certpress render benchmark, $(date -u +%Y-%m-%d)"
	echo
	echo "Machine: $machine. Batches from \`bench/gen-results.py\` (qualification 603/9000/1:"
	echo "6-12 units a learner, every 25th 40 units; a certificate, a transcript and a letter"
	echo "each, every document as a digital and a print copy). Times from \`/usr/bin/time\`."
	echo
	echo "| learners | stage | jobs | wall s | CPU s | peak RSS MB | learners/s (wall) | learners/s per CPU s | PDFs |"
	echo "|---|---|---|---|---|---|---|---|---|"
} > "$OUT"

for n in ${SIZES//,/ }; do
	dir=$WORK/$n
	rm -rf "$dir"
	mkdir -p "$dir"
	cat > "$dir/certpress.conf" <<CONF
[certpress]
spool = spool
catalogue = $TOP/fixtures/catalogue.xml
schemas = $TOP/config
layouts = $TOP/layouts
key-file = reference.key
[render]
jobs = 1
CONF
	export CERTPRESS_CONF=$dir/certpress.conf
	(cd "$dir" && "$BIN/certpress" keygen 2> /dev/null)
	python3 "$TOP/bench/gen-results.py" "$n" "$dir/results.xml"
	cd "$dir"
	read -r w u s m < <(timed "$BIN/certpress-validate" -q results.xml)
	batch=$(cut -d' ' -f1 "$WORK/out")
	echo "| $n | validate | 1 | $w | $(awk "BEGIN{print $u+$s}") | $((m / 1024)) | $(rate "$n" "$w") | $(rate "$n" "$(awk "BEGIN{print $u+$s}")") | |" >> "$OUT"
	read -r w u s m < <(timed "$BIN/certpress-assign" -q "$batch")
	echo "| $n | assign | 1 | $w | $(awk "BEGIN{print $u+$s}") | $((m / 1024)) | $(rate "$n" "$w") | $(rate "$n" "$(awk "BEGIN{print $u+$s}")") | |" >> "$OUT"
	learners=$(grep -o '<end count="[0-9]*"' "spool/batches/$batch/assigned.xml" | grep -o '[0-9]*')
	for jobs in 1 "$(nproc)"; do
		rm -rf "spool/batches/$batch/rendered.xml" "spool/batches/$batch/digital" "spool/batches/$batch/print"
		sed -i "s/^jobs = .*/jobs = $jobs/" certpress.conf
		read -r w u s m < <(timed "$BIN/certpress-render" -q "$batch")
		pdfs=$(($(ls "spool/batches/$batch/digital" | wc -l) * 2))
		cpu=$(awk "BEGIN{print $u+$s}")
		# /usr/bin/time counts the children's CPU; their peak RSS is the largest one's.
		echo "| $n | render | $jobs | $w | $cpu | $((m / 1024)) | $(rate "$learners" "$w") | $(rate "$learners" "$cpu") | $pdfs |" >> "$OUT"
	done
	# sizes and a check of what was timed
	python3 - "spool/batches/$batch/rendered.xml" >> "$OUT.sizes" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
for copy in ("digital", "print"):
    for t in ("certificate", "transcript", "letter"):
        b = [int(m.group(2)) for m in re.finditer(r'type="(\w+)"[^>]*' + copy + r'-bytes="(\d+)"', s) if m.group(1) == t]
        print(f"| {copy} | {t} | {sum(b) // len(b) / 1024:.1f} | {max(b) / 1024:.1f} |")
PY
	bad=0
	for ref in $(sed -n 's/.*type="certificate" reference="\([^"]*\)".*/\1/p' "spool/batches/$batch/rendered.xml" | shuf -n 20 --random-source=<(yes)); do
		for copy in digital print; do
			f=spool/batches/$batch/$copy/$ref.pdf
			qpdf --check "$f" > /dev/null 2>&1 || bad=$((bad + 1))
			pdffonts "$f" 2> /dev/null | awk 'NR > 2 && $(NF-4) != "yes" { exit 1 }' || bad=$((bad + 1))
		done
		name=$(sqlite3 spool/registry.sqlite "select a.last_name from documents d join awards a on a.id = d.award_id where d.reference = '$ref'")
		pdftotext "spool/batches/$batch/print/$ref.pdf" - 2> /dev/null | tr -s ' \n' ' ' | grep -qF -- "$name" || bad=$((bad + 1))
	done
	echo "checked 20 certificates of $n learners: $bad problems" >> "$OUT.checks"
	cd "$TOP"
done

{
	echo
	echo "Average and largest PDF (KB), last batch:"
	echo
	echo "| copy | document | average | largest |"
	echo "|---|---|---|---|"
	tail -6 "$OUT.sizes"
	echo
	echo "Outputs checked: $(tr '\n' ';' < "$OUT.checks")"
	echo
	echo "Targets (issue 9): render 250 learners (certificate + transcript) a second per core, 450 on"
	echo "both; PDFs at most 30 KB; validate 20,000 learners a second; peak RSS under 64 MB."
} >> "$OUT"
rm -f "$OUT.sizes" "$OUT.checks"
cat "$OUT"
