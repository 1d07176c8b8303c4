#!/bin/sh
# make demo: a fresh demo spool (./spool, as config/certpress.conf names it),
# the bundled results file dropped in its inbox, and every stage that exists
# run on it with the embedded defaults.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
cd "$TOP"
CONF=$TOP/config/certpress.conf
export PATH="$TOP/$B:$PATH"

echo "certpress demo: starting a fresh spool in $TOP/spool"
rm -rf spool
mkdir -p spool/inbox
cp fixtures/results/good.xml spool/inbox/good.xml
certpress -c "$CONF" keygen

stage() {
	set +e
	line=$("certpress-$1" -c "$CONF" "$2")
	rc=$?
	set -e
	if [ "$rc" != 0 ]; then
		echo "certpress demo: $1 failed (exit $rc)" >&2
		exit "$rc"
	fi
}

stage validate spool/inbox/good.xml
batch=${line%% *}
dir=${line#* }
stage assign "$batch"
stage render "$batch"

echo
echo "batch $batch in $dir:"
for f in accepted rejected held; do
	printf '  %-13s %3s learners\n' "$f.xml" "$(grep -c '<learner ' "$dir/$f.xml")"
done
printf '  %-13s %3s documents with references\n' assigned.xml "$(grep -c '<document ' "$dir/assigned.xml")"
printf '  %-13s %3s PDFs (digital copies, marked and protected)\n' digital/ "$(ls "$dir/digital" | wc -l)"
printf '  %-13s %3s PDFs (print copies for the security paper)\n' print/ "$(ls "$dir/print" | wc -l)"
echo "  rendered.xml  every document with its pages, size and SHA-256"
echo "  results.xml   the results file, moved there from spool/inbox/"
ref=$(sed -n 's/.*type="certificate" reference="\([^"]*\)".*/\1/p' "$dir/assigned.xml" | head -1)
echo
echo "a certificate: $dir/digital/$ref.pdf"
echo "registry: spool/registry.sqlite; try:"
echo "  $B/certpress -c config/certpress.conf verify $ref"
echo "  $B/certpress -c config/certpress.conf search --last-name Llywelyn"
