#!/bin/bash
# Signing with a key held in a token, and time-stamped signatures (PAdES
# B-T): the awarding body's ECDSA key imported into SoftHSM (softhsm2),
# named by its PKCS#11 URI and used through OpenSSL's pkcs11 engine
# (libengine-pkcs11-openssl), the token's PIN in a file refused unless
# 0600; then each signature time-stamped by a real RFC 3161 authority the
# test starts on 127.0.0.1 (tests/tools/tsa.py: `openssl ts -reply` behind
# an HTTP server), the token checked with `openssl ts -verify`, and an
# authority that is down making render wait for a retry (69).
. "$(dirname "$0")/lib.sh"
make_key

# A test CA, the awarding body's key and certificate, a TSA's.
. "$TOP/tests/tools/testca.sh"
test_ca
test_issue hsm "/CN=Example Awards HSM/O=Example Awards"
test_issue tsa "/CN=Test TSA/O=certpress tests" timeStamping

# The key into a SoftHSM token of this scratch folder, then off the disk.
export SOFTHSM2_CONF=$SCRATCH/softhsm2.conf
mkdir tokens
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$SCRATCH" > softhsm2.conf
softhsm2-util --init-token --free --label certpress --pin 4321 --so-pin 87654321 > /dev/null
openssl pkcs8 -topk8 -nocrypt -in keys/hsm.key -out hsm.pk8
softhsm2-util --import hsm.pk8 --token certpress --label signing --id 01 --pin 4321 > /dev/null
check "the key is in the token" \
	"softhsm2-util --show-slots | grep -q 'Label: *certpress' && rm -f hsm.pk8 keys/hsm.key"
printf '4321\n' > keys/token.pin
chmod 600 keys/token.pin
sed -i 's|^certificate *=.*|certificate = keys/hsm.crt\nchain = keys/ca.crt|
	s|^key *=.*|key = pkcs11:token=certpress;object=signing;type=private\npin-file = keys/token.pin\npkcs11-module = /usr/lib/softhsm/libsofthsm2.so|' certpress.conf
printf '[render]\njobs = 2\n' >> certpress.conf

through_pack "$FIX/results/good.xml"
dir=spool/batches/$batch
check "rendered and packed with the key in the token (two workers, each its own session)" "[ $rc = 0 ]"
bad=0
for f in $dir/digital/*.pdf; do
	pdfsig "$f" > sig 2>&1
	grep -q 'Signature is Valid' sig && grep -q 'Total document signed' sig &&
		grep -q 'Common Name: Example Awards HSM' sig || bad=$((bad + 1))
done
check "pdfsig: all 108 digital copies signed by the token's key, valid, whole ($bad not)" \
	"[ \$(ls $dir/digital | wc -l) = 108 ] && [ $bad = 0 ]"
ref=$(doc_ref Llywelyn certificate)
check_exit 0 "verify --file: genuine" certpress verify --file $dir/digital/$ref.pdf
check "...no time-stamp" "[ \"\$(head -1 out)\" = genuine ] && contains out 'time-stamp: no'"

rerender() {
	rm -rf $dir/rendered.xml $dir/digital $dir/print
	run certpress-render "$batch"
}
chmod 644 keys/token.pin
rerender
check "a PIN file others may read is refused (78), naming it" "[ $rc = 78 ] && contains err token.pin"
chmod 600 keys/token.pin
printf '1111\n' > keys/token.pin
rerender
check "a wrong PIN: 78, saying so" "[ $rc = 78 ] && contains err 'the PIN is wrong'"
printf '4321\n' > keys/token.pin
sed -i 's|object=signing|object=nothere|' certpress.conf
rerender
check "a key the token does not hold: 78, naming the URI" "[ $rc = 78 ] && contains err 'object=nothere'"
sed -i 's|object=nothere|object=signing|' certpress.conf

# A time-stamp authority on 127.0.0.1, stopped whenever the test ends.
mkdir tsa
cp keys/tsa.key keys/tsa.crt keys/ca.crt tsa/
echo 01 > tsa/serial
cat > tsa/tsa.cnf <<EOF
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
serial = ./serial
crypto_device = builtin
signer_cert = ./tsa.crt
signer_key = ./tsa.key
certs = ./tsa.crt
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
EOF
stop_tsa() { [ -n "${tsa_pid:-}" ] && kill $tsa_pid 2> /dev/null && wait $tsa_pid 2> /dev/null; tsa_pid=; }
trap 'stop_tsa' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
/usr/bin/python3 "$TOP/tests/tools/tsa.py" "$SCRATCH/tsa" > tsa.log 2>&1 &
tsa_pid=$!
for _ in $(seq 100); do [ -s tsa/port ] && break; sleep 0.1; done
check "the time-stamp authority listens" "[ -s tsa/port ]"
sed -i "s|^pkcs11-module.*|&\ntsa-url = http://127.0.0.1:$(cat tsa/port)/tsa|" certpress.conf

rerender
check "rendered with time-stamps (exit 0)" "[ $rc = 0 ]"
check "...the authority was asked once per digital copy, and once when the key was loaded, per worker" \
	"[ \$(grep -c '^application/timestamp-query$' tsa/requests) = 110 ]"
bad=0
for f in $dir/digital/*.pdf; do
	pdfsig "$f" 2>&1 | grep -q 'Signature is Valid' || bad=$((bad + 1))
done
check "pdfsig: every time-stamped copy valid ($bad not)" "[ $bad = 0 ]"
check_exit 0 "verify --file: genuine, time-stamped" certpress verify --file $dir/digital/$ref.pdf
check "...says so" "[ \"\$(head -1 out)\" = genuine ] && contains out 'time-stamp: yes'"
# 30 KB with the signature and certificate (t3017); the token and the
# authority's certificate add about 4 KB, written in hex
check "every copy at most 34 KB with its token ($(ls -S -l $dir/digital | sed -n 2p | awk '{print $5}') the largest)" \
	"[ \$(find $dir/digital -size +34816c | wc -l) = 0 ]"

# The token is the authority's over the signature value: openssl ts -verify.
python3 - $dir/digital/$ref.pdf sig.der <<'EOF'
import re, sys
b = open(sys.argv[1], 'rb').read()
a, l1, c, l2 = map(int, re.search(rb'/ByteRange \[ *(\d+) (\d+) (\d+) (\d+) *\]', b).groups())
open(sys.argv[2], 'wb').write(bytes.fromhex(b[a + l1 + 1:c - 1].decode()))
EOF
# asn1parse lines: "offset:d=depth hl=H l=L cons|prim: TYPE :value"
openssl asn1parse -inform DER -in sig.der > asn1
token=$(awk '/id-smime-aa-timeStampToken/ { getline; getline; split($1, o, ":"); print o[1]; exit }' asn1)
value=$(awk '/id-smime-aa-timeStampToken/ { print prev; exit } / OCTET STRING / { prev = $0 }' asn1 |
	sed 's/^ *\([0-9]*\):.*hl=\([0-9]*\) *l= *\([0-9]*\).*/\1 \2 \3/')
openssl asn1parse -inform DER -in sig.der -offset $token -noout -out token.der 2> /dev/null
set -- $value
dd if=sig.der of=value.bin bs=1 skip=$(($1 + $2)) count=$3 2> /dev/null
check "openssl ts -verify: the token is the test TSA's, over this signature's value" \
	"openssl ts -verify -token_in -in token.der -data value.bin -CAfile keys/ca.crt -untrusted keys/tsa.crt 2>&1 | grep -q '^Verification: OK'"
check "...and over nothing else" \
	"printf x >> value.bin; ! openssl ts -verify -token_in -in token.der -data value.bin -CAfile keys/ca.crt -untrusted keys/tsa.crt > /dev/null 2>&1"

# An authority that answers 503: render waits for a retry.
touch tsa/fail
rerender
check "the authority down: render exits 69 (the batch waits for retry), naming the URL" \
	"[ $rc = 69 ] && contains err 'http://127.0.0.1:' && [ ! -e $dir/rendered.xml ]"
rm tsa/fail
run certpress retry "$batch"
check "certpress retry finishes the batch once the authority answers" \
	"[ $rc = 0 ] && [ -e $dir/rendered.xml ] && [ \$(ls $dir/digital | wc -l) = 108 ]"
stop_tsa
check "the time-stamp authority stopped" "! kill -0 \$(cat tsa/port) 2> /dev/null && [ -z \"\$tsa_pid\" ]"

done_testing
