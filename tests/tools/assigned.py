#!/usr/bin/python3
"""What a batch's assigned.xml says, one line each, for comparing with the
registry (tests/lib.sh's assigned_agrees).

usage: assigned.py documents|learners|duplicates|end ASSIGNED.xml

  documents   award-id|enrolment|qualification|awarded|type|reference|issue|issued|expires
              for every <document> (an absent attribute is empty)
  learners    award-id|enrolment|qualification|awarded for every <learner>
  duplicates  enrolment|qualification|awarded for every <duplicate>
  end         count|documents|duplicates of the <end> element

A file that is not well-formed, or has no <end>, exits 1.
"""
import sys
import xml.etree.ElementTree as ET

NS = "{urn:certpress:batch:1}"


def main():
    what, path = sys.argv[1], sys.argv[2]
    root = ET.parse(path).getroot()
    out = []
    if what in ("documents", "learners"):
        for learner in root.iter(NS + "learner"):
            award = learner.find(NS + "award")
            head = [learner.get("award-id", ""), learner.get("enrolment", ""),
                    award.get("qualification", "") if award is not None else "",
                    award.get("awarded", "") if award is not None else ""]
            if what == "learners":
                out.append(head)
                continue
            for doc in learner.iter(NS + "document"):
                out.append(head + [doc.get(a, "") for a in
                                   ("type", "reference", "issue", "issued", "expires")])
    elif what == "duplicates":
        for dup in root.iter(NS + "duplicate"):
            out.append([dup.get(a, "") for a in ("enrolment", "qualification", "awarded")])
    elif what == "end":
        end = root.find(NS + "end")
        if end is None:
            sys.exit(f"{path}: no <end>")
        out.append([end.get(a, "") for a in ("count", "documents", "duplicates")])
    else:
        sys.exit(__doc__)
    for row in out:
        print("|".join(row))


if __name__ == "__main__":
    main()
