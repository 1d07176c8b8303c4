#!/bin/bash
# bench/peers/run.sh N DIR RUNS CP_DOCS_PER_CPU_S CP_RSS_MB: Apache FOP and
# WeasyPrint on the learners of the batch bench.sh left in DIR/spool (the
# first PEER_LEARNERS of them, 500 by default: WeasyPrint needs minutes for
# 1,000), one PDF a learner (certificate + transcript, 2 documents), timed
# RUNS times;
# prints table rows with the ratio certpress / peer for documents per CPU
# second and for peak memory. The inputs and QR images are made first and
# not timed; a sample of each peer's PDFs is checked like certpress's.
set -eu
n=$1 dir=$2 runs=$3 cp_rate=$4 cp_rss=$5
here=$(cd "$(dirname "$0")" && pwd)
cd "$dir"
batch=$(ls spool/batches | head -1)
rm -rf peers
python3 "$here/export.py" "spool/batches/$batch/assigned.xml" https://verify.example.org/v/ peers/in \
	"${PEER_LEARNERS:-500}"
learners=$(wc -l < peers/in/list.txt)
docs=$((learners * 2))
cp_classpath=$(ls /usr/share/java/*.jar | tr '\n' ':')

peer() { # key label command...
	local name=$1 label=$2 walls=() cpus=() rss=0 i
	shift 2
	for ((i = 0; i < runs; i++)); do
		rm -rf "peers/$name" && mkdir -p "peers/$name"
		/usr/bin/time -f '%e %U %S %M' -o peers/time "$@" "peers/$name" > peers/out 2> peers/err || {
			tail -5 peers/err >&2
			return 1
		}
		read -r w u s m < peers/time
		walls+=("$w")
		cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')")
		m=$((m / 1024))
		[ "$m" -gt "$rss" ] && rss=$m
	done
	local med cpu bad=0
	med=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	for f in $(ls "peers/$name"/*.pdf | head -5); do
		qpdf --check "$f" > /dev/null 2>&1 || bad=$((bad + 1))
		pdffonts "$f" 2> /dev/null | awk 'NR > 2 && $(NF-4) != "yes" { exit 1 }' || bad=$((bad + 1))
	done
	[ "$(ls "peers/$name" | wc -l)" = "$learners" ] || bad=$((bad + 1))
	local rate
	rate=$(awk -v d="$docs" -v c="$cpu" 'BEGIN { printf "%.1f", d / c }')
	printf '| %s | %s | %s | %s | %s | %s | %s | %s x | %s x |\n' "$n" "$label" "$docs" "$med" "$cpu" \
		"$rate" "$rss" "$(awk -v a="$cp_rate" -v b="$rate" 'BEGIN { printf "%.1f", a / b }')" \
		"$(awk -v a="$cp_rss" -v b="$rss" 'BEGIN { printf "%.0f", b / a }')"
	[ "$bad" = 0 ] || echo "| $n | $label | $bad problems in its sample of PDFs | | | | | | |"
}

peer fop "Apache FOP $(dpkg-query -W -f='${Version}' fop)" \
	java -cp "$cp_classpath" "$here/FopPeer.java" peers/in/list.txt "$here/certificate.xsl" "$here/fop.xconf"
peer weasyprint "WeasyPrint $(dpkg-query -W -f='${Version}' weasyprint)" \
	/usr/bin/python3 "$here/weasy_peer.py" peers/in/list.txt
