#!/bin/sh
# make demo: a fresh demo spool (./spool, as config/certpress.conf names it),
# the bundled results file dropped in its inbox, and every stage that exists
# run on it with the embedded defaults.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
cd "$TOP"
CONF=config/certpress.conf

echo "certpress demo: starting a fresh spool in $TOP/spool"
rm -rf spool
mkdir -p spool/inbox
cp fixtures/results/good.xml spool/inbox/good.xml

set +e
line=$("$B/certpress-validate" -c "$CONF" spool/inbox/good.xml)
rc=$?
set -e
if [ "$rc" != 0 ]; then
	echo "certpress demo: validate failed (exit $rc)" >&2
	exit "$rc"
fi
batch=${line%% *}
dir=${line#* }
echo
echo "batch $batch validated into $dir:"
for f in accepted rejected held; do
	printf '  %-13s %3s learners\n' "$f.xml" "$(grep -c '<learner ' "$dir/$f.xml")"
done
echo "  results.xml   the results file, moved there from spool/inbox/"
echo "registry: spool/registry.sqlite (sqlite3 spool/registry.sqlite 'select * from stage_runs')"
