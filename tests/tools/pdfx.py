#!/usr/bin/env python3
"""pdfx.py PDF [OUTPUT-CONDITION]: check the structure PDF/X-1a:2003 asks
of a print file, through qpdf's JSON (no PDF/X validator ships in Debian).
Prints one line per problem and exits 1 if there is any:
  - PDF 1.4 at most, not encrypted, a trailer /ID of two strings;
  - Info: Title, CreationDate, ModDate, GTS_PDFXVersion PDF/X-1a:2003,
    Trapped /False;
  - an OutputIntent /GTS_PDFX naming OUTPUT-CONDITION (FOGRA39);
  - every page: a TrimBox equal to its MediaBox and a BleedBox holding it;
  - no RGB anywhere: no /DeviceRGB (or ICC-based) colour space, no rg or RG
    in any content stream, every image DeviceGray or DeviceCMYK;
  - no transparency: no soft mask, no constant alpha below 1, no blend
    mode but Normal, no transparency group."""
import base64
import json
import re
import subprocess
import sys

path = sys.argv[1]
want_condition = sys.argv[2] if len(sys.argv) > 2 else "FOGRA39"
problems = []


def problem(s):
    problems.append(s)


with open(path, "rb") as f:
    head = f.read(16)
m = re.match(rb"%PDF-1\.(\d)", head)
if not m or int(m.group(1)) > 4:
    problem("header %r: PDF/X-1a:2003 is PDF 1.4 at most" % head[:8])

out = subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline",
                      "--decode-level=generalized", path],
                     capture_output=True, check=False)
if out.returncode not in (0, 3):
    sys.exit("pdfx.py: qpdf --json failed: " + out.stderr.decode(errors="replace"))
doc = json.loads(out.stdout)
objs = doc["qpdf"][1]


def value(ref):
    """The value of an indirect reference (or the value itself)."""
    if isinstance(ref, str) and ref.endswith(" R"):
        o = objs.get("obj:" + ref, {})
        return o.get("value", o.get("stream", {}).get("dict"))
    return ref


def text(v):
    v = value(v)
    if isinstance(v, str) and v[:2] in ("u:", "b:"):
        return v[2:] if v[0] == "u" else bytes.fromhex(v[2:]).decode("latin-1")
    return v


trailer = objs["trailer"]["value"]
if "/Encrypt" in trailer:
    problem("encrypted")
ids = trailer.get("/ID")
if not (isinstance(ids, list) and len(ids) == 2 and all(text(i) for i in ids)):
    problem("no trailer /ID of two strings")
info = value(trailer.get("/Info")) or {}
for k in ("/Title", "/CreationDate", "/ModDate"):
    if not text(info.get(k)):
        problem("Info has no " + k)
if text(info.get("/GTS_PDFXVersion")) != "PDF/X-1a:2003":
    problem("GTS_PDFXVersion is %r" % text(info.get("/GTS_PDFXVersion")))
if info.get("/Trapped") != "/False":
    problem("Trapped is %r, not /False" % info.get("/Trapped"))
root = value(trailer["/Root"])
intents = [value(i) for i in value(root.get("/OutputIntents")) or []]
if not any(i.get("/S") == "/GTS_PDFX" and text(i.get("/OutputConditionIdentifier")) == want_condition
           for i in intents):
    problem("no /GTS_PDFX output intent for %s" % want_condition)

pages = 0
for key, o in objs.items():
    if not key.startswith("obj:"):
        continue
    v = o.get("value")
    d = v if isinstance(v, dict) else o.get("stream", {}).get("dict", {})
    if not isinstance(d, dict):
        continue
    blob = json.dumps(d)
    if "/DeviceRGB" in blob or "/CalRGB" in blob or "/ICCBased" in blob:
        problem("%s: an RGB or ICC-based colour space" % key)
    if d.get("/Type") == "/Page":
        pages += 1
        media = [float(x) for x in value(d.get("/MediaBox", []))]
        trim = [float(x) for x in value(d.get("/TrimBox", []))]
        bleed = [float(x) for x in value(d.get("/BleedBox", []))]
        if not trim or trim != media:
            problem("%s: TrimBox %s is not the MediaBox %s" % (key, trim, media))
        if len(bleed) != 4 or not (bleed[0] <= trim[0] and bleed[1] <= trim[1]
                                   and bleed[2] >= trim[2] and bleed[3] >= trim[3]):
            problem("%s: no BleedBox holding the TrimBox" % key)
        contents = d.get("/Contents")
        for c in contents if isinstance(contents, list) else [contents]:
            data = objs.get("obj:" + c, {}).get("stream", {}).get("data") if c else None
            if data and re.search(rb"(^|\s)(rg|RG|sc|SC|scn|SCN)(\s|$)", base64.b64decode(data)):
                problem("%s: an RGB (or general) colour operator in its content" % key)
    if d.get("/Subtype") == "/Image" and d.get("/ColorSpace") not in ("/DeviceGray", "/DeviceCMYK"):
        problem("%s: an image in %s" % (key, d.get("/ColorSpace")))
    smask = d.get("/SMask")
    if smask is not None and smask != "/None":
        problem("%s: a soft mask" % key)
    for k in ("/CA", "/ca"):
        if k in d and float(d[k]) < 1:
            problem("%s: %s %s" % (key, k, d[k]))
    if d.get("/BM") not in (None, "/Normal", "/Compatible"):
        problem("%s: blend mode %s" % (key, d.get("/BM")))
    g = value(d.get("/Group"))
    if isinstance(g, dict) and g.get("/S") == "/Transparency":
        problem("%s: a transparency group" % key)
if not pages:
    problem("no pages")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
