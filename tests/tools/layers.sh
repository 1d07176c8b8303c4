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

# pipeline/ itself (with pipeline/registry/, the registry module's table
# families): util, engine and its own headers, never a command's or a
# stage's.
quoted pipeline/*.[ch] pipeline/registry/*.[ch] | while read -r file line h; do
	case $h in
	util/*|engine/*) ;;
	registry/*) [ -f "pipeline/$h" ] || echo "$file:$line: pipeline/ includes '$h', not one of its own" ;;
	*/*) echo "$file:$line: pipeline/ includes '$h' from above it" ;;
	*) [ -f "pipeline/$h" ] || echo "$file:$line: pipeline/ includes '$h', not one of its own" ;;
	esac
done | grep . && bad=1

# libharu, HarfBuzz and libqrencode belong to the engine alone.
grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*<\(hpdf\|hb\|qrencode\)' \
	$(find pipeline stages -name '*.[ch]' ! -path 'pipeline/engine/*') |
	sed 's/$/: only the engine includes libharu, HarfBuzz or libqrencode/' | grep . && bad=1

# SQLite belongs to the registry module alone (pipeline/registry.h and
# pipeline/registry/): everything else calls its named functions, so another
# backend is one module's change. Its internals header stays inside it too.
outside_registry=$(find pipeline stages -name '*.[ch]' ! -path 'pipeline/registry*')
grep -Hn 'sqlite3_\|^[[:space:]]*#[[:space:]]*include[[:space:]]*<sqlite3\.h>' $outside_registry |
	sed 's/^\([^:]*:[0-9]*\):.*/\1: only the registry module (pipeline\/registry*) uses SQLite/' |
	grep . && bad=1
quoted $outside_registry | while read -r file line h; do
	case $h in registry/internal.h)
		echo "$file:$line: only the registry module (pipeline/registry*) includes '$h'" ;;
	esac
done | grep . && bad=1

# The verification service (verifyd/) faces the internet and must never
# reach the registry: besides util and its own headers it includes only the
# pipeline modules that know nothing of it (the configuration, references,
# the snapshot, options, the command-line basics).
if [ -d verifyd ]; then
	quoted verifyd/*.[ch] | while read -r file line h; do
		case $h in
		util/*) ;;
		conf.h|cli.h|opts.h|ref.h|snapshot.h) ;;
		*/*) echo "$file:$line: verifyd includes '$h': only util/ and conf, cli, opts, ref and snapshot of pipeline/" ;;
		*) [ -f "verifyd/$h" ] ||
			echo "$file:$line: verifyd includes '$h': only util/ and conf, cli, opts, ref and snapshot of pipeline/" ;;
		esac
	done | grep . && bad=1
	grep -Hn 'sqlite3\|<libxml/' verifyd/*.[ch] |
		sed 's/^\([^:]*:[0-9]*\):.*/\1: verifyd uses neither SQLite nor libxml2/' | grep . && bad=1
fi

exit $bad
