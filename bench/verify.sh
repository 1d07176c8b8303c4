#!/bin/bash
# make bench, the verification service (issue 15): appends its section to
# the file given (bench.sh's results; stdout without one).
#
# - certpress publish of registries of VERIFY_SIZES documents (default
#   100000,1000000): 1,000 learners validated and assigned by certpress,
#   then copied by bench/gen-registry.py (their awards, units and documents,
#   fresh serials with real check characters) up to the size; then a revoke
#   (which publishes at its end) and a publish after it: the snapshot is
#   written whole each time, so both cost what a publish costs.
# - certpress-verifyd on the largest snapshot against wrk (VERIFY_SECONDS
#   each, VERIFY_CONNECTIONS connections, 2 threads) for a document's page
#   and its JSON, beside Debian's nginx serving the same page and JSON as
#   static files, same machine, same run: the ceiling a static host gives.
#   The service's memory before and after shows whether it stays flat.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
BIN=$TOP/$B
OUT=$(realpath -m "${1:-/dev/stdout}")
SIZES=${VERIFY_SIZES:-100000,1000000}
SECONDS_EACH=${VERIFY_SECONDS:-10}
CONNS=${VERIFY_CONNECTIONS:-50}
WORK=$TOP/bench/work/verify
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"
export CERTPRESS_TODAY=2026-11-23
vpid= npid=
trap '[ -n "$vpid" ] && kill $vpid; [ -n "$npid" ] && kill $npid; wait; rm -rf "$WORK"' EXIT

. "$TOP/bench/lib.sh" # timed

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cat > certpress.conf <<CONF
[certpress]
spool = spool
registry = spool/registry.sqlite
catalogue = $TOP/fixtures/catalogue.xml
schemas = $TOP/config
layouts = $TOP/layouts
key-file = reference.key
[mail]
transport = file:spool/outbox
[verify]
snapshot = snapshot
key-file = publish.key
public-key = publish.pub
CONF
export CERTPRESS_CONF=$WORK/certpress.conf
"$BIN/certpress" keygen 2> /dev/null
"$BIN/certpress" keygen --publish 2> /dev/null
python3 "$TOP/bench/gen-results.py" 1000 results.xml
"$BIN/certpress-validate" -q results.xml > /dev/null
"$BIN/certpress-assign" -q "$(ls spool/batches)" > /dev/null

{
	echo
	echo "## The verification snapshot and service"
	echo
	echo "\`certpress publish\` of a registry grown by \`bench/gen-registry.py\` from 1,000 learners"
	echo "certpress validated and assigned (copies of their awards, units and documents with"
	echo "fresh serials); one run each. \`revoke\` publishes at its end; the snapshot is written"
	echo "whole, so a publish after one revoke costs what any publish costs."
	echo
	echo "| documents | awards | step | wall s | CPU s | peak RSS MB | snapshot MB | documents per wall s |"
	echo "|---|---|---|---|---|---|---|---|"
} >> "$OUT"
for n in ${SIZES//,/ }; do
	docs=$(python3 "$TOP/bench/gen-registry.py" spool/registry.sqlite reference.key "$n")
	awards=$(sqlite3 spool/registry.sqlite 'select count(*) from awards')
	timed "$BIN/certpress" publish
	mb=$(awk -v b="$(stat -c %s snapshot/snapshot)" 'BEGIN { printf "%.1f", b / 1048576 }')
	per=$(awk -v n="$docs" -v s="$wall" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
	echo "| $docs | $awards | publish | $wall | $cpu | $rss | $mb | $per |" >> "$OUT"
	victim=$(sqlite3 spool/registry.sqlite "select reference from documents where type = 'certificate' and status = 'valid' order by serial limit 1")
	timed "$BIN/certpress" revoke "$victim" --reason "bench"
	echo "| $docs | $awards | revoke one (its publish included) | $wall | $cpu | $rss | $mb | |" >> "$OUT"
	timed "$BIN/certpress" publish
	per=$(awk -v n="$docs" -v s="$wall" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
	echo "| $docs | $awards | publish after one revoke | $wall | $cpu | $rss | $mb | $per |" >> "$OUT"
done

# The service on the last snapshot; limits raised so wrk measures serving.
ref=$(sqlite3 spool/registry.sqlite "select reference from documents where type = 'transcript' and status = 'valid' order by serial desc limit 1")
vport=$(free_port)
cat > verifyd.conf <<CONF
[verify]
snapshot = snapshot
public-key = publish.pub
listen = 127.0.0.1:$vport
rate = 1000000
burst = 1000000
connections-per-address = 10000
CONF
chmod 755 "$WORK"
if [ "$(id -u)" = 0 ]; then
	chmod 644 snapshot/snapshot snapshot/snapshot.sig
	chmod 755 snapshot
	asuser=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
else
	asuser=()
fi
t0=$(date +%s.%N)
"${asuser[@]}" "$BIN/certpress-verifyd" -c verifyd.conf > verifyd.log 2>&1 &
vpid=$!
for _ in $(seq 600); do grep -q 'listening on' verifyd.log && break; sleep 0.05; done
t1=$(date +%s.%N)
grep -q 'listening on' verifyd.log || { cat verifyd.log >&2; exit 1; }
vurl=http://127.0.0.1:$vport
curl -sf -o page.html "$vurl/v/$ref"
curl -sf -o page.json "$vurl/v/$ref.json"
rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$vpid/status"; }
rss_before=$(rss)

# nginx, the ceiling: the same bytes as static files, as many workers as cores
nport=$(free_port)
mkdir -p nginx/www/v nginx/logs
cp page.html "nginx/www/v/$ref"
cp page.json "nginx/www/v/$ref.json"
cat > nginx/nginx.conf <<CONF
worker_processes auto;
daemon off;
error_log $WORK/nginx/logs/error.log;
pid $WORK/nginx/nginx.pid;
$( [ "$(id -u)" = 0 ] && echo 'user root;' )
events { worker_connections 4096; }
http {
	access_log $WORK/nginx/logs/access.log;
	types { text/html html; }
	default_type text/html;
	server {
		listen 127.0.0.1:$nport;
		root $WORK/nginx/www;
		location ~ \.json\$ { default_type application/json; }
	}
}
CONF
/usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
npid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$nport/v/$ref" && break; sleep 0.05; done

# wrk's requests/s, p50 and p99 (ms) into $rps $p50 $p99
load() {
	wrk -t2 -c"$CONNS" -d"${SECONDS_EACH}s" --latency "$1" > wrk.out
	rps=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' wrk.out)
	ms() { awk -v p="$1" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) sub(/ms/, "", v); else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } printf "%.2f", v }' wrk.out; }
	p50=$(ms 50%)
	p99=$(ms 99%)
	errors=$(awk '/Non-2xx|Socket errors/' wrk.out | tr '\n' ' ')
}
{
	echo
	echo "certpress-verifyd (threads: one per core, access log on) on the $docs-document"
	echo "snapshot, checked and ready $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s after start; \`wrk -t2 -c$CONNS -d${SECONDS_EACH}s\` on"
	echo "127.0.0.1 (wrk shares the same $(nproc) cores), beside nginx $(/usr/sbin/nginx -v 2>&1 | sed 's|.*/||')"
	echo "(\`worker_processes auto\`, access log on) serving the same page and JSON as static files."
	echo
	echo "| what | server | bytes | requests/s | p50 ms | p99 ms | verifyd / nginx |"
	echo "|---|---|---|---|---|---|---|"
} >> "$OUT"
for what in page json; do
	path=/v/$ref
	[ "$what" = json ] && path=/v/$ref.json
	load "$vurl$path"
	v_rps=$rps v_p50=$p50 v_p99=$p99 v_err=$errors
	load "http://127.0.0.1:$nport$path"
	ratio=$(awk -v a="$v_rps" -v b="$rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	file=page.html
	[ "$what" = json ] && file=page.json
	size=$(stat -c %s $file)
	echo "| $what | certpress-verifyd | $size | $v_rps | $v_p50 | $v_p99 | $ratio ${v_err:+($v_err)} |" >> "$OUT"
	echo "| $what | nginx (static file) | $size | $rps | $p50 | $p99 | |" >> "$OUT"
done
rss_after=$(rss)
{
	echo
	echo "certpress-verifyd's resident memory: $rss_before MB before the load, $rss_after MB after"
	echo "(the snapshot is held whole in memory: $(awk -v b="$(stat -c %s snapshot/snapshot)" 'BEGIN { printf "%.0f", b / 1048576 }') MB of it)."
	echo "Targets (issue 15): at least half of nginx's static rate, p99 under 10 ms, memory flat."
} >> "$OUT"
