#!/usr/bin/env python3
"""bench/peers/export.py ASSIGNED.xml VERIFY_URL OUTDIR [LIMIT]: one small XML file a
learner (what the certificate and the transcript show) for the peers, and the
QR code of each document as a PNG made beforehand with qrencode (not timed).
Writes OUTDIR/list.txt with the learners' files in order."""
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

NS = "{urn:certpress:batch:1}"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def long_date(d):
    y, m, day = d.split("-")
    return f"{int(day)} {MONTHS[int(m) - 1]} {y}"


def main():
    assigned, url, out = sys.argv[1:4]
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else None
    os.makedirs(out, exist_ok=True)
    files = []
    centre = ""
    for _, el in ET.iterparse(assigned, events=("end",)):
        if el.tag == NS + "centre":
            centre = f'{el.get("name")} ({el.get("number")})'
        if el.tag != NS + "learner" or (limit is not None and len(files) >= limit):
            continue
        award = el.find(NS + "award")
        first = el.findtext(NS + "first-name")
        middle = el.findtext(NS + "middle-names")
        name = " ".join(x for x in (first, middle, el.findtext(NS + "last-name")) if x)
        docs = {d.get("type"): d for d in el.findall(NS + "document")}
        n = len(files)
        qr = {}
        for t in ("certificate", "transcript"):
            ref = docs[t].get("reference")
            qr[t] = os.path.join(out, f"{n:06d}-{t}.png")
            subprocess.run(["qrencode", "-l", "M", "-s", "4", "-m", "0", "-o", qr[t], url + ref],
                           check=True)
        units = "".join(
            f'<unit ref={quoteattr(u.get("ref"))} level={quoteattr(u.get("level"))} '
            f'credits={quoteattr(u.get("credits"))} grade={quoteattr(u.get("grade"))}>'
            f'{escape(u.findtext(NS + "title"))}</unit>' for u in el.findall(NS + "unit"))
        credits = sum(int(u.get("credits")) for u in el.findall(NS + "unit"))
        path = os.path.join(out, f"{n:06d}.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(
                f'<?xml version="1.0" encoding="UTF-8"?>\n<learner body="Example Awards" '
                f'name={quoteattr(name)} enrolment={quoteattr(el.get("enrolment"))} '
                f'candidate={quoteattr(el.get("candidate"))} '
                f'title={quoteattr(award.findtext(NS + "title"))} '
                f'number={quoteattr(award.get("qualification"))} level={quoteattr(award.get("level"))} '
                f'grade={quoteattr(award.get("grade"))} awarded={quoteattr(long_date(award.get("awarded")))} '
                f'centre={quoteattr(centre)} cert={quoteattr(docs["certificate"].get("reference"))} '
                f'transcript={quoteattr(docs["transcript"].get("reference"))} '
                f'issued={quoteattr(long_date(docs["certificate"].get("issued")))} '
                f'qr-cert={quoteattr(os.path.abspath(qr["certificate"]))} '
                f'qr-transcript={quoteattr(os.path.abspath(qr["transcript"]))} '
                f'units-count="{len(el.findall(NS + "unit"))}" credits="{credits}">'
                f'{units}</learner>\n')
        files.append(os.path.abspath(path))
        el.clear()
    with open(os.path.join(out, "list.txt"), "w") as f:
        f.write("\n".join(files) + "\n")


if __name__ == "__main__":
    main()
