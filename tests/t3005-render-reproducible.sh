#!/bin/bash
# Reproducible PDFs: the same batch rendered (and packed) twice, in two
# spools under the same clock (CERTPRESS_NOW, else SOURCE_DATE_EPOCH), gives
# the same bytes in every PDF: the dates in them are the clock's, and the
# digital copy's file identifier (/ID) is made from its content, where
# libharu's is MD5 of the time. Under another clock every PDF differs.
#
# Digital copies are signed (protection = sign, ECDSA P-256 by default).
# ECDSA signatures are randomised, and OpenSSL 3.0 has no deterministic
# ECDSA (RFC 6979 came with 3.2), so two signings of the same bytes give
# two /Contents: for them the test compares everything but the /Contents
# value (what was signed, the byte ranges, the signature dictionary, the
# update's cross-reference stream), and proves the signatures themselves
# hold. With an RSA key (PKCS#1 v1.5 is deterministic, and certpress adds
# no signingTime) the signed files are the same byte for byte.
. "$(dirname "$0")/lib.sh"
make_key
sed -i '$a [render]\njobs = 2' certpress.conf

validate_and_assign "$FIX/results/good.xml"
check "validated and assigned" "[ $rc = 0 ]"
# Spools holding the same assigned batch, each with its own config.
for s in a b c d e f; do
	mkdir -p $s
	cp -a spool $s/
	sed "s|^spool *=.*|spool = $SCRATCH/$s/spool|; s|^registry *=.*|registry = $SCRATCH/$s/spool/registry.sqlite|
	     s|^certificate *=.*|certificate = $SCRATCH/keys/signing.crt|; s|^key  *=.*|key = $SCRATCH/keys/signing.key|" \
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
# A file with its signature value blanked: what signing the same bytes
# again must give whatever ECDSA's random nonce.
unsigned() { perl -0777 -pe 's/\/Contents <[0-9a-f]+>/\/Contents <>/g' "$1"; }
same_pdf() { # A B: the same bytes, or a digital copy's same but its signature value
	cmp -s "$1" "$2" || { case $1 in */digital/*) cmp -s <(unsigned "$1") <(unsigned "$2") ;; *) false ;; esac; }
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
same=0 differ=0 resigned=0
for f in $(pdfs a); do
	if cmp -s a/spool/$f b/spool/$f; then same=$((same + 1))
	elif same_pdf a/spool/$f b/spool/$f; then resigned=$((resigned + 1))
	else differ=$((differ + 1)); echo "# differs: $f" >&2; fi
done
check "every PDF is byte for byte the same, the digital copies' ECDSA signature values aside ($same same, $resigned signed again, $differ not)" \
	"[ $differ = 0 ] && [ $((same + resigned)) -gt 216 ] && [ $same -gt 108 ]"
sigok=0
for f in $(pdfs b | grep /digital/); do
	pdfsig b/spool/$f 2>&1 | grep -q 'Signature is Valid' && sigok=$((sigok + 1))
done
check "...and each signature of the second rendering holds ($sigok of 108)" "[ $sigok = 108 ]"

ref=$(ls a/spool/batches/$batch/digital | head -1)
ref=${ref%.pdf}
digital=a/spool/batches/$batch/digital/$ref.pdf
print=a/spool/batches/$batch/print/$ref.pdf
report=a/spool/batches/$batch/pack/certification-report.pdf
for f in $report; do
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
check "digital/$(basename $digital): its CreationDate and its XMP's are the clock's, no ModDate" \
	"pdfinfo -rawdates $digital > info && grep -qx \"CreationDate: *D:20261118110640Z00'00'\" info &&
	 ! grep -q ModDate info && pdfinfo -meta $digital | grep -q '<xmp:CreateDate>2026-11-18T11:06:40Z</xmp:CreateDate>'"
check "the digital copy is signed, not encrypted, with an /ID, and qpdf checks it" \
	"qpdf --show-encryption $digital | grep -q 'not encrypted' && [ -n \"\$(pdf_id $digital)\" ] &&
	 pdfsig $digital | grep -q 'Total document signed' && qpdf --check $digital > /dev/null"
check "two documents' identifiers differ" \
	"[ -n \"\$(pdf_id $digital)\" ] && [ \"\$(pdf_id $digital)\" != \"\$(pdf_id \$(ls a/spool/batches/$batch/digital/*.pdf | tail -1))\" ]"

CERTPRESS_NOW=$t2 render_pack c
check "spool c rendered and packed an hour later" "[ $? = 0 ]"
same=0
for f in $(pdfs a | grep -v '^print/'); do
	same_pdf a/spool/$f c/spool/$f && { same=$((same + 1)); echo "# same: $f" >&2; }
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
	same_pdf c/spool/$f d/spool/$f || differ=$((differ + 1))
done
check "...the PDFs are those of CERTPRESS_NOW=$t2, dated by it" \
	"[ $differ = 0 ] && pdfinfo -rawdates d/spool/batches/$batch/digital/$ref.pdf | grep -qx \"CreationDate: *D:20261118120640Z00'00'\""
rm -rf d/spool/batches/$batch/rendered.xml d/spool/batches/$batch/digital d/spool/batches/$batch/print
CERTPRESS_NOW=$t1 SOURCE_DATE_EPOCH=$t2 certpress-render -c d/certpress.conf "$batch" > d/out 2> d/err
check "CERTPRESS_NOW wins over SOURCE_DATE_EPOCH" \
	"same_pdf a/spool/batches/$batch/digital/$ref.pdf d/spool/batches/$batch/digital/$ref.pdf"

# An RSA key: the signed copies are the same bytes, signature values too.
openssl req -x509 -newkey rsa:2048 -nodes -keyout keys/rsa.key -out keys/rsa.crt -days 3650 \
	-subj "/CN=Example Awards/O=Example Awards" 2> /dev/null
chmod 600 keys/rsa.key
for s in e f; do
	sed -i "s|^certificate *=.*|certificate = $SCRATCH/keys/rsa.crt|; s|^key *=.*|key = $SCRATCH/keys/rsa.key|" $s/certpress.conf
	CERTPRESS_NOW=$t1 certpress-render -c $s/certpress.conf "$batch" > $s/out 2> $s/err
done
differ=0
for f in $(pdfs e | grep /digital/); do
	cmp -s e/spool/$f f/spool/$f || differ=$((differ + 1))
done
check "signed with RSA, every digital copy is byte for byte the same ($differ differ)" \
	"[ \$(pdfs e | grep -c /digital/) = 108 ] && [ $differ = 0 ] &&
	 pdfsig e/spool/batches/$batch/digital/$ref.pdf | grep -q 'Signature is Valid'"

done_testing
