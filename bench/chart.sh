#!/bin/sh
# bench/chart.sh DATA OUT.svg: documents per second (wall) and peak RSS
# against batch size for each stage measured, from the .dat file that
# bench.sh writes ("size stage jobs per-wall per-cpu rss").
set -eu
dat=$1
out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# one file per stage and jobs
awk -v d="$tmp" '{ n = NF; key = $2; for (i = 3; i <= n - 4; i++) key = key "_" $i; key = key "_j" $(n-3);
	gsub(/[^A-Za-z0-9_]/, "", key); print $1, $(n-2), $(n-1), $n > (d "/" key) }' "$dat"
plots_rate=""
plots_rss=""
for f in "$tmp"/*; do
	t=$(basename "$f" | tr '_' ' ')
	plots_rate="$plots_rate${plots_rate:+, }'$f' using 1:2 with linespoints title '$t'"
	plots_rss="$plots_rss${plots_rss:+, }'$f' using 1:4 with linespoints title '$t'"
done
gnuplot <<GP
set terminal svg size 1000,420 dynamic font "DejaVu Sans,10"
set output '$out'
set multiplot layout 1,2
set logscale x
set xlabel 'learners in the batch'
set key outside below
set title 'records per second (wall)'
set logscale y
plot $plots_rate
set title 'peak RSS (MB)'
unset logscale y
set yrange [0:*]
plot $plots_rss
unset multiplot
GP
