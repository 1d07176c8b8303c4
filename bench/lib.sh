# Shared by the bench scripts that time one command at a time (verify.sh,
# print.sh); bench.sh has its own median-of-runs measure.

# wall s, CPU s and peak RSS MB of "$@" into $wall $cpu $rss; its output in
# ./out and ./err (the last lines of err shown if it fails)
timed() {
	/usr/bin/time -f '%e %U %S %M' -o time "$@" > out 2> err || { tail -5 err >&2; return 1; }
	read -r wall u s m < time
	cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
	rss=$((m / 1024))
}
