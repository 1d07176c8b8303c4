#!/bin/bash
# Every file a template names (images, fonts) is checked when the templates
# load, before any PDF: an image must be inside the layouts folder, a regular
# file of bounded size, decode whole (libjpeg, libpng) and be one libharu
# takes; a font must be inside the layouts folder or the system's font
# folders and load. Any failure is a template error with the template's file
# and line, the file and the reason (exit 78), and no PDF is made.
. "$(dirname "$0")/lib.sh"
make_key
mkdir -p layouts outside
cp -r "$TOP/layouts/assets" layouts/
cp "$TOP/layouts/transcript.xml" "$TOP/layouts/letter.xml" layouts/
sed -i "s|^layouts .*|layouts = $SCRATCH/layouts|" certpress.conf
validate_and_assign "$FIX/results/render-edge.xml"
dir=spool/batches/$batch
logo=$TOP/layouts/assets/logo.jpg

# The broken files, made from the shipped logo and a PNG made here.
python3 - "$logo" <<'PY'
import random, struct, sys, zlib
logo = open(sys.argv[1], "rb").read()
rng = random.Random(22)
def put(name, data):
    open(name, "wb").write(data)
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
def png(w, h, rows=None, ihdr_w=None, ihdr_h=None):
    raw = rows if rows is not None else b"".join(b"\0" + bytes([200, 40, 40]) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", ihdr_w or w, ihdr_h or h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
put("layouts/assets/truncated.jpg", logo[: len(logo) // 2])
# the header up to and including the start of scan, then garbage and an EOI
sos = logo.index(b"\xff\xda")
head = logo[: sos + 2 + struct.unpack(">H", logo[sos + 2 : sos + 4])[0]]
put("layouts/assets/garbage.jpg", head + bytes(rng.randrange(256) for _ in range(3000)) + b"\xff\xd9")
put("layouts/assets/fake-soi.jpg", b"\xff\xd8\xff\xe0" + bytes(rng.randrange(256) for _ in range(2000)))
put("layouts/assets/good.png", png(40, 20))
put("layouts/assets/png-named.jpg", png(40, 20))
put("layouts/assets/jpeg-named.png", logo)
put("layouts/assets/empty.jpg", b"")
good = png(40, 20)
idat = good.index(b"IDAT")
crc = idat + 4 + struct.unpack(">I", good[idat - 4 : idat])[0]
put("layouts/assets/bad-crc.png", good[:crc] + bytes([good[crc] ^ 0xff]) + good[crc + 1:])
put("layouts/assets/bad-zlib.png", good[:idat + 7] + bytes([good[idat + 7] ^ 0xff]) + good[idat + 8:])
put("layouts/assets/truncated.png", good[: len(good) - 20])
put("layouts/assets/short-rows.png", png(40, 20, rows=b"\0" * 50))
put("layouts/assets/huge.png", png(1, 1, ihdr_w=100000, ihdr_h=100000))
put("outside/logo.jpg", logo)
PY
ln -s "$SCRATCH/outside/logo.jpg" layouts/assets/link-out.jpg
ln -s logo.jpg layouts/assets/link-in.jpg
mkdir layouts/assets/folder.jpg
mkfifo layouts/assets/fifo.jpg
truncate -s 17M layouts/assets/big.jpg

# A render from the assigned state, whatever an earlier case made.
rerender() {
	rm -rf "$dir/rendered.xml" "$dir/digital" "$dir/print" "$dir/fonts" "$dir"/render.journal.*
	run timeout 120 certpress-render "$batch"
}

# Put SRC in place of the certificate's logo (line 14) and render.
with_logo() {
	python3 -c 'import sys; s = open(sys.argv[1]).read()
print(s.replace("assets/logo.jpg", sys.argv[2], 1), end="")' "$TOP/layouts/certificate.xml" "$1" \
		> layouts/certificate.xml
	rerender
}

no_pdf() {
	[ -z "$(find $dir/digital $dir/print -name '*.pdf' 2>/dev/null)" ]
}

# case ~ src ~ expected reason after "layouts/certificate.xml:14: image 'SRC': "
while IFS='~' read -r name src want; do
	[ -n "$name" ] || continue
	with_logo "$src"
	check "$name: exit 78" "[ $rc = 78 ]"
	check "$name: file, line, image and reason" \
		"contains err \"layouts/certificate.xml:14: image '$src': $want\""
	check "$name: no PDF made" no_pdf
done <<'TABLE'
a truncated JPEG~assets/truncated.jpg~a damaged JPEG file (
a JPEG header with garbage after it~assets/garbage.jpg~a damaged JPEG file (
a JPEG start marker and garbage~assets/fake-soi.jpg~a damaged JPEG file (
a PNG named .jpg~assets/png-named.jpg~not a JPEG file (a PNG file named .jpg)
a JPEG named .png~assets/jpeg-named.png~not a PNG file (a JPEG file named .png)
an empty file~assets/empty.jpg~an empty file
a missing file~assets/missing.jpg~cannot open: No such file or directory
a PNG with a bad checksum~assets/bad-crc.png~a damaged PNG file (IDAT: CRC error)
a PNG with damaged compressed data~assets/bad-zlib.png~a damaged PNG file (
a truncated PNG~assets/truncated.png~a damaged PNG file (
a PNG with too little image data~assets/short-rows.png~a damaged PNG file (
a PNG of 100000 x 100000 pixels~assets/huge.png~100000 x 100000 pixels: more than
a path out of the layouts folder~../outside/logo.jpg~outside the layouts folder
an absolute path~/etc/passwd.jpg~an absolute path (name a file under the layouts folder)
a link out of the layouts folder~assets/link-out.jpg~outside the layouts folder
a folder~assets/folder.jpg~not a regular file
a FIFO (never waited on)~assets/fifo.jpg~not a regular file
a file over 16 MB~assets/big.jpg~larger than 16 MB
not an image name~assets/logo.gif~not a .png, .jpg or .jpeg file
TABLE

# The same checks in every template: the transcript's logo (line 12).
cp "$TOP/layouts/certificate.xml" layouts/
sed -i 's|assets/logo.jpg|assets/truncated.jpg|' layouts/transcript.xml
rerender
check "a damaged image in the transcript template: exit 78, its file and line" \
	"[ $rc = 78 ] && contains err \"layouts/transcript.xml:12: image 'assets/truncated.jpg': a damaged JPEG file\""
cp "$TOP/layouts/transcript.xml" layouts/

# Fonts: a template's font file is checked the same way. Line 6 is the
# certificate's first font.
with_font() {
	python3 -c 'import sys; s = open(sys.argv[1]).read()
print(s.replace("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", sys.argv[2], 1), end="")' \
		"$TOP/layouts/certificate.xml" "$1" > layouts/certificate.xml
	rerender
}
mkdir -p layouts/fonts layouts/fonts/folder.ttf
cp /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf outside/
: > layouts/fonts/empty.ttf
mkfifo layouts/fonts/fifo.ttf
ln -s "$SCRATCH/outside/DejaVuSerif.ttf" layouts/fonts/link-out.ttf
while IFS='~' read -r name file want; do
	[ -n "$name" ] || continue
	with_font "$file"
	check "font: $name: exit 78, file, line and reason" \
		"[ $rc = 78 ] && contains err \"layouts/certificate.xml:6: font 'serif': cannot load '$file': $want\""
	check "font: $name: no PDF made" no_pdf
done <<TABLE
a missing file~fonts/missing.ttf~cannot open: No such file or directory
an empty file~fonts/empty.ttf~an empty file
a folder~fonts/folder.ttf~not a regular file
a FIFO (never waited on)~fonts/fifo.ttf~not a regular file
a path out of the layouts folder~../outside/DejaVuSerif.ttf~outside the layouts folder and the system's font folders
an absolute path elsewhere~$SCRATCH/outside/DejaVuSerif.ttf~outside the layouts folder and the system's font folders
a link out of the layouts folder~fonts/link-out.ttf~outside the layouts folder and the system's font folders
TABLE

# What is allowed draws: a PNG, a link inside the layouts folder, a font
# file kept in the layouts folder. Every digital certificate then has both
# of its images (the logo and the signature).
certs() {
	sqlite3 spool/registry.sqlite "select reference from documents where type = 'certificate'"
}
two_images() {
	local n=0
	for ref in $(certs); do
		[ "$(pdfimages -list "$dir/digital/$ref.pdf" | tail -n +3 | wc -l)" = 2 ] || return 1
		n=$((n + 1))
	done
	[ "$n" = 3 ]
}
for src in assets/logo.jpg assets/good.png assets/link-in.jpg; do
	python3 -c 'import sys; s = open(sys.argv[1]).read()
print(s.replace("assets/logo.jpg", sys.argv[2], 1), end="")' "$TOP/layouts/certificate.xml" "$src" \
		> layouts/certificate.xml
	rerender
	check "'$src' draws: exit 0" "[ $rc = 0 ]"
	check "'$src': every digital certificate has its logo and signature" two_images
done
cp /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf layouts/fonts/
for t in certificate letter; do
	sed 's|/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf|fonts/DejaVuSerif.ttf|' \
		"$TOP/layouts/$t.xml" > layouts/$t.xml
done
rerender
check "a font file inside the layouts folder loads and draws" \
	"[ $rc = 0 ] && pdffonts $dir/print/\$(certs | head -1).pdf | grep -q DejaVuSerif"

# Render's progress line on a terminal (script(1) gives it one) counts the
# whole batch across its workers, and its last frame is the whole batch done.
cp "$TOP/layouts/certificate.xml" "$TOP/layouts/letter.xml" layouts/
python3 "$TOP/bench/gen-results.py" 500 many.xml
printf '\n[render]\njobs = 2\n' >> certpress.conf
validate_and_assign many.xml
total=$(count_learners spool/batches/$batch/assigned.xml)
script -qec "timeout 300 certpress-render $batch" typescript < /dev/null > /dev/null
rc=$?
tr '\r' '\n' < typescript | grep -o 'render: [0-9]* of [0-9]* learners.*' > frames
check "render on a terminal with two workers: exit 0" "[ $rc = 0 ]"
check "a progress line is drawn" "[ -s frames ]"
check "every progress line counts out of the whole batch ($total learners)" \
	"! grep -v \"of $total learners\" frames"
check "the count only grows" "awk '{ if (\$2 < last) exit 1; last = \$2 }' frames"
check "the final progress line shows all $total learners done" \
	"tail -1 frames | grep -q \"^render: $total of $total learners\""

done_testing
