#!/bin/bash
# The render stage on the good fixture: every document as a digital and a
# print PDF, each checked with qpdf, pdffonts, pdftotext and, for a sample,
# its QR code decoded back with zbarimg.
. "$(dirname "$0")/lib.sh"
make_key

through_render "$FIX/results/good.xml"
dir=spool/batches/$batch
check "render exits 0" "[ $rc = 0 ]"
check "108 digital and 108 print copies" \
	"[ \$(ls $dir/digital | wc -l) = 108 ] && [ \$(ls $dir/print | wc -l) = 108 ]"
check "rendered.xml lists every document with pages, bytes and SHA-256" \
	"[ \$(grep -c '<document ' $dir/rendered.xml) = 108 ] && contains $dir/rendered.xml '<end count=\"40\" documents=\"108\" pages=\"108\"/>'"
check "the SHA-256 in rendered.xml is the file's" \
	"r=\$(sed -n 's/.*reference=\"\\([^\"]*\\)\".*digital-sha256=\"\\([0-9a-f]*\\)\".*/\\1 \\2/p' $dir/rendered.xml | head -1) &&
	 [ \"\$(sha256sum $dir/digital/\${r%% *}.pdf | cut -d' ' -f1)\" = \"\${r#* }\" ]"
check "no journal or temp file left" "! ls -a $dir $dir/digital $dir/print | grep -qE 'journal|cptmp'"

bad=0
for f in $dir/digital/*.pdf $dir/print/*.pdf; do
	qpdf --check "$f" > /dev/null 2>&1 || { bad=$((bad + 1)); echo "# qpdf: $f" >&2; }
done
check "qpdf --check passes for all 216 PDFs" "[ $bad = 0 ]"
bad=0
for f in $dir/print/*.pdf; do
	pdffonts "$f" | awk 'NR > 2 && $(NF-4) != "yes" { exit 1 }' || bad=$((bad + 1))
done
check "pdffonts: every font embedded in every print copy" "[ $bad = 0 ]"
check "pdffonts: fonts are subsets" "pdffonts $dir/print/\$(ls $dir/print | head -1) | awk 'NR > 2 && \$(NF-3) != \"yes\" { exit 1 }'"

# Every learner's certificate carries their exact name, qualification and reference.
sql "select d.reference, a.first_name || coalesce(' ' || a.middle_names, '') || ' ' || a.last_name,
     a.qualification_title from documents d join awards a on a.id = d.award_id
     where d.type = 'certificate'" > certs
bad=0
while IFS='|' read -r ref name title; do
	pdftotext -layout "$dir/print/$ref.pdf" text 2>/dev/null
	tr -s ' \n' ' ' < text > flat
	grep -qF -- "$name" flat && grep -qF -- "$title" flat && grep -qF -- "$ref" flat ||
		{ bad=$((bad + 1)); echo "# missing in $ref: $name" >&2; }
done < certs
check "all 40 certificates carry the exact name, title and reference" "[ $bad = 0 ] && [ \$(wc -l < certs) = 40 ]"
for name in "Siân Llywelyn" "Aoife Máire Ní Mhurchú" "Małgorzata Wiśniewska" "Γιώργος Παπαδόπουλος" \
	"Анастасия Игоревна Кузнецова" "Δήμητρα Οικονόμου" "Siobhán O'Connor" "Anne-Marie Smith-Jones" "Çağla Yılmaz" "Ioana Știrbu"; do
	check "the certificate text has '$name'" "grep -qF -- \"$name\" <(for r in \$(cut -d'|' -f1 certs); do pdftotext $dir/print/\$r.pdf - 2>/dev/null; done | tr -s ' \\n' ' ')"
done

# The digital copy reads the same, is marked, signed (protection = sign:
# t3017 checks the signatures and protection = encrypt).
ref=$(doc_ref Llywelyn certificate)
check "the digital copy is signed, not encrypted" \
	"pdfsig $dir/digital/$ref.pdf | grep -q 'Signature is Valid' && qpdf --show-encryption $dir/digital/$ref.pdf | grep -q 'File is not encrypted'"
check "the print copy is not encrypted" "qpdf --show-encryption $dir/print/$ref.pdf | grep -q 'File is not encrypted'"
# The diagonal DIGITAL COPY mark is drawn in #E6EAF0: count its pixels.
mark_pixels() {
	pdftoppm -r 30 -f 1 -l 1 "$1" page
	python3 -c 'import sys
d = open(sys.argv[1], "rb").read()
parts = d.split(b"\n", 3)
px = parts[3]
print(sum(1 for i in range(0, len(px) - 2, 3) if px[i:i + 3] == bytes([0xe6, 0xea, 0xf0])))' page-1.ppm
}
check "the digital copy carries the DIGITAL COPY mark" "[ \$(mark_pixels $dir/digital/$ref.pdf) -gt 500 ]"
check "the print copy does not" "[ \$(mark_pixels $dir/print/$ref.pdf) = 0 ]"
check "the digital copy says it is a digital copy" "pdftotext $dir/digital/$ref.pdf - | grep -q 'Digital copy issued 23 November 2026'"
check "the print copy has neither the note nor the logo" \
	"! pdftotext $dir/print/$ref.pdf - | grep -qi 'digital copy' && [ \$(pdfimages -list $dir/print/$ref.pdf | tail -n +3 | wc -l) = 0 ]"
check "the digital copy has the logo and the signature" "[ \$(pdfimages -list $dir/digital/$ref.pdf | tail -n +3 | wc -l) = 2 ]"
check "document info: title, subject with the reference, author" \
	"pdfinfo $dir/digital/$ref.pdf | grep -q '^Title: *Certificate' &&
	 pdfinfo $dir/digital/$ref.pdf | grep -q \"^Subject: *Reference $ref\" &&
	 pdfinfo $dir/digital/$ref.pdf | grep -q '^Author: *Example Awards'"
check "A4 landscape exactly" "pdfinfo $dir/print/$ref.pdf | grep -q 'Page size: *841.89 x 595.276 pts (A4)'"
check "the expiry date is shown where the qualification expires" "pdftotext $dir/print/$ref.pdf - | grep -q 'Valid until 1 November 2029'"
check "and not where it does not" \
	"! pdftotext $dir/print/\$(doc_ref Παπαδόπουλος certificate).pdf - | grep -q 'Valid until'"

# QR codes decode to the verification URL.
for who in Llywelyn Παπαδόπουλος Кузнецова Huws; do
	for type in certificate transcript letter; do
		r=$(doc_ref "$who" $type)
		[ -n "$r" ] || continue
		pdftoppm -r 150 -png -f 1 -l 1 "$dir/print/$r.pdf" qr
		check "QR of $who's $type decodes to its verification URL" \
			"[ \"\$(zbarimg -q --raw qr-1.png)\" = 'https://verify.example.org/v/$r' ]"
		rm -f qr-1.png
	done
done

# Edge cases: a 71-character name, 60 units, Vietnamese through the UTF-8 encoder.
through_render "$FIX/results/render-edge.xml"
dir=spool/batches/$batch
check "render of the edge cases exits 0" "[ $rc = 0 ]"
long=$(doc_ref "Fernández-Wolfeschlegelsteinhausen de la Santísima Trinidad" transcript)
pages=$(pdfinfo $dir/print/$long.pdf | sed -n 's/^Pages: *//p')
check "a 60-unit transcript spans more than one page" "[ $pages -gt 1 ]"
for p in $(seq 1 $pages); do
	check "page $p of $pages has the table header and 'Page $p of $pages'" \
		"pdftotext -f $p -l $p -layout $dir/print/$long.pdf - | grep -qE 'Unit +Title +Level +Credits +Grade' &&
		 pdftotext -f $p -l $p $dir/print/$long.pdf - | grep -q 'Page $p of $pages'"
done
check "all 60 units are listed" "[ \$(pdftotext -layout $dir/print/$long.pdf - | grep -cE '^ *E/603/9[0-9]{3}') = 60 ]"
cert=$(doc_ref "Fernández-Wolfeschlegelsteinhausen de la Santísima Trinidad" certificate)
pdftotext -bbox $dir/print/$cert.pdf bbox.html
check "the 71-character name is printed in full" \
	"pdftotext $dir/print/$cert.pdf - | tr -s ' \\n' ' ' | grep -qF 'Maximiliano Fernández-Wolfeschlegelsteinhausen de la Santísima Trinidad'"
check "every word of the certificate lies inside the page (841.89 pt wide)" \
	"python3 -c 'import re,sys; xs=[float(x) for x in re.findall(r\"xMax=\\\"([0-9.]+)\\\"\", open(\"bbox.html\").read())]; sys.exit(0 if xs and max(xs) < 841.89 - 20 else 1)'"
viet=$(doc_ref "Thị Minh Khai" certificate)
check "a Vietnamese name comes back exactly" "pdftotext $dir/print/$viet.pdf - | grep -qF 'Nguyễn Thị Minh Khai'"
check "through the UTF-8 encoder (Identity-H)" "pdffonts $dir/print/$viet.pdf | grep -q Identity-H"
mixed=$(doc_ref "Ó Súilleabháin-Κωνσταντίνου" certificate)
check "Latin and Greek in one name come back exactly" "pdftotext $dir/print/$mixed.pdf - | grep -qF 'Ærwyn Ó Súilleabháin-Κωνσταντίνου'"
check "an ampersand in the centre name" "pdftotext $dir/print/$mixed.pdf - | grep -qF 'Coleg Cymraeg & Ysgol Uwchradd'"

# Running the stage again does nothing.
before=$(stat -c %Y $dir/rendered.xml)
check_exit 0 "render again is a no-op" certpress-render "$batch"
check "rendered.xml untouched" "[ \$(stat -c %Y $dir/rendered.xml) = $before ]"
check_exit 66 "render of a batch without references" certpress-render "$(certpress-validate "$FIX/results/bad/rule-grade.xml" 2>/dev/null | cut -d' ' -f1)"

done_testing
