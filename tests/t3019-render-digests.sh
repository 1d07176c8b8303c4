#!/bin/bash
# The SHA-256 render records for every copy (rendered.xml: what verify
# --file and pack's manifest hold the file to) is the file's own, under
# every [render] protection and key kind: it is made as the file is
# written, going on from the hash of the /ID and the signature's (each
# byte hashed once), not read back from the file, so a part left out or
# hashed twice would show here. And every signature, made after the first
# from the DER kept of it (cmssign.c), holds over its byte ranges.
. "$(dirname "$0")/lib.sh"
make_key

# How many copies of the batch have a recorded SHA-256 that is not their
# file's, out of how many ("bad of all").
wrong_digests() {
	python3 - "spool/batches/$batch" <<'PY'
import hashlib, re, sys
d = sys.argv[1]
s = open(d + "/rendered.xml").read()
bad = n = 0
for m in re.finditer(r'<document [^>]*>', s):
    t = m.group(0)
    ref = re.search(r'reference="([^"]+)"', t).group(1)
    for copy in ("digital", "print"):
        h = re.search(copy + r'-sha256="([0-9a-f]{64})"', t)
        n += 1
        with open(f"{d}/{copy}/{ref}.pdf", "rb") as f:
            if not h or hashlib.sha256(f.read()).hexdigest() != h.group(1):
                bad += 1
print(bad, "of", n)
PY
}

# How many signed digital copies fail openssl cms -verify over their byte
# ranges (the signature as pdfsig finds it) by certificate $1, out of how
# many.
bad_signatures() {
	python3 - "spool/batches/$batch/digital" "$1" <<'PY'
import binascii, glob, re, subprocess, sys
bad = n = 0
for f in sorted(glob.glob(sys.argv[1] + "/*.pdf")):
    b = open(f, "rb").read()
    r = [int(x) for x in re.search(rb"/ByteRange \[ *(\d+) (\d+) (\d+) (\d+) *\]", b).groups()]
    der = binascii.unhexlify(b[r[1] + 1:r[2] - 1])
    data = b[r[0]:r[0] + r[1]] + b[r[2]:r[2] + r[3]]
    open("sig.der", "wb").write(der)
    open("ranges.bin", "wb").write(data)
    n += 1
    ok = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der",
                         "-content", "ranges.bin", "-CAfile", sys.argv[2], "-purpose", "any",
                         "-out", "/dev/null"], capture_output=True).returncode == 0
    bad += not ok
print(bad, "of", n)
PY
}

rerender() {
	rm -rf "spool/batches/$batch/rendered.xml" "spool/batches/$batch/digital" \
		"spool/batches/$batch/print"
	run certpress-render "$batch"
}

through_render "$FIX/results/good.xml"
check "protection = sign (ECDSA P-256): every copy's recorded SHA-256 is its file's" \
	"[ $rc = 0 ] && [ \"\$(wrong_digests)\" = '0 of 216' ]"
check "...and every signature holds over its byte ranges" \
	"[ \"\$(bad_signatures keys/signing.crt)\" = '0 of 108' ]"

openssl req -x509 -newkey rsa:2048 -nodes -keyout keys/rsa.key -out keys/rsa.crt -days 30 \
	-subj "/CN=Example Awards/O=Example Awards" 2> /dev/null
chmod 600 keys/rsa.key
sed -i 's|^key *= keys/signing.key|key = keys/rsa.key|; s|^certificate *= keys/signing.crt|certificate = keys/rsa.crt|' certpress.conf
rerender
check "protection = sign (RSA-2048): every copy's recorded SHA-256 is its file's" \
	"[ $rc = 0 ] && [ \"\$(wrong_digests)\" = '0 of 216' ]"
check "...and every signature holds over its byte ranges" \
	"[ \"\$(bad_signatures keys/rsa.crt)\" = '0 of 108' ]"

printf '[render]\nprotection = none\n' >> certpress.conf
rerender
check "protection = none (PDF/A, unsigned): every copy's recorded SHA-256 is its file's" \
	"[ $rc = 0 ] && [ \"\$(wrong_digests)\" = '0 of 216' ]"
sed -i 's/^protection = none/protection = encrypt/' certpress.conf
rerender
check "protection = encrypt: every copy's recorded SHA-256 is its file's" \
	"[ $rc = 0 ] && [ \"\$(wrong_digests)\" = '0 of 216' ]"

done_testing
