#!/usr/bin/env python3
"""confirm.py TICKET SERIAL-PREFIX [--spoil REF]... [--skip REF]...
   [--no-dispatch] [--skip-consignment ID]... [--date YYYY-MM-DD]

The printing house's confirmation (urn:certpress:print-confirmation:1) of
the print file whose job ticket is TICKET, on standard output: every
document printed on paper serial PREFIX-N (N its place in the ticket),
those given with --spoil spoiled, those given with --skip left out; every
consignment dispatched on --date (2026-11-23) with tracking TRK-ID-PREFIX,
unless --no-dispatch or --skip-consignment ID. Also: the ticket's
consignments as "ID REF..." lines with --list."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "urn:certpress:ticket:1"}


def main(argv):
    ticket, prefix = argv[1], argv[2]
    spoil, skip, skip_cons = set(), set(), set()
    dispatch, date, listing = True, "2026-11-23", False
    i = 3
    while i < len(argv):
        a = argv[i]
        if a in ("--spoil", "--skip", "--skip-consignment", "--date"):
            v = argv[i + 1]
            i += 1
            {"--spoil": spoil.add, "--skip": skip.add,
             "--skip-consignment": skip_cons.add}.get(a, lambda x: None)(v)
            if a == "--date":
                date = v
        elif a == "--no-dispatch":
            dispatch = False
        elif a == "--list":
            listing = True
        else:
            sys.exit("confirm.py: unknown option " + a)
        i += 1
    root = ET.parse(ticket).getroot()
    cons = root.findall("t:consignment", NS)
    if listing:
        for c in cons:
            refs = [d.get("reference") for d in c.findall("t:document", NS)]
            print(c.get("id"), *refs)
        return
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<confirmation xmlns="urn:certpress:print-confirmation:1" print-batch="%s">'
           % root.get("print-batch")]
    n = 0
    for c in cons:
        for d in c.findall("t:document", NS):
            n += 1
            ref = d.get("reference")
            if ref in skip:
                continue
            out.append('  <document reference="%s" paper-serial="%s-%d" outcome="%s"/>'
                       % (ref, prefix, n, "spoiled" if ref in spoil else "printed"))
    for c in cons:
        if dispatch and c.get("id") not in skip_cons:
            out.append('  <consignment id="%s" dispatched="%s" tracking="TRK-%s-%s"/>'
                       % (c.get("id"), date, c.get("id"), prefix))
    out.append("</confirmation>")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv)
