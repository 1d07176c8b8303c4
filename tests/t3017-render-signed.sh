#!/bin/bash
# Signed, archivable digital copies ([render] protection = sign, the
# default): every digital copy of a batch is PDF/A-2b signed PAdES B-B with
# the awarding body's key, checked with the tools a reader has (pdfsig,
# mutool, openssl cms, an NSS database trusting the test's certificate), its
# PDF/A structure checked by hand (no PDF/A validator ships in Debian:
# veraPDF is not packaged), and certpress verify --file answering for
# genuine, changed, appended-to, re-signed, foreign, revoked and replaced
# files. Then the key's mode, an RSA key, protection = none and encrypt.
. "$(dirname "$0")/lib.sh"
make_key
. "$TOP/tests/tools/testca.sh"
# The awarding body's ECDSA P-256 key and certificate, issued by a test CA
# (as a deployment's is by a CA readers trust), the CA as [sign] chain.
test_ca
test_issue signing "/CN=Example Awards/O=Example Awards"
sed -i 's|^key  *= keys/signing.key|&\nchain = keys/ca.crt|' certpress.conf

through_pack "$FIX/results/good.xml"
check "rendered and packed, signed with a key the test CA certified" "[ $rc = 0 ] && grep -q '^chain' certpress.conf"
dir=spool/batches/$batch
digital=$(ls $dir/digital/*.pdf | tr '\n' ' ')

bad=0 big=0
for f in $digital; do
	pdfsig "$f" > sig 2>&1
	grep -q 'Signature is Valid' sig && grep -q 'Total document signed' sig &&
		grep -q 'Signature Type: ETSI.CAdES.detached' sig &&
		grep -q 'Signer Certificate Common Name: Example Awards' sig ||
		{ bad=$((bad + 1)); echo "# pdfsig: $f" >&2; }
	[ $(stat -c %s "$f") -le 30720 ] || big=$((big + 1))
done
check "pdfsig: each of the $(echo $digital | wc -w) (108) digital copies is signed by Example Awards, valid, the whole document ($bad not)" \
	"[ $(echo $digital | wc -w) = 108 ] && [ $bad = 0 ]"
check "each digital copy is at most 30 KB with its signature and certificate ($big larger)" "[ $big = 0 ]"
bad=0
for f in $digital; do
	mutool sign -v "$f" 2>&1 | grep -q 'The document is unchanged since signing' || bad=$((bad + 1))
done
check "mutool sign -v: each is unchanged since signing ($bad not)" "[ $bad = 0 ]"
check "the print copies are not signed" "! pdfsig $dir/print/\$(ls $dir/print | head -1) | grep -q 'Signature #1'"

# The CMS over the byte ranges, with OpenSSL and the test CA as the only
# trust anchor; pdfsig trusting the CA through an NSS database.
one=$(echo $digital | cut -d' ' -f1)
ranges() { # PDF OUT-RANGES OUT-DER: the signed bytes and the signature's DER
	python3 - "$@" <<-'EOF'
	import re, sys
	b = open(sys.argv[1], 'rb').read()
	a, l1, c, l2 = map(int, re.search(rb'/ByteRange \[ *(\d+) (\d+) (\d+) (\d+) *\]', b).groups())
	open(sys.argv[2], 'wb').write(b[a:a + l1] + b[c:c + l2])
	open(sys.argv[3], 'wb').write(bytes.fromhex(b[a + l1 + 1:c - 1].decode()))
	EOF
}
ranges $one ranges.bin sig.der
check "openssl cms -verify: the signature over the byte ranges holds, by the test's certificate" \
	"openssl cms -verify -binary -inform DER -in sig.der -content ranges.bin -CAfile keys/ca.crt \
	 -purpose any -out /dev/null 2> cms.err && grep -q 'Verification successful' cms.err"
check "...its signed attributes: signing-certificate-v2, no signingTime (PAdES baseline); the root CA not carried" \
	"openssl cms -cmsout -print -inform DER -in sig.der > cms.txt &&
	 grep -q 'id-smime-aa-signingCertificateV2' cms.txt && ! grep -q signingTime cms.txt &&
	 [ \$(grep -c 'subject: ' cms.txt) = 1 ] && grep -q 'subject: CN=Example Awards' cms.txt && ! grep -q 'subject: .*CN=Test Root CA' cms.txt"
mkdir nss && certutil -N -d sql:nss --empty-password &&
	certutil -A -d sql:nss -n 'Test Root CA' -t 'C,C,C' -i keys/ca.crt
check "pdfsig with an NSS database trusting the test CA: Certificate is Trusted" \
	"pdfsig -nssdir sql:nss $one | grep -q 'Certificate Validation: Certificate is Trusted'"

# PDF/A-2b, checked by structure: XMP with pdfaid, the sRGB OutputIntent,
# no encryption, every font embedded, dates agreeing, unique /IDs.
bad=0 fonts=0 ids=
for f in $digital; do
	qpdf --check "$f" > /dev/null 2>&1 || { bad=$((bad + 1)); echo "# qpdf: $f" >&2; }
	pdffonts "$f" | awk 'NR > 2 && $(NF-4) != "yes" { exit 1 }' || fonts=$((fonts + 1))
	ids="$ids $(pdf_id "$f")"
done
check "qpdf --check passes for every signed copy ($bad not)" "[ $bad = 0 ]"
check "pdffonts: every font of every digital copy embedded ($fonts not)" "[ $fonts = 0 ]"
check "every digital copy has its own /ID" \
	"[ \$(echo $ids | wc -w) = 108 ] && [ \$(echo $ids | tr ' ' '\n' | sort -u | wc -l) = 108 ]"
pdfinfo -meta $one > xmp
check "XMP: pdfaid part 2, conformance B, the title and the reference" \
	"contains xmp '<pdfaid:part>2</pdfaid:part>' && contains xmp '<pdfaid:conformance>B</pdfaid:conformance>' &&
	 contains xmp \"<pdf:Keywords>\$(basename $one .pdf)</pdf:Keywords>\""
info_date=$(pdfinfo -rawdates $one | sed -n "s/^CreationDate: *D:\([0-9]\{14\}\)Z00'00'$/\1/p")
xmp_date=$(sed -n 's/.*<xmp:CreateDate>\(.*\)Z<\/xmp:CreateDate>.*/\1/p' xmp | tr -d -- '-:T')
check "the Info dictionary's and the XMP's creation dates are the same instant, in UTC ($info_date)" \
	"[ -n '$info_date' ] && [ '$info_date' = '$xmp_date' ]"
check "the OutputIntent is GTS_PDFA1 with the sRGB profile of icc-profiles-free" \
	"mutool show $one trailer/Root/OutputIntents > oi && contains oi '/S /GTS_PDFA1' &&
	 p=\$(sed -n 's/.*DestOutputProfile \([0-9]*\) 0 R.*/\1/p' oi) &&
	 qpdf --show-object=\$p --filtered-stream-data $one | cmp -s - /usr/share/color/icc/sRGB.icc"
check "the metadata stream is /Subtype /XML (libharu writes /SubType), not encrypted" \
	"m=\$(qpdf --show-object=trailer $one >/dev/null && mutool show $one trailer/Root/Metadata | head -6) &&
	 echo \"\$m\" | grep -q '/Subtype /XML' && ! echo \"\$m\" | grep -q SubType &&
	 qpdf --show-encryption $one | grep -q 'File is not encrypted'"
ref=$(doc_ref Llywelyn certificate)
# The certificate's template places a <seal> over the signature image
# (123.5 mm, 158 mm, 50 x 13.3 mm on A4 landscape); the transcript has none.
check "the certificate's signature is a visible seal where its template puts it, with an appearance" \
	"mutool show $dir/digital/$ref.pdf trailer/Root/AcroForm/Fields/1 > widget &&
	 contains widget '/Rect [ 350.08 109.7 491.81 147.4 ]' && contains widget '/AP' && contains widget '/F 132'"
check "the transcript's signature is invisible (a zero rectangle)" \
	"mutool show $dir/digital/\$(doc_ref Llywelyn transcript).pdf trailer/Root/AcroForm/Fields/1 | grep -q '/Rect \[ 0 0 0 0 \]'"
check "pdftotext reads the exact name from the signed copy" \
	"pdftotext $dir/digital/$ref.pdf - | grep -qF 'Siân Llywelyn'"

# certpress verify --file.
check_exit 0 "verify --file: a digital copy as issued" certpress verify --file $dir/digital/$ref.pdf
check "...genuine, signed by Example Awards, the whole file, its reference, valid, the digest recorded" \
	"[ \"\$(head -1 out)\" = genuine ] && contains out 'signer: /CN=Example Awards' &&
	 contains out 'covers: the whole file' && contains out 'reference: $ref' &&
	 contains out 'status: valid' && contains out '(the one recorded)'"
check_exit 0 "verify --json --file: the same answer as JSON" certpress verify --json --file $dir/digital/$ref.pdf
check "...genuine, its signer, the whole file, reference, status and the digest recorded" \
	"python3 -c \"import json,sys; j = json.load(open('out'))
assert j['verdict'] == 'genuine' and j['genuine'] is True, j
assert j['signer'].startswith('/CN=Example Awards') and j['signature'] == 'holds', j
assert j['covers_whole_file'] is True and j['bytes_after'] == 0, j
assert j['reference'] == '$ref' and j['status'] == 'valid' and j['digest'] == 'the one recorded', j
assert len(j['sha256']) == 64, j\""
cp $dir/digital/$ref.pdf changed.pdf
python3 -c "import sys; b = bytearray(open('changed.pdf', 'rb').read()); b[2000] ^= 1; open('changed.pdf', 'wb').write(b)"
check_exit 1 "verify --file: one byte changed" certpress verify --file changed.pdf
check "...modified after signing; pdfsig says the signature is invalid" \
	"[ \"\$(head -1 out)\" = 'modified after signing' ] && contains out 'signature: does not hold' &&
	 ! pdfsig changed.pdf | grep -q 'Signature is Valid'"
cp $dir/digital/$ref.pdf appended.pdf
printf '%% appended\n' >> appended.pdf
check_exit 1 "verify --file: bytes appended after the signature" certpress verify --file appended.pdf
check_exit 1 "verify --json --file: bytes appended" certpress verify --json --file appended.pdf
check "...as JSON: not the whole file, 11 bytes after" \
	"python3 -c \"import json; j = json.load(open('out'))
assert j['verdict'] == 'modified after signing' and j['covers_whole_file'] is False, j
assert j['bytes_after'] == 11, j\""
check_exit 1 "verify --file: bytes appended after the signature, again as text" certpress verify --file appended.pdf
check "...modified; pdfsig: still valid but no longer the total document" \
	"[ \"\$(head -1 out)\" = 'modified after signing' ] && contains out 'covers: all but the last 11 bytes' &&
	 pdfsig appended.pdf > sig && grep -q 'Signature is Valid' sig && ! grep -q 'Total document signed' sig"
# an incremental edit by another tool: pdfsig signs it again with its own
# key (RSA: poppler 22.12's -add-signature fails about 2 times in 3 with an
# ECDSA key, "unable update signature")
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.crt \
	-days 30 -subj "/CN=Someone Else" 2> /dev/null
openssl pkcs12 -export -inkey other.key -in other.crt -name other -passout pass: -out other.p12
pk12util -d sql:nss -i other.p12 -W '' > /dev/null 2>&1
pdfsig -nssdir sql:nss -add-signature -nick other $dir/digital/$ref.pdf resigned.pdf > /dev/null 2>&1
check "pdfsig added a second signature in an incremental update" \
	"[ \$(pdfsig resigned.pdf 2>/dev/null | grep -c '^Signature #') = 2 ]"
check_exit 1 "verify --file: signed again by someone else" certpress verify --file resigned.pdf
check "...modified after signing (ours no longer covers the whole file)" \
	"[ \"\$(head -1 out)\" = 'modified after signing' ]"
check_exit 1 "verify --file: a print copy" certpress verify --file $dir/print/$ref.pdf
check "...not signed by us" "[ \"\$(head -1 out)\" = 'not signed by us' ] && contains out 'no signature in it'"
check_exit 1 "verify --json --file: a print copy" certpress verify --json --file $dir/print/$ref.pdf
check "...not signed by us, no reference or status, as JSON" \
	"python3 -c \"import json; j = json.load(open('out'))
assert j['verdict'] == 'not signed by us' and j['genuine'] is False, j
assert j['signer'] is None and j['reference'] is None and j['status'] is None, j
assert 'no signature' in j['signature'] and 'covers_whole_file' not in j, j\""
sed '/^certificate/d' certpress.conf > nocert.conf
check_exit 78 "verify --file without [sign] certificate" certpress -c nocert.conf verify --file $dir/digital/$ref.pdf
check "...says there is nothing to check against" "contains err '[sign] certificate is not set'"
check_exit 66 "verify --file: no such file" certpress verify --file nothere.pdf
check "...says which" "contains err 'nothere.pdf: cannot read'"

# Another key of the same name: signed, but not by us.
mkdir -p other/keys && sed '/^chain/d' certpress.conf > other/certpress.conf && cp keys/reference.key other/keys/
(cd other && certpress -c certpress.conf keygen --signing > /dev/null 2>&1)
check_exit 1 "verify --file against another certificate" certpress -c other/certpress.conf verify --file $dir/digital/$ref.pdf
check "...not signed by us, though it holds" \
	"[ \"\$(head -1 out)\" = 'not signed by us' ] && contains out 'signature: holds'"

# The registry's word on a genuine file.
other=$(doc_ref Llywelyn transcript)
run certpress revoke "$other" --reason "malpractice found"
check_exit 1 "verify --file: a revoked document's genuine copy" certpress verify --file $dir/digital/$other.pdf
check "...genuine but revoked" "[ \"\$(head -1 out)\" = 'genuine but revoked' ]"
run certpress reprint "$ref" --reason "lost in the post"
new=$(cat out)
check_exit 1 "verify --file: a replaced document's genuine copy" certpress verify --file $dir/digital/$ref.pdf
check "...genuine but replaced by $new" "[ \"\$(head -1 out)\" = 'genuine but replaced by $new' ]"
check "the replacement copy reprint made is signed too, and verify --file knows its digest" \
	"pdfsig spool/reprints/digital/$new.pdf | grep -q 'Signature is Valid' &&
	 certpress verify --file spool/reprints/digital/$new.pdf > out;
	 contains out \"reference: $new\" && contains out '(the one recorded)'"

# The same batch rendered again under other settings.
rerender() {
	rm -rf $dir/rendered.xml $dir/digital $dir/print
	run certpress-render "$batch"
	f=$dir/digital/$(ls $dir/digital 2> /dev/null | head -1)
}

# A key others may read is refused before anything is rendered.
chmod 640 keys/signing.key
rerender
check "render refuses a signing key of mode 0640 (exit 78), naming it" \
	"[ $rc = 78 ] && grep -q 'signing.key' err && [ ! -e $dir/rendered.xml ]"
chmod 600 keys/signing.key

# A certificate ending within 30 days signs, with a warning to renew it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout keys/soon.key \
	-out keys/soon.crt -days 10 -subj "/CN=Example Awards/O=Example Awards" 2> /dev/null
chmod 600 keys/soon.key
cp certpress.conf before-soon.conf
sed -i 's|^certificate *=.*|certificate = keys/soon.crt|; s|^key *=.*|key = keys/soon.key|; /^chain/d' certpress.conf
rerender
check "a certificate ending in 10 days: signed, with a warning naming it and its end" \
	"[ $rc = 0 ] && pdfsig $f | grep -q 'Signature is Valid' &&
	 contains err 'keys/soon.crt: the signing certificate expires on $(date -u -d '+10 days' +%F)'"
cp before-soon.conf certpress.conf
rerender
check "...none for one ending later" "[ $rc = 0 ] && ! contains err 'signing certificate expires'"

# RSA-3072, and a key that is not the certificate's.
openssl req -x509 -newkey rsa:3072 -nodes -keyout keys/rsa.key -out keys/rsa.crt -days 3650 \
	-subj "/CN=Example Awards RSA/O=Example Awards" 2> /dev/null
chmod 600 keys/rsa.key
cp certpress.conf ecdsa.conf
sed -i 's|^certificate *=.*|certificate = keys/rsa.crt|; s|^key *=.*|key = keys/signing.key|; /^chain/d' certpress.conf
rerender
check "a key that is not the certificate's is refused (exit 78)" \
	"[ $rc = 78 ] && contains err 'the key is not the certificate'"
sed -i 's|^key *=.*|key = keys/rsa.key|' certpress.conf
rerender
check "signed with RSA-3072: pdfsig says valid, the whole document, by its signer" \
	"[ $rc = 0 ] && pdfsig $f > sig && grep -q 'Signature is Valid' sig && grep -q 'Total document signed' sig &&
	 grep -q 'Common Name: Example Awards RSA' sig"
cp ecdsa.conf certpress.conf

# A copy signed by the body's previous certificate, since expired (valid in
# 2020; the CA issued it, as it issued today's): checked under today's
# [sign] certificate and chain it is still ours, and genuine. Who signed is
# the question, not whether that certificate is current.
test_issue_expired old "/CN=Example Awards/O=Example Awards"
sed -i 's|^certificate *=.*|certificate = keys/old.crt|; s|^key *=.*|key = keys/old.key|' certpress.conf
rerender
check "render refuses a signing certificate past its end (exit 78), naming it and the date" \
	"[ $rc = 78 ] && contains err 'keys/old.crt: the signing certificate expired on 202' &&
	 [ ! -e $dir/rendered.xml ]"
CERTPRESS_NOW=$(date -d 2020-07-01 +%s) rerender
check "...and signs with it on a day it was valid" "[ $rc = 0 ] && [ -e $dir/rendered.xml ]"
k=$(doc_ref Brontë certificate)
cp ecdsa.conf certpress.conf
check_exit 0 "verify --file: signed by the previous certificate, expired since" certpress verify --file $dir/digital/$k.pdf
check "...genuine" "[ \"\$(head -1 out)\" = genuine ] && openssl x509 -in keys/old.crt -noout -checkend 0 | grep -q 'will expire'"

# protection = none: PDF/A, not signed; encrypt: RC4 as before, never PDF/A.
printf '[render]\nprotection = none\n' >> certpress.conf
rerender
check "protection = none: PDF/A, not signed, not encrypted" \
	"[ $rc = 0 ] && pdfinfo -meta $f | grep -q '<pdfaid:part>2' && ! pdfsig $f | grep -q 'Signature #1' &&
	 qpdf --show-encryption $f | grep -q 'not encrypted'"
sed -i 's/^protection = none/protection = encrypt/' certpress.conf
rerender
check "protection = encrypt: RC4 owner password (R3), may not be modified, no PDF/A metadata" \
	"[ $rc = 0 ] && qpdf --show-encryption $f | grep -q 'R = 3' &&
	 qpdf --show-encryption $f | grep -q 'modify anything: not allowed' &&
	 qpdf --show-encryption $f | grep -q 'print high resolution: allowed' &&
	 ! pdfinfo -meta $f | grep -q pdfaid && ! pdfsig $f | grep -q 'Signature #1'"
sed -i 's/^protection = encrypt/protection = stamp/' certpress.conf
check_exit 78 "protection = stamp is refused" certpress-render "$batch"
check "...naming the values" "contains err 'not sign, none or encrypt'"
sed -i 's/^protection = stamp/protection = sign/; s|^key *= keys/signing.key|&\ntsa-url = https://tsa.example.org/|' certpress.conf
check_exit 78 "an https:// time-stamp authority is refused (RFC 3161 over plain HTTP: the token is signed)" \
	certpress-render "$batch"
check "...naming the key" "contains err 'tsa-url' && contains err 'not an http:// URL'"

# The certificate and its chain are the operator's files, opened as every
# outside file is (t8003): a FIFO or a link to /dev/zero is refused at once
# with its reason and 78, never waited on or read without end.
sed -i 's|^tsa-url = https://tsa.example.org/$||' certpress.conf
cp certpress.conf signed.conf
mkfifo cert.fifo
ln -s /dev/zero cert.zero
for f in cert.fifo cert.zero; do
	for k in certificate chain; do
		sed "/^$k *=/d; s|^key *=.*|&\n$k = $SCRATCH/$f|" signed.conf > certpress.conf
		rm -rf $dir/rendered.xml $dir/digital $dir/print
		run timeout 20 certpress-render "$batch"
		check "[sign] $k = $f: render refuses it at once (exit 78, not a hang)" "[ $rc = 78 ]"
		check "...naming the file and why" "grep -q '$f: cannot read the signing $k: not a regular file' err"
	done
done
cp signed.conf certpress.conf

done_testing
