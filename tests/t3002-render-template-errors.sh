#!/bin/bash
# A template error is reported with the template's file, line and reason when
# the stage starts, before any PDF (exit 78); a name no font can draw is
# rejected at validate and never drawn.
. "$(dirname "$0")/lib.sh"
make_key
mkdir -p layouts
cp -r "$TOP/layouts/assets" layouts/
sed -i "s|^layouts .*|layouts = $SCRATCH/layouts|" certpress.conf
cp "$TOP/layouts/transcript.xml" "$TOP/layouts/letter.xml" layouts/
validate_and_assign "$FIX/results/good.xml"

# Render from the assigned state, whatever an earlier case made (a case
# that wrongly passes must not turn the later ones into "done already").
render() {
	rm -rf "spool/batches/$batch/rendered.xml" "spool/batches/$batch/digital" \
		"spool/batches/$batch/print" "spool/batches/$batch/fonts" spool/batches/$batch/render.journal.*
	run timeout 120 certpress-render "$batch"
}

# error class ~ text in certificate.xml ~ replaced by ~ expected "LINE: message"
while IFS='~' read -r name from to want; do
	[ -n "$name" ] || continue
	python3 -c 'import sys; s = open(sys.argv[1]).read(); assert sys.argv[2] in s, sys.argv[2]
print(s.replace(sys.argv[2], sys.argv[3], 1), end="")' "$TOP/layouts/certificate.xml" "$from" "$to" \
		> layouts/certificate.xml
	render
	check "$name: exit 78" "[ $rc = 78 ]"
	check "$name: $want" "contains err \"layouts/certificate.xml:$want\""
	check "$name: no PDF made" "[ ! -d spool/batches/$batch/digital ] || [ -z \"\$(ls spool/batches/$batch/digital)\" ]"
done <<'TABLE'
unknown element~<line x1="118.5mm"~<lin x1="118.5mm"~18: unknown element <lin>
unknown attribute~font="serif" size="32pt"~font="serif" size="32pt" colour="#000000"~17: <text>: unknown attribute 'colour'
undeclared font~font="serif" size="32pt"~font="serif-light" size="32pt"~17: <text>: font 'serif-light' is not declared in <fonts>
missing font file~DejaVuSerif.ttf~DejaVuSerif-Missing.ttf~6: font 'serif': cannot load '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Missing.ttf'
unknown binding~{learner.full_name}~{learner.fullname}~20: <text>: unknown binding '{learner.fullname}'
unit binding outside a table~{learner.full_name}~{unit.title}~20: <text>: '{unit.title}' is only known in a table row
unknown format~{award.date|long}~{award.date|longest}~26: <text>: unknown format 'longest' (long, short or upper)
bad unit~y="67mm"~y="67"~17: <text>: y '67' is not a length with a unit (mm, cm, in, pt)
bad colour~color="#1F3A5F">Certificate~color="navy">Certificate~17: <text>: color 'navy' is not a colour (#RRGGBB)
bad page~page="A4"~page="A3"~4: page 'A3' is not A4, A5, Letter or 'WIDTH HEIGHT' with units
unclosed brace~{awarding_body|upper}~{awarding_body~16: <text>: '{' without its '}'
missing image~assets/logo.jpg~assets/missing.png~14: image 'assets/missing.png': cannot open: No such file or directory
image outside the layouts folder~assets/logo.jpg~../../../etc/passwd.png~14: image '../../../etc/passwd.png': outside the layouts folder
bad condition~if="document.expires"~if="document.expiry"~41: <text>: if 'document.expiry' names no binding
required attribute~<qr x="244mm" y="150mm"~<qr y="150mm"~38: <qr>: 'x' is required
element of another namespace in a text~>Certificate of Achievement<~>Certificate of <x:em xmlns:x="urn:example:other">Achievement</x:em><~17: <text>: element <x:em> (namespace 'urn:example:other') inside a text
element of the template language in a text~>Certificate of Achievement<~>Certificate of <text>Achievement</text><~17: <text>: element <text> inside a text
element of another namespace named as one of ours~<line x1="118.5mm"~<x:line xmlns:x="urn:example:other" x1="118.5mm"~18: unknown element <x:line> (namespace 'urn:example:other')
element in no namespace~<line x1="118.5mm"~<line xmlns="" x1="118.5mm"~18: unknown element <line> (no namespace)
font of another namespace~<font name="sans"~<x:font xmlns:x="urn:example:other" name="sans"~8: <fonts>: unknown element <x:font> (namespace 'urn:example:other')
attribute of another namespace~font="serif" size="32pt"~font="serif" x:size="40pt" xmlns:x="urn:example:other" size="32pt"~17: <text>: unknown attribute 'x:size' (namespace 'urn:example:other')
an xml: attribute~font="serif" size="32pt"~font="serif" xml:lang="cy" size="32pt"~17: <text>: unknown attribute 'xml:lang' (namespace 'http://www.w3.org/XML/1998/namespace')
element inside an empty element~line-width="1pt"/>~line-width="1pt"><x:arrow xmlns:x="urn:example:other"/></line>~18: <line>: element <x:arrow> (namespace 'urn:example:other') inside it (it holds nothing)
text where no text is drawn~<line x1="118.5mm"~Awarded with distinction<line x1="118.5mm"~18: <template>: text here is not drawn
processing instruction in a text~>Certificate of Achievement<~>Certificate <?page-break?>of Achievement<~17: <text>: a processing instruction inside it
TABLE

# A font with PostScript (CFF) outlines, which libharu cannot embed: the
# smallest such file HarfBuzz takes (an "OTTO" header, a maxp of one glyph,
# no glyf table).
python3 -c 'import struct, sys
maxp = struct.pack(">IH", 0x00005000, 1)
head = struct.pack(">4sHHHH", b"OTTO", 1, 16, 0, 0)
rec = struct.pack(">4sIII", b"maxp", 0, 12 + 16, len(maxp))
sys.stdout.buffer.write(head + rec + maxp + b"\0\0")' > layouts/cff.otf
python3 -c 'import sys; s = open(sys.argv[1]).read()
print(s.replace("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", sys.argv[2], 1), end="")' \
	"$TOP/layouts/certificate.xml" cff.otf > layouts/certificate.xml
render
check "a font with PostScript outlines: exit 78, file, line and reason" \
	"[ $rc = 78 ] && contains err 'cff.otf: not a TrueType font (PostScript outlines' && contains err \"layouts/certificate.xml:6: font 'serif': cannot load\""

printf '<?xml version="1.0"?>\n<template xmlns="urn:certpress:layout:1">\n<text x="1mm" y="1mm" font="sans">x\n</template>\n' > layouts/certificate.xml
render
check "a template that is not well-formed: file and line" "[ $rc = 78 ] && contains err 'layouts/certificate.xml:4:'"
printf '<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY x SYSTEM "/etc/passwd">]>\n<template/>\n' > layouts/certificate.xml
render
check "a template with a DOCTYPE is refused" "[ $rc = 78 ] && contains err 'layouts/certificate.xml:2: a DOCTYPE is not allowed'"
rm layouts/certificate.xml
render
check "a missing template" "[ $rc = 78 ] && contains err 'layouts/certificate.xml: cannot open'"

# A name with a character in no font never reaches render: validate rejects
# the learner, naming the character and the font (t1004 has render's own
# check, for templates changed after validate).
cp "$TOP/layouts/certificate.xml" layouts/
run certpress-validate "$FIX/results/render-no-glyph.xml"
batch=$(last_batch)
check "a name no font can draw is rejected at validate" \
	"[ $rc = 0 ] && [ \$(count_learners spool/batches/$batch/rejected.xml) = 1 ] &&
	 contains err \"render-no-glyph.xml:6: learner 'EDGE0009': last name: character U+5C71 is in no glyph of font\""
run certpress-assign "$batch"
render
check "no PDF made for it" "[ $rc = 0 ] && [ -z \"\$(ls spool/batches/$batch/digital 2>/dev/null)\" ]"

done_testing
