#!/bin/sh
# make demo: a fresh demo spool (./spool, as config/certpress.conf names it),
# the bundled results file dropped in its inbox, and the whole nightly run
# (certpress run: validate, assign, render, pack, notify) with the embedded
# defaults: SQLite, file: mail; digital copies signed PDF/A with a demo
# certificate (keygen --signing: self-signed, so readers call its issuer
# unknown; a deployment needs one from a CA readers trust).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
cd "$TOP"
CONF=$TOP/config/certpress.conf
export PATH="$TOP/$B:$PATH"

echo "certpress demo: starting a fresh spool in $TOP/spool"
rm -rf spool
umask 027 # the spool holds learners' data: its folders 0750, as certpress makes them
mkdir -p spool/inbox
cp fixtures/results/good.xml spool/inbox/good.xml
certpress -c "$CONF" keygen
certpress -c "$CONF" keygen --signing
certpress -c "$CONF" keygen --publish # signs the verification snapshot run publishes

set +e
certpress -c "$CONF" run
rc=$?
set -e
if [ "$rc" != 0 ]; then
	echo "certpress demo: the run stopped (exit $rc); 'certpress -c $CONF status' tells where" >&2
	exit "$rc"
fi
batch=$(ls spool/batches | tail -1)
dir=spool/batches/$batch

echo
echo "batch $batch in $dir:"
for f in accepted rejected held; do
	printf '  %-13s %3s learners\n' "$f.xml" "$(grep -c '<learner ' "$dir/$f.xml")"
done
printf '  %-13s %3s documents with references\n' assigned.xml "$(grep -c '<document ' "$dir/assigned.xml")"
printf '  %-13s %3s PDFs (digital copies: marked, PDF/A, signed)\n' digital/ "$(ls "$dir/digital" | wc -l)"
printf '  %-13s %3s PDFs (print copies for the security paper)\n' print/ "$(ls "$dir/print" | wc -l)"
echo "the centre's zip:     $(ls spool/exports/"$batch"/*.zip)"
echo "the print file:       $(ls spool/print/"$batch"/*.pdf | head -1)"
echo "its job ticket:       $(ls spool/print/"$batch"/*.ticket.xml)"
echo "emails:               $(ls spool/outbox/*.eml | wc -l) messages in spool/outbox/ (learners and the centre)"
ref=$(sed -n 's/.*type="certificate" reference="\([^"]*\)".*/\1/p' "$dir/assigned.xml" | head -1)

# Orders: a duplicate of the certificate and a proof of qualification
# letter for the same learner, then the order history.
enrolment=$(sed -n 's/.*<learner [^>]*enrolment="\([^"]*\)".*/\1/p' "$dir/assigned.xml" | head -1)
echo
echo "orders:"
new=$(certpress -c "$CONF" order reprint "$ref" --reason "lost in the post" --by demo \
	--delivery first-class-signed)
letter=$(certpress -c "$CONF" order letter "$enrolment" --by demo --reason "for an employer")
echo "  a replacement certificate $new (replaces $ref): spool/reprints/digital/$new.pdf"
echo "  a proof of qualification letter $letter: spool/reprints/digital/$letter.pdf"
echo "  the replacement's digital copy, signed like every other: certpress verify --file says"
certpress -c "$CONF" verify --file "spool/reprints/digital/$new.pdf" | sed 's/^/    /' || true
echo "  order emails: $(grep -l 'order [0-9]* is placed' spool/outbox/*.eml | wc -l) in spool/outbox/, and the centre's copies: $(ls spool/outbox/*.centre-order-placed@*.eml 2> /dev/null | wc -l)"
echo "certpress orders:"
certpress -c "$CONF" orders | sed 's/^/  /'

# The print loop: the printing house's confirmation of the print file (a
# sample made from its ticket: every document printed on a numbered sheet of
# security paper, one certificate spoiled, the consignment dispatched), then
# the print batches.
ticket=$(ls spool/print/"$batch"/*.ticket.xml)
spoiled=$(sed -n 's/.*<document reference="\([^"]*\)" type="certificate".*/\1/p' "$ticket" | sed -n 2p)
python3 tests/tools/confirm.py "$ticket" DEMO --spoil "$spoiled" --date "$(date -u +%Y-%m-%d)" > spool/confirmation-"$batch".xml
echo
echo "the print loop:"
echo "  consignments in the ticket: $(grep -c '<consignment ' "$ticket") ($(grep -o '<consignment [^>]*centre="[^"]*"' "$ticket" | sed 's/.*centre=//' | tr '\n' ' '))"
echo "  the printing house's confirmation: spool/confirmation-$batch.xml ($spoiled spoiled)"
certpress -c "$CONF" printed spool/confirmation-"$batch".xml | sed 's/^/  /'
echo "  the centre's dispatch email: $(ls spool/outbox/*.centre-dispatched@*.eml 2> /dev/null | wc -l) in spool/outbox/"
echo "  $spoiled goes back to be printed by the next print file, with the same reference"
# The day's orders in print files of their own (cron: certpress print-orders):
# the replacement and the letter, each kind its own print batch.
echo "certpress print-orders (the day's reprints and letters, each its own print file):"
certpress -c "$CONF" -q print-orders --by demo | sed 's/^/  /'
for t in spool/print/reprints-*/*.ticket.xml spool/print/letters-*/*.ticket.xml; do
	[ -e "$t" ] && echo "  $t: $(grep -c '<document ' "$t") document(s) in $(grep -c '<consignment ' "$t") consignment(s) ($(grep -o '<consignment [^>]*delivery="[^"]*"' "$t" | sed 's/.*delivery="//; s/"$//' | xargs))"
done
echo "certpress print-batches:"
certpress -c "$CONF" print-batches | sed 's/^/  /'

echo
echo "a certificate: $dir/digital/$ref.pdf, signed:"
pdfsig "$dir/digital/$ref.pdf" 2> /dev/null | sed -n 's/^  - \(Signer Certificate Common Name\|Signature Type\|Total document signed\|Signature Validation\|Certificate Validation\)/  \1/p'
echo "certpress verify --file says:"
certpress -c "$CONF" verify --file "$dir/digital/$ref.pdf" | sed 's/^/  /' || true
echo "try:"
echo "  pdfsig $dir/digital/$ref.pdf"
echo "  $B/certpress -c config/certpress.conf verify --file $dir/digital/$ref.pdf"
echo "  $B/certpress -c config/certpress.conf status $batch"
echo "  $B/certpress -c config/certpress.conf verify $ref"
echo "  $B/certpress -c config/certpress.conf search --last-name Llywelyn"
echo "  $B/certpress -c config/certpress.conf orders --json --enrolment $enrolment"
echo "  $B/certpress -c config/certpress.conf print-batches --json"
echo
echo "the verification snapshot (certpress run published it): spool/publish/snapshot and .sig"
echo "serve it (as a user other than root, who can read keys/; it refuses to run as root):"
echo "  $B/certpress-verifyd -c config/certpress.conf"
echo "then open http://127.0.0.1:8080/v/$ref (or scan the QR code of $dir/print/$ref.pdf"
echo "and put 127.0.0.1:8080 in place of its host)"
