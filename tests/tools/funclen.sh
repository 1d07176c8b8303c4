#!/bin/sh
# No function in pipeline/, stages/ or verifyd/ longer than MAX (80) lines
# between its braces: a longer one is cut into named steps (README, "Source
# layout"). Functions open with "{" and close with "}" in the first column
# (the tree's clang-format style). Prints each as "FILE:LINE: NAME: N lines"
# and exits 1 if there is one. Usage: funclen.sh [TOP] [MAX].
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
max=${2:-80}
cd "$top" || exit 2
find pipeline stages verifyd -name '*.c' | sort | xargs awk -v max="$max" '
	FNR == 1 { start = 0 }
	/^\{/ { start = FNR; name = sig; next }
	/^\}/ {
		if (start && FNR - start - 1 > max) {
			sub(/\(.*/, "", name); n = split(name, w, /[ *]+/)
			printf "%s:%d: %s: %d lines\n", FILENAME, start, w[n], FNR - start - 1
			bad = 1
		}
		start = 0; next
	}
	/^[A-Za-z_].*\(/ { sig = $0 }
	END { exit bad }'
# xargs says 123 for a command's 1
[ $? = 0 ] || exit 1
