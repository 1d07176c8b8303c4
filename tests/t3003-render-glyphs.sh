#!/bin/bash
# Every precomposed Latin, Greek, Cyrillic and Vietnamese letter of each
# shipped font is drawn as it should be: libharu 2.3.0 drops the parts of
# nested composite glyphs unless certpress flattens them (pipeline/engine/glyf.c).
. "$(dirname "$0")/lib.sh"

for font in $(sed -n 's/.*file="\([^"]*\.ttf\)".*/\1/p' "$TOP"/layouts/*.xml | sort -u); do
	name=$(basename "$font" .ttf)
	rm -rf each out ref
	mkdir each out ref
	n=$("$BIN/tests/tools/glyphcheck" "$font" each ref.pdf)
	check "$name: $n letters drawn" "[ -n '$n' ] && [ '$n' -gt 500 ]"
	qpdf --empty --pages each/*.pdf -- out.pdf
	pdftoppm -r 72 -gray out.pdf out/p 2>/dev/null
	pdftoppm -r 72 -gray ref.pdf ref/p 2>/dev/null
	bad=0
	for f in ref/*; do cmp -s "$f" "out/${f#ref/}" || bad=$((bad + 1)); done
	check "$name: every letter looks as it does with the whole font embedded" "[ $bad = 0 ]"
done

done_testing
