# tests/tools/testca.sh, sourced by the signing tests (t3017, t3018): a CA
# of the test's own, as a deployment's certificates come from a CA readers
# trust, and certificates it issues. Keys are ECDSA P-256, mode 0600, in
# ./keys of the scratch folder.
TESTCA_ECDSA="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"

# keys/ca.key and keys/ca.crt: "Test Root CA", self-signed, CA:TRUE.
test_ca() {
	openssl req -x509 $TESTCA_ECDSA -keyout keys/ca.key -out keys/ca.crt -days 3650 \
		-subj "/CN=Test Root CA/O=certpress tests" -addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2> /dev/null
}

# NAME SUBJECT [EXTENDED-KEY-USAGE]: keys/NAME.key and keys/NAME.crt, a
# certificate for signing (digitalSignature, nonRepudiation) the CA issued.
test_issue() {
	openssl req -new $TESTCA_ECDSA -keyout keys/$1.key -out $1.csr -subj "$2" 2> /dev/null
	printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n' > $1.ext
	[ -n "${3:-}" ] && printf 'extendedKeyUsage=critical,%s\n' "$3" >> $1.ext
	openssl x509 -req -in $1.csr -CA keys/ca.crt -CAkey keys/ca.key -CAcreateserial -days 365 \
		-extfile $1.ext -out keys/$1.crt 2> /dev/null
	chmod 600 keys/$1.key
}

# NAME SUBJECT: as test_issue, but valid only in 2020 (openssl ca sets the
# dates): a certificate long expired.
test_issue_expired() {
	mkdir -p testca && : > testca/index && echo 1000 > testca/serial
	cat > testca/ca.cnf <<-CNF
	[ ca ]
	default_ca = test
	[ test ]
	database = testca/index
	serial = testca/serial
	new_certs_dir = testca
	default_md = sha256
	policy = any
	unique_subject = no
	[ any ]
	commonName = supplied
	organizationName = optional
	[ ext ]
	basicConstraints = critical,CA:FALSE
	keyUsage = critical,digitalSignature,nonRepudiation
	CNF
	openssl req -new $TESTCA_ECDSA -keyout keys/$1.key -out $1.csr -subj "$2" 2> /dev/null
	openssl ca -batch -config testca/ca.cnf -cert keys/ca.crt -keyfile keys/ca.key -in $1.csr \
		-out keys/$1.crt -startdate 20200101000000Z -enddate 20210101000000Z -extensions ext \
		-notext > /dev/null 2>&1
	chmod 600 keys/$1.key
}
