#!/bin/bash
# make bench: every stage alone and the whole `certpress run`, timed on
# generated batches (BENCH_SIZES, default 1000,10000,100000 learners), each
# the median of BENCH_RUNS runs (3) with min and max (batches larger than
# BENCH_FULL, 10000, run validate, assign and render on every core once: the
# stages whose memory must stay flat; pack, notify, the whole run and the
# peers are measured up to BENCH_FULL); peak RSS from
# /usr/bin/time (for a program with children, the largest of them); notify
# to a real local SMTP server (aiosmtpd). A sample of the PDFs timed is
# checked (qpdf --check, pdffonts, pdftotext has the name), so a fast run
# that writes broken files cannot look good. With PEERS=1, Apache FOP and
# WeasyPrint lay out the same certificate and transcript for the same
# learners (bench/peers/). Then bench/verify.sh: certpress publish of a
# million documents and certpress-verifyd beside nginx (BENCH_VERIFY=0: not),
# and bench/print.sh: PDF/X print copies beside Ghostscript (BENCH_PRINT=0:
# not).
# Writes bench/results/<date>.md, .dat and .svg.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
BIN=$TOP/$B
SIZES=${BENCH_SIZES-1000,10000,100000}
RUNS=${BENCH_RUNS:-3}
FULL=${BENCH_FULL:-10000}
PEERS=${PEERS:-0}
WORK=$TOP/bench/work
DAY=$(date -u +%Y-%m-%d)
OUT=$TOP/bench/results/$DAY.md
DAT=$TOP/bench/results/$DAY.dat
TRASH=$WORK/trash
mkdir -p "$WORK" "$TOP/bench/results" "$TRASH"
# Nothing is deleted while the bench runs: ext4 without a journal (this
# machine's root file system) avoids inodes freed in the last minutes and
# scans past every one of them to create a file, which made a render after a
# deleted run a third slower. Old runs go to the trash, emptied at the end.
discard() { [ -e "$1" ] && mv "$1" "$TRASH/$(date +%s%N)"; return 0; }
trap 'rm -rf "$TRASH"' EXIT
export CERTPRESS_TODAY=2026-11-23
NPROC=$(nproc)

# Run "$@" RUNS times, calling reset before each; sets med, lo, hi (wall
# seconds), cpu (median CPU seconds: user + system) and rss (largest, MB).
measure() {
	local reset=$1 i walls=() cpus=()
	shift
	rss=0
	for ((i = 0; i < runs; i++)); do
		$reset
		/usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" > "$WORK/out" 2> "$WORK/err" || {
			tail -5 "$WORK/err" >&2
			return 1
		}
		read -r w u s m < "$WORK/time"
		walls+=("$w")
		cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')")
		m=$((m / 1024))
		[ "$m" -gt "$rss" ] && rss=$m
	done
	med=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	lo=$(printf '%s\n' "${walls[@]}" | sort -n | head -1)
	hi=$(printf '%s\n' "${walls[@]}" | sort -n | tail -1)
	cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

# A table row: size, stage, jobs, what is counted, how many.
row() {
	printf '| %s | %s | %s | %s %s | %s (%s-%s) | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$5" "$4" \
		"$med" "$lo" "$hi" "$cpu" "$(rate "$5" "$med")" "$(rate "$5" "$cpu")" "$rss" >> "$OUT"
	echo "$1 $2 $3 $(rate "$5" "$med") $(rate "$5" "$cpu") $rss" >> "$DAT"
}

# Spool snapshots: hard links for the PDFs (stages replace files by rename,
# never write into them), real copies of the registry (SQLite writes in place).
snapshot() {
	discard "snap-$1"
	cp -al spool "snap-$1"
	for f in spool/registry.sqlite*; do cp --remove-destination "$f" "snap-$1/"; done
}
restore() {
	discard spool
	cp -al "snap-$1" spool
	for f in "snap-$1"/registry.sqlite*; do cp --remove-destination "$f" spool/; done
}

# PDF sizes of a batch and a check of what was timed: 20 certificates (both
# copies: qpdf, pdffonts; the print copy: pdftotext has the name, its QR code
# decodes to the verification URL), and with packed=1 the first and last print parts and the zip.
batch_check() {
	local n=$1 batch=$2 packed=$3 bad=0 ref copy f name
	python3 - "spool/batches/$batch/rendered.xml" > "$WORK/sizes" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
for copy in ("digital", "print"):
    for t in ("certificate", "transcript", "letter"):
        b = [int(m.group(2)) for m in re.finditer(r'type="(\w+)"[^>]*' + copy + r'-bytes="(\d+)"', s) if m.group(1) == t]
        print(f"| {copy} | {t} | {sum(b) // len(b) / 1024:.1f} | {max(b) / 1024:.1f} |")
PY
	for ref in $(sed -n 's/.*type="certificate" reference="\([^"]*\)".*/\1/p' "spool/batches/$batch/rendered.xml" | shuf -n 20 --random-source=<(yes)); do
		for copy in digital print; do
			f=spool/batches/$batch/$copy/$ref.pdf
			qpdf --check "$f" > /dev/null 2>&1 || bad=$((bad + 1))
			pdffonts "$f" 2> /dev/null | awk 'NR > 2 && $(NF-4) != "yes" { exit 1 }' || bad=$((bad + 1))
		done
		# the QR code read back from the print copy, as the tests do
		pdftoppm -r 150 -png -f 1 -l 1 "spool/batches/$batch/print/$ref.pdf" "$WORK/qr"
		[ "$(zbarimg -q --raw "$WORK/qr-1.png" 2> /dev/null)" = "https://verify.example.org/v/$ref" ] || bad=$((bad + 1))
		rm -f "$WORK/qr-1.png"
		name=$(sqlite3 spool/registry.sqlite "select a.last_name from documents d join awards a on a.id = d.award_id where d.reference = '$ref'")
		pdftotext "spool/batches/$batch/print/$ref.pdf" - 2> /dev/null | tr -s ' \n' ' ' | grep -qF -- "$name" || bad=$((bad + 1))
	done
	if [ "$packed" = 1 ]; then
		for f in $( (ls spool/print/$batch/*.pdf | sort -V | sed -n '1p;$p') ); do
			qpdf --check "$f" > /dev/null 2>&1 || bad=$((bad + 1))
		done
		7z t "spool/exports/$batch/"*.zip > /dev/null 2>&1 || bad=$((bad + 1))
		echo "$n learners: 20 certificates (both copies, QR codes decoded), the first and last print parts and the zip checked: $bad problems" >> "$WORK/checks"
	else
		echo "$n learners: 20 certificates (both copies, QR codes decoded) checked: $bad problems" >> "$WORK/checks"
	fi
}

# Signed digital copies (issue 16), one core: render under each [render]
# protection (the default, sign, is the ECDSA P-256 row above), with an
# RSA-3072 key, and beside it what a user would do instead: render unsigned
# (protection = none) and sign each digital copy afterwards with poppler's
# pdfsig -add-signature (NSS), timed on the first PEER_SIGN (500) copies and
# counted per copy. pdfsig signs with the RSA-3072 key: with an ECDSA key
# poppler 22.12 fails about 2 times in 3 ("unable update signature"), and
# its -etsi is not supported with -add-signature (adbe.pkcs7.detached).
signing_rows() {
	local n=$1 batch=$2 learners=$3 p k r files
	sed -i "s/^jobs = .*/jobs = 1/" certpress.conf
	openssl req -x509 -newkey rsa:3072 -nodes -keyout rsa.key -out rsa.crt -days 30 \
		-subj "/CN=Example Awards/O=Example Awards" 2> /dev/null
	chmod 600 rsa.key
	for p in none encrypt rsa; do
		case $p in
		rsa) sed -i 's/^key = .*/key = rsa.key/; s/^certificate = .*/certificate = rsa.crt/' certpress.conf ;;
		*) sed -i "s/^protection = .*/protection = $p/" certpress.conf ;;
		esac
		measure "restore assigned" "$BIN/certpress-render" -q "$batch"
		case $p in
		rsa) row "$n" "render, sign RSA-3072" 1 learners "$learners" ;;
		*) row "$n" "render, protection = $p" 1 learners "$learners" ;;
		esac
		if [ $p = none ]; then snapshot unsigned; fi
		if [ $p = encrypt ]; then sed -i "s/^protection = .*/protection = sign/" certpress.conf; fi
	done
	discard nss
	mkdir nss
	certutil -N -d sql:nss --empty-password
	openssl pkcs12 -export -inkey rsa.key -in rsa.crt -name certpress -passout pass: -out rsa.p12
	pk12util -d sql:nss -i rsa.p12 -W '' > /dev/null 2>&1
	sed -i 's/^key = .*/key = signing.key/; s/^certificate = .*/certificate = signing.crt/' certpress.conf
	restore unsigned
	files=$(ls spool/batches/$batch/digital | head -"${PEER_SIGN:-500}" | sed "s|^|spool/batches/$batch/digital/|")
	k=$(echo $files | wc -w)
	measure : bash -c 'for f in "${@:2}"; do
		rm -f "$1" && pdfsig -nssdir sql:nss -add-signature -nick certpress "$f" "$1" > /dev/null || exit 1
	done' _ "$WORK/signed.pdf" $files
	row "$n" "pdfsig -add-signature RSA-3072 (after protection = none)" 1 "digital copies" "$k"
	pdfsig "$WORK/signed.pdf" | grep -q 'Signature is Valid' && r=valid || r="NOT valid"
	echo "$n learners: the last copy pdfsig signed: its signature is $r" >> "$WORK/checks"
}

START=$(date +%s)
progress() { echo "bench: $(( $(date +%s) - START )) s: $*" >&2; }

machine="$NPROC cores, $(awk '/model name/ { sub(/.*: /, ""); print; exit }' /proc/cpuinfo), $(free -g | awk '/Mem:/ { print $2 }') GiB, Debian $(cat /etc/debian_version)"
{
	echo "# certpress benchmark, $DAY"
	echo
	echo "Machine: $machine. Batches from \`bench/gen-results.py\` (qualification 603/9000/1:"
	echo "6-12 units a learner, every 25th 40 units, mixed scripts in names; a few held and"
	echo "rejected), each learner with a certificate, a transcript and a letter, every document"
	echo "as a digital and a print copy. Each row is the median wall time of $RUNS runs (min-max),"
	echo "the median CPU time (user + system, children included), and the largest peak RSS;"
	echo "batches over $FULL learners run validate, assign and render (on $NPROC cores) once, and"
	echo "not pack, notify, the whole run or the peers. Nothing is deleted while the bench runs"
	echo "(see bench.sh)."
	echo
	echo "| learners | stage | jobs | counted | wall s (min-max) | CPU s | per wall s | per CPU s | peak RSS MB |"
	echo "|---|---|---|---|---|---|---|---|---|"
} > "$OUT"
: > "$DAT"
: > "$WORK/checks"
: > "$WORK/sizes"

for n in ${SIZES//,/ }; do
	dir=$WORK/$n
	runs=$RUNS
	[ "$n" -gt "$FULL" ] && runs=1
	discard "$dir"
	mkdir -p "$dir"
	cd "$dir"
	cat > certpress.conf <<CONF
[certpress]
spool = spool
registry = spool/registry.sqlite
catalogue = $TOP/fixtures/catalogue.xml
schemas = $TOP/config
layouts = $TOP/layouts
key-file = reference.key
centres = centres.xml
[sign]
certificate = signing.crt
key = signing.key
[mail]
transport = file:spool/outbox
[render]
jobs = 1
protection = sign
CONF
	# the generated centre's delivery address: its consignment is dispatched
	cat > centres.xml <<XML
<centres xmlns="urn:certpress:centres:1">
  <centre number="C09999" name="Benchmark College"><address><line>1 Bench Road</line></address></centre>
</centres>
XML
	export CERTPRESS_CONF=$dir/certpress.conf
	"$BIN/certpress" keygen 2> /dev/null
	"$BIN/certpress" keygen --signing 2> /dev/null
	python3 "$TOP/bench/gen-results.py" "$n" results.xml
	progress "$n: results file made"
	fresh() { discard spool; }

	measure fresh "$BIN/certpress-validate" -q results.xml
	batch=$(cut -d' ' -f1 "$WORK/out")
	row "$n" validate 1 learners "$n"
	snapshot validated

	measure "restore validated" "$BIN/certpress-assign" -q "$batch"
	docs=$(sqlite3 spool/registry.sqlite 'select count(*) from documents')
	learners=$(sqlite3 spool/registry.sqlite 'select count(*) from awards')
	row "$n" assign 1 references "$docs"
	snapshot assigned

	alljobs="1 $NPROC"
	[ "$n" -gt "$FULL" ] && alljobs=$NPROC
	for jobs in $alljobs; do
		sed -i "s/^jobs = .*/jobs = $jobs/" certpress.conf
		measure "restore assigned" "$BIN/certpress-render" -q "$batch"
		row "$n" render "$jobs" learners "$learners"
		echo "| $n | render | $jobs | PDFs $((docs * 2)) | | | $(rate $((docs * 2)) "$med") | $(rate $((docs * 2)) "$cpu") | |" >> "$OUT"
		if [ "$jobs" = 1 ]; then
			cp_rate=$(rate $((docs * 2)) "$cpu")
			cp_rss=$rss
		fi
	done
	snapshot rendered
	progress "$n: render done"
	[ "$n" -le "$FULL" ] && signing_rows "$n" "$batch" "$learners"
	if [ "$n" -gt "$FULL" ]; then
		batch_check "$n" "$batch" 0
		for s in snap-*; do discard "$s"; done
		cd "$TOP"
		continue
	fi

	measure "restore rendered" "$BIN/certpress-pack" -q "$batch"
	row "$n" pack 1 documents "$docs"
	bytes=$(du -cb "spool/exports/$batch" "spool/print/$batch" | tail -1 | cut -f1)
	echo "| $n | pack | 1 | MB written $((bytes >> 20)) | | | $(awk -v b="$bytes" -v s="$med" 'BEGIN { printf "%.0f MB", b / 1048576 / s }') | $(awk -v b="$bytes" -v s="$cpu" 'BEGIN { printf "%.0f MB", b / 1048576 / s }') | |" >> "$OUT"
	snapshot packed

	# an export on demand of the whole batch (issue 19: certpress export, the
	# nightly zip's code), beside plain zip storing the same digital copies
	measure "restore packed" "$BIN/certpress" -q export --centre C09999 --batch "$batch" --name bench
	row "$n" "certpress export --batch" 1 documents "$docs"
	unzip -tqq "spool/downloads/C09999/bench.zip" > /dev/null 2>&1 ||
		echo "$n learners: the export's zip fails unzip -t" >> "$WORK/checks"
	plainzip() { discard "$WORK/plain.zip"; }
	measure plainzip zip -q -0 -r "$WORK/plain.zip" "spool/batches/$batch/digital"
	row "$n" "zip -0 -r of the same digital copies" 1 documents "$docs"
	restore packed
	# the printing house's confirmation of that print file (every document
	# printed on its own sheet, the consignment dispatched), read by
	# certpress printed; beside it xmllint checking the same file against the
	# schema alone, what a user would reach for to look at it
	ticket=$(ls spool/print/$batch/*.ticket.xml)
	python3 "$TOP/tests/tools/confirm.py" "$ticket" B > confirmation.xml
	confirmed=$(grep -c '<document ' confirmation.xml)
	measure "restore packed" "$BIN/certpress" -q printed confirmation.xml
	row "$n" "printed (a confirmation)" 1 documents "$confirmed"
	measure true xmllint --noout --schema "$TOP/config/confirmation.xsd" confirmation.xml
	row "$n" "xmllint --schema (the same file, validation only)" 1 documents "$confirmed"

	mkdir -p smtp
	/usr/bin/python3 "$TOP/tests/tools/smtpd.py" "$dir/smtp" > smtpd.log 2>&1 &
	smtpd=$!
	for _ in $(seq 100); do [ -s smtp/port ] && break; sleep 0.1; done
	sed -i "s|^transport = .*|transport = smtp://127.0.0.1:$(cat smtp/port)|" certpress.conf
	measure "restore packed" "$BIN/certpress-notify" -q "$batch"
	sent=$(sqlite3 spool/registry.sqlite "select count(*) from notifications where status = 'sent'")
	row "$n" "notify (SMTP)" 1 messages "$sent"
	kill "$smtpd"
	wait "$smtpd" 2> /dev/null || true
	sed -i "s|^transport = .*|transport = file:spool/outbox|" certpress.conf

	sed -i "s/^jobs = .*/jobs = 0/" certpress.conf
	inbox() { discard spool; mkdir -p spool/inbox; cp results.xml spool/inbox/; }
	measure inbox "$BIN/certpress" -q run
	row "$n" "certpress run (file: mail)" "$NPROC" learners "$learners"
	batch=$(ls spool/batches | head -1)
	progress "$n: whole run done"

	batch_check "$n" "$batch" 1
	if [ "$PEERS" = 1 ]; then
		"$TOP/bench/peers/run.sh" "$n" "$dir" 1 "$cp_rate" "$cp_rss" >> "$OUT.peers"
	fi
	for s in snap-*; do discard "$s"; done
	cd "$TOP"
done

# Search as staff use it (issue 19): certpress search on a generated registry
# of BENCH_SEARCH_DOCS documents (bench/gen-registry.sh), each query the
# median of RUNS runs, the process's start included; beside it the query a
# user would type into sqlite3 instead (LIKE: ASCII case only, no accents).
# The registry is made once and kept in the build folder, named by the
# schema version, the size and the generator's hash: a later bench (or
# another build of the same schema) searches the same one.
SEARCH_DOCS=${BENCH_SEARCH_DOCS:-1000000}
if [ "$SEARCH_DOCS" -gt 0 ]; then
	schema=$(sed -n 's/^#define CP_REGISTRY_VERSION \([0-9]*\)/\1/p' "$TOP/pipeline/registry.h")
	search=$BIN/bench-registry-v$schema-$SEARCH_DOCS-$(sha256sum "$TOP/bench/gen-registry.sh" | cut -c1-8)
	if [ ! -s "$search/spool/registry.sqlite" ]; then
		progress "search: a registry of $SEARCH_DOCS documents"
		rm -rf "$search.new"
		PATH=$BIN:$PATH "$TOP/bench/gen-registry.sh" "$search.new" "$SEARCH_DOCS" > /dev/null
		mv "$search.new" "$search"
	fi
	export CERTPRESS_CONF=$search/certpress.conf
	runs=$RUNS
	nothing() { :; }
	{
		echo
		echo "## Search, $SEARCH_DOCS documents (target: under 50 ms a query)"
		echo
		echo "| query | tool | wall s (min-max) | documents found |"
		echo "|---|---|---|---|"
	} >> "$OUT"
	# each finds something in any registry of 3,000 documents or more
	# (the bench registry has one qualification, batch and award date: the
	# searches by them, and by --status valid, match every document)
	for q in "--last-name stemba --limit 50" "--last-name stemaaa --first-name firstb" \
		"--last-name stemt --dob 1990-05-05" "--dob 30/09/1981" "--enrolment BEN00000001234" \
		"--centre C00042 --limit 50" "--first-name firstb --limit 50" \
		"--qualification 603/9000/1 --limit 50" "--qualification 603/9000/1 --limit 50 --offset 1000" \
		"--batch 20260101-000000-001 --limit 50" "--status valid --limit 50" \
		"--awarded-from 2026-11-01 --limit 50" "--centre C00042 --status valid --limit 50" \
		"--last-name stem --limit 50 --offset 1000"; do
		# shellcheck disable=SC2086 # the query is words
		measure nothing "$BIN/certpress" search $q
		echo "| \`$q\` | certpress search | $med ($lo-$hi) | $(grep -c . "$WORK/out" || true) |" >> "$OUT"
	done
	measure nothing sqlite3 "$search/spool/registry.sqlite" \
		"select d.reference from documents d join awards a on a.id = d.award_id where a.last_name like 'stemba%' limit 50"
	echo "| \`last_name LIKE 'stemba%'\` | sqlite3 | $med ($lo-$hi) | $(grep -c . "$WORK/out" || true) |" >> "$OUT"
	unset CERTPRESS_CONF
	progress "search done"
fi

{
	if [ -s "$WORK/sizes" ]; then # none when BENCH_SIZES is empty: the search alone
		echo
		echo "Average and largest PDF (KB), the largest batch:"
		echo
		echo "| copy | document | average | largest |"
		echo "|---|---|---|---|"
		cat "$WORK/sizes"
	fi
	echo
	echo "Outputs checked:"
	echo
	sed 's/^/- /' "$WORK/checks"
	if [ -s "$OUT.peers" ]; then
		echo
		echo "## Peers on the same learners"
		echo
		echo "Apache FOP (one JVM, FOP's API, \`bench/peers/certificate.xsl\`) and WeasyPrint (one"
		echo "Python process, \`bench/peers/weasy_peer.py\`) lay out the print certificate and"
		echo "transcript of the first ${PEER_LEARNERS:-500} learners of each batch, one PDF a learner"
		echo "(2 documents), the QR codes made beforehand and not timed; one run each."
		echo "certpress's figures are its render stage on one core (every document twice: digital"
		echo "and print, letters too), counted per PDF."
		echo
		echo "| batch | tool | documents | wall s | CPU s | documents per CPU s | peak RSS MB | certpress / peer: documents per CPU s | peer / certpress: peak RSS |"
		echo "|---|---|---|---|---|---|---|---|---|"
		cat "$OUT.peers"
	fi
	echo
	echo "Targets (issue 9): render 250 learners (certificate + transcript) a second on one core"
	echo "and 450 on both, 20 x Apache FOP's documents per CPU second; PDFs at most 30 KB; validate"
	echo "20,000 learners a second; peak RSS under 64 MB; certpress run of 10,000 learners under"
	echo "60 s on 2 cores."
} >> "$OUT"
rm -f "$OUT.peers"
# the verification snapshot and service (BENCH_VERIFY=0 leaves them out)
[ "${BENCH_VERIFY:-1}" = 1 ] && B=$B "$TOP/bench/verify.sh" "$OUT"
# PDF/X print copies beside Ghostscript (BENCH_PRINT=0 leaves them out)
[ "${BENCH_PRINT:-1}" = 1 ] && B=$B "$TOP/bench/print.sh" "$OUT"
for n in ${SIZES//,/ }; do discard "$WORK/$n"; done
progress "done"
if command -v gnuplot > /dev/null; then
	"$TOP/bench/chart.sh" "$DAT" "$TOP/bench/results/$DAY.svg" && echo "![chart]($DAY.svg)" >> "$OUT"
fi
cat "$OUT"
