#!/bin/sh
# The layers of pipeline/ (README, "Source layout"): every file includes only
# its own layer and those below it, and the libraries a layer owns are
# included nowhere else. Prints each offence as "FILE:LINE: reason" and exits
# 1 if there is one. Usage: layers.sh [TOP] (default: the tree it is in).
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 2
bad=0
offend() { echo "$1: $2"; bad=1; }

# quoted includes: FILE LINE HEADER
quoted() {
	grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$@" 2>/dev/null |
		sed 's/^\([^:]*\):\([0-9]*\):.*"\([^"]*\)".*/\1 \2 \3/'
}

# Nowhere a path climbing out of its folder: headers are named through -I.
for f in $(find pipeline stages -name '*.[ch]'); do
	quoted "$f" | while read -r file line h; do
		case $h in ../*|*/../*) offend "$file:$line" "includes '$h' by a relative path (use -I)" ;; esac
	done
done | grep . && bad=1

# util knows nothing above it.
quoted pipeline/util/*.[ch] | while read -r file line h; do
	case $h in util/*) ;; *) echo "$file:$line: util includes '$h' from above it" ;; esac
done | grep . && bad=1

# engine: util and itself only.
quoted pipeline/engine/*.[ch] | while read -r file line h; do
	case $h in util/*|engine/*) ;; *) echo "$file:$line: engine includes '$h' from above it" ;; esac
done | grep . && bad=1

# pipeline/ itself: util, engine and its own headers, never a command's or a
# stage's.
quoted pipeline/*.[ch] | while read -r file line h; do
	case $h in
	util/*|engine/*) ;;
	*/*) echo "$file:$line: pipeline/ includes '$h' from above it" ;;
	*) [ -f "pipeline/$h" ] || echo "$file:$line: pipeline/ includes '$h', not one of its own" ;;
	esac
done | grep . && bad=1

# libharu, HarfBuzz and libqrencode belong to the engine alone.
grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*<\(hpdf\|hb\|qrencode\)' \
	$(find pipeline stages -name '*.[ch]' ! -path 'pipeline/engine/*') |
	sed 's/$/: only the engine includes libharu, HarfBuzz or libqrencode/' | grep . && bad=1

exit $bad
