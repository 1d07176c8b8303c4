#!/bin/bash
# Reproducible PDFs: the same batch rendered (and packed) twice, in two
# spools under the same clock (CERTPRESS_NOW, else SOURCE_DATE_EPOCH), gives
# the same bytes in every PDF: the dates in them are the clock's, and the
# digital copy's file identifier (/ID, from which its RC4 key is derived)
# is made from the document and the clock, where libharu's is MD5 of the
# time and the Info strings. Under another clock every PDF differs.
. "$(dirname "$0")/lib.sh"
make_key
sed -i '$a [render]\njobs = 2' certpress.conf

validate_and_assign "$FIX/results/good.xml"
check "validated and assigned" "[ $rc = 0 ]"
# Three spools holding the same assigned batch, each with its own config.
for s in a b c d; do
	mkdir -p $s
	cp -a spool $s/
	sed "s|^spool *=.*|spool = $SCRATCH/$s/spool|; s|^registry *=.*|registry = $SCRATCH/$s/spool/registry.sqlite|" \
		certpress.conf > $s/certpress.conf
done
render_pack() { # SPOOL: render and pack it
	certpress-render -c $1/certpress.conf "$batch" > $1/out 2> $1/err &&
		certpress-pack -c $1/certpress.conf "$batch" >> $1/out 2>> $1/err
}
# Every PDF a batch has: digital and print copies, the centre's reports,
# the print file's parts, by their names in the spool.
pdfs() {
	(cd $1/spool && find batches/$batch/digital batches/$batch/print batches/$batch/pack \
		print/$batch -name '*.pdf' | sort)
}
t1=1795000000 # 2026-11-18 11:06:40 UTC
t2=1795003600
CERTPRESS_NOW=$t1 render_pack a
check "spool a rendered and packed under CERTPRESS_NOW=$t1" "[ $? = 0 ]"
sleep 1 # so that the real clock, were it read, would differ
CERTPRESS_NOW=$t1 render_pack b
check "spool b rendered and packed under the same clock" "[ $? = 0 ]"
check "...the same PDFs, 216 copies and the reports and print file" \
	"[ \"\$(pdfs a)\" = \"\$(pdfs b)\" ] && [ \$(pdfs a | grep -c /digital/) = 108 ] &&
	 pdfs a | grep -q certification-report.pdf && pdfs a | grep -q '^print/'"
same=0 differ=0
for f in $(pdfs a); do
	if cmp -s a/spool/$f b/spool/$f; then same=$((same + 1)); else differ=$((differ + 1)); echo "# differs: $f" >&2; fi
done
check "every PDF is byte for byte the same ($same same, $differ not)" "[ $differ = 0 ] && [ $same -gt 216 ]"

ref=$(ls a/spool/batches/$batch/digital | head -1)
ref=${ref%.pdf}
digital=a/spool/batches/$batch/digital/$ref.pdf
print=a/spool/batches/$batch/print/$ref.pdf
report=a/spool/batches/$batch/pack/certification-report.pdf
for f in $digital $report; do
	check "$(basename $(dirname $f))/$(basename $f): its CreationDate is the clock's, no ModDate, no metadata" \
		"pdfinfo -rawdates $f > info && grep -qx \"CreationDate: *D:20261118110640Z00'00'\" info &&
		 ! grep -q ModDate info && grep -qx 'Metadata Stream: *no' info"
done
# a print copy is PDF/X-1a, which asks for a ModDate: the same clock's
check "print/$(basename $print): its CreationDate and ModDate are the clock's, no metadata" \
	"pdfinfo -rawdates $print > info && grep -qx \"CreationDate: *D:20261118110640Z00'00'\" info &&
	 grep -qx \"ModDate: *D:20261118110640Z00'00'\" info && grep -qx 'Metadata Stream: *no' info"
check "the print file's dates are its newest document's" \
	"pdfinfo -rawdates a/spool/print/$batch/print-$batch.pdf > info && grep -qx \"CreationDate: *D:20261118110640+00'00'\" info"
check "the digital copy is still encrypted (R3), with an /ID, and qpdf checks it" \
	"qpdf --show-encryption $digital | grep -q 'R = 3' && qpdf --show-object=trailer $digital | grep -q '/ID \\[ <' && qpdf --check $digital > /dev/null"
pdf_id() { qpdf --show-object=trailer "$1" | sed -n 's/.*\/ID \[ <\([0-9a-f]*\)>.*/\1/p'; }
check "two documents' identifiers differ" \
	"[ -n \"\$(pdf_id $digital)\" ] && [ \"\$(pdf_id $digital)\" != \"\$(pdf_id \$(ls a/spool/batches/$batch/digital/*.pdf | tail -1))\" ]"

CERTPRESS_NOW=$t2 render_pack c
check "spool c rendered and packed an hour later" "[ $? = 0 ]"
same=0
for f in $(pdfs a | grep -v '^print/'); do
	cmp -s a/spool/$f c/spool/$f && { same=$((same + 1)); echo "# same: $f" >&2; }
done
check "under another clock every PDF differs" "[ $same = 0 ]"
check "...the print file too (it carries its documents' date, PDF/X asks for one)" \
	"! cmp -s a/spool/print/$batch/print-$batch.pdf c/spool/print/$batch/print-$batch.pdf"
check "...the digital copy's identifier too" "[ \"\$(pdf_id $digital)\" != \"\$(pdf_id c/spool/batches/$batch/digital/$ref.pdf)\" ]"

# SOURCE_DATE_EPOCH (reproducible-builds.org) when CERTPRESS_NOW is not set.
sleep 1
SOURCE_DATE_EPOCH=$t2 render_pack d
check "spool d rendered and packed under SOURCE_DATE_EPOCH=$t2" "[ $? = 0 ]"
differ=0
for f in $(pdfs a); do
	cmp -s c/spool/$f d/spool/$f || differ=$((differ + 1))
done
check "...the PDFs are those of CERTPRESS_NOW=$t2, dated by it" \
	"[ $differ = 0 ] && pdfinfo -rawdates d/spool/batches/$batch/digital/$ref.pdf | grep -qx \"CreationDate: *D:20261118120640Z00'00'\""
rm -rf d/spool/batches/$batch/rendered.xml d/spool/batches/$batch/digital d/spool/batches/$batch/print
CERTPRESS_NOW=$t1 SOURCE_DATE_EPOCH=$t2 certpress-render -c d/certpress.conf "$batch" > d/out 2> d/err
check "CERTPRESS_NOW wins over SOURCE_DATE_EPOCH" \
	"cmp -s a/spool/batches/$batch/digital/$ref.pdf d/spool/batches/$batch/digital/$ref.pdf"

done_testing
