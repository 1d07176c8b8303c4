#!/bin/bash
# make bench, PDF/X print copies (issue 18): appends its section to the
# file given (bench.sh's results; stdout without one). The printing house's
# confirmation has its rows in bench.sh, beside xmllint.
#
# - PDF/X-1a print copies: certpress-render of PRINT_LEARNERS learners
#   (default 2000: certificate, transcript and letter, digital and print
#   copies, one core), then certpress-pack, which makes the print file and
#   its ticket; beside it what a user would do instead to get PDF/X from an
#   RGB PDF: Ghostscript's pdfwrite with -dPDFX and CMYK conversion of the
#   first print part, counted per page (its PDFX_def.ps found first in the
#   working folder, -I.). A sample of the print copies and
#   the print part is checked by tests/tools/pdfx.py, so a fast run that
#   writes no PDF/X cannot look good.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
BIN=$TOP/$B
OUT=$(realpath -m "${1:-/dev/stdout}")
N=${PRINT_LEARNERS:-2000}
WORK=$TOP/bench/work/print
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"
export CERTPRESS_TODAY=2026-11-23
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

. "$TOP/bench/lib.sh" # timed
per() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

cat > certpress.conf <<CONF
[certpress]
spool = spool
registry = spool/registry.sqlite
catalogue = $TOP/fixtures/catalogue.xml
schemas = $TOP/config
layouts = $TOP/layouts
key-file = reference.key
centres = centres.xml
[mail]
transport = file:spool/outbox
[render]
jobs = 1
[sign]
certificate = signing.crt
key = signing.key
CONF
cat > centres.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<centres xmlns="urn:certpress:centres:1">
  <centre number="C09999" name="Benchmark College" delivery="courier">
    <address><line>Exams Office</line><line>1 Bench Road</line><line>BN1 1AA</line></address>
  </centre>
</centres>
XML
export CERTPRESS_CONF=$WORK/certpress.conf
"$BIN/certpress" keygen 2> /dev/null
"$BIN/certpress" keygen --signing 2> /dev/null
python3 "$TOP/bench/gen-results.py" "$N" results.xml
"$BIN/certpress-validate" -q results.xml > /dev/null
batch=$(ls spool/batches)
"$BIN/certpress-assign" -q "$batch" > /dev/null

{
	echo
	echo "## PDF/X print copies"
	echo
	echo "$N generated learners on one core; one run each. Render makes every document's digital"
	echo "copy (PDF/A-2b, signed) and its print copy (PDF/X-1a: CMYK, TrimBox and BleedBox, an"
	echo "OutputIntent); pack makes the print file (parts and ticket with consignments). Beside"
	echo "them: Ghostscript 10's pdfwrite (-dPDFX, CMYK conversion, its PDFX_def.ps naming its"
	echo "own CMYK profile and FOGRA39) on the first print part, what one would run to get PDF/X"
	echo "from RGB copies; Ghostscript 10.00 makes PDF/X-3:2002, not -1a, and its boxes are not"
	echo "those of the paper to the point (595.276 for 595.28)."
	echo
	echo "| step | what | how many | wall s | CPU s | peak RSS MB | per CPU s |"
	echo "|---|---|---:|---:|---:|---:|---:|"
} >> "$OUT"

timed "$BIN/certpress-render" -q "$batch"
docs=$(find "spool/batches/$batch/print" -name '*.pdf' | wc -l)
echo "| certpress-render | documents, both copies | $docs | $wall | $cpu | $rss | $(per "$docs" "$cpu") |" >> "$OUT"
for f in $(find "spool/batches/$batch/print" -name '*.pdf' | sort | sed -n '1p;$p'); do
	python3 "$TOP/tests/tools/pdfx.py" "$f" > /dev/null || { echo "not PDF/X: $f" >&2; exit 1; }
done
timed "$BIN/certpress-pack" -q "$batch"
part=$(ls spool/print/"$batch"/*.pdf | sort | head -1)
pages=$(qpdf --show-npages "$part")
python3 "$TOP/tests/tools/pdfx.py" "$part" > /dev/null || { echo "not PDF/X: $part" >&2; exit 1; }
echo "| certpress-pack | print file pages (all parts) | $(for p in spool/print/"$batch"/*.pdf; do qpdf --show-npages "$p"; done | awk '{ s += $1 } END { print s }') | $wall | $cpu | $rss | |" >> "$OUT"
gsdef=$(ls /usr/share/ghostscript/*/lib/PDFX_def.ps 2> /dev/null | head -1)
if command -v gs > /dev/null && [ -n "$gsdef" ]; then
	# its PDFX_def.ps as Ghostscript's documentation says to customise it:
	# the CMYK profile it ships, and FOGRA39 as certpress names it
	icc=/usr/share/color/icc/ghostscript/default_cmyk.icc
	sed "s|^/ICCProfile (.*) def|/ICCProfile ($icc) def|
	     s|/OutputConditionIdentifier (CGATS TR001)|/OutputConditionIdentifier (FOGRA39)|" \
		"$gsdef" > PDFX_def.ps
	timed gs -q -I. -dNOPAUSE -dBATCH -dSAFER --permit-file-read="$icc" -sDEVICE=pdfwrite \
		-dPDFX=true -dPDFSETTINGS=/prepress -sColorConversionStrategy=CMYK \
		-sProcessColorModel=DeviceCMYK -sOutputFile=gs-pdfx.pdf PDFX_def.ps "$part"
	echo "| gs -dPDFX (instead) | pages of the first print part | $pages | $wall | $cpu | $rss | $(per "$pages" "$cpu") |" >> "$OUT"
fi
