#!/usr/bin/env python3
"""The WeasyPrint peer of the benchmark: one process, one PDF a learner (its
certificate and transcript) from HTML and CSS of the same design as
layouts/certificate.xml and layouts/transcript.xml (print copies).
usage: weasy_peer.py LIST.txt OUTDIR"""
import os
import sys
import xml.etree.ElementTree as ET
from html import escape

from weasyprint import HTML

CSS = """
@page cert { size: A4 landscape; margin: 0 }
@page tr { size: A4 portrait; margin: 78mm 18mm 18mm 18mm;
  @top-left { content: element(head); vertical-align: top; padding-top: 12mm }
  @bottom-left { content: "Reference " string(ref) " · issued " string(issued);
                 font: 7.5pt 'DejaVu Sans'; color: #555 }
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
                  font: 7.5pt 'DejaVu Sans'; color: #555 } }
body { font-family: 'DejaVu Sans'; margin: 0 }
.cert { page: cert; position: relative; width: 297mm; height: 210mm }
.c { position: absolute; left: 0; width: 297mm; text-align: center }
.serif { font-family: 'DejaVu Serif' }
.b { font-weight: bold }
.tr { page: tr; string-set: ref attr(data-ref), issued attr(data-issued) }
.head { position: running(head); width: 174mm }
table { width: 174mm; border-collapse: collapse; font-size: 8.5pt }
thead { display: table-header-group; background: #E8EDF3; font-weight: bold }
td, th { padding: 1.5mm; text-align: left; border-bottom: 0.5pt solid #C5CCD6 }
"""


def page(l):
    a = {k: escape(v) for k, v in l.attrib.items()}
    units = "".join(
        f"<tr><td>{escape(u.get('ref'))}</td><td>{escape(u.text or '')}</td>"
        f"<td>{escape(u.get('level'))}</td><td>{escape(u.get('credits'))}</td>"
        f"<td>{escape(u.get('grade'))}</td></tr>" for u in l.findall("unit"))
    return f"""<html><head><style>{CSS}</style></head><body>
<div class="cert">
 <div class="c serif b" style="top:46mm;font-size:15pt;color:#1F3A5F">EXAMPLE AWARDS</div>
 <div class="c serif" style="top:56mm;font-size:32pt;color:#1F3A5F">Certificate of Achievement</div>
 <div class="c serif" style="top:76mm;font-size:12pt;color:#4A4A4A">This is to certify that</div>
 <div class="c serif b" style="top:86mm;font-size:30pt">{a['name']}</div>
 <div class="c serif" style="top:106mm;font-size:12pt;color:#4A4A4A">has been awarded</div>
 <div class="c serif b" style="top:117mm;font-size:18pt;color:#1F3A5F">{a['title']}</div>
 <div class="c" style="top:131mm;font-size:11pt">with the grade {a['grade']}</div>
 <div style="position:absolute;top:153mm;left:24mm;width:90mm;font-size:10.5pt">
  <div style="font-size:8pt;color:#6A6A6A">AWARDED</div><div class="serif b">{a['awarded']}</div>
  <div style="font-size:8pt;color:#6A6A6A;margin-top:3mm">QUALIFICATION NUMBER</div><div class="serif b">{a['number']}</div>
  <div style="font-size:8pt;color:#6A6A6A;margin-top:3mm">CENTRE</div><div class="serif b">{a['centre']}</div></div>
 <div style="position:absolute;top:174mm;left:116mm;width:65mm;text-align:center;font-size:8.5pt;border-top:0.6pt solid #333">
  Chief Executive<br>{a['body']}<div style="font-size:7.5pt;color:#6A6A6A;margin-top:3mm">Candidate {a['candidate']} · Enrolment {a['enrolment']}</div></div>
 <div style="position:absolute;top:150mm;left:244mm;width:30mm;text-align:center">
  <img src="file://{a['qr-cert']}" style="width:30mm;height:30mm">
  <div class="serif b" style="font-size:9pt">{a['cert']}</div>
  <div style="font-size:7pt;color:#6A6A6A">Scan to verify this certificate</div></div>
</div>
<div class="tr" data-ref="{a['transcript']}" data-issued="{a['issued']}">
 <div class="head">
  <div class="serif b" style="font-size:13pt;color:#1F3A5F">{a['body']}</div>
  <div style="font-size:10pt;color:#4A4A4A">Unit Transcript</div>
  <img src="file://{a['qr-transcript']}" style="position:absolute;top:0;left:154mm;width:22mm;height:22mm">
  <div style="border-bottom:1pt solid #C9A227;margin-top:12mm"></div>
  <div class="serif b" style="font-size:15pt;margin-top:5mm">{a['name']}</div>
  <div class="b" style="font-size:10pt;color:#1F3A5F">{a['title']}</div>
  <div style="font-size:8.5pt">Qualification {a['number']} · Level {a['level']} · Grade {a['grade']} · Awarded {a['awarded']}</div>
  <div style="font-size:8.5pt">Candidate {a['candidate']} · Enrolment {a['enrolment']} · Centre {a['centre']}</div>
  <div style="font-size:8.5pt">{a['units-count']} units, {a['credits']} credits achieved</div>
 </div>
 <table><thead><tr><th>Unit</th><th>Title</th><th>Level</th><th>Credits</th><th>Grade</th></tr></thead>
 <tbody>{units}</tbody></table>
</div></body></html>"""


def main():
    out = sys.argv[2]
    n = 0
    for line in open(sys.argv[1]):
        line = line.strip()
        if not line:
            continue
        HTML(string=page(ET.parse(line).getroot())).write_pdf(os.path.join(out, f"{n:06d}.pdf"))
        n += 1
    print(n)


if __name__ == "__main__":
    main()
