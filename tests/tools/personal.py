#!/usr/bin/python3
"""The personal data of results files, one value a line: every learner's
first, middle and last names, date of birth and email address, as the XML
means them (entities decoded, each line of a value on its own, trimmed),
for a test to look for in messages that must never carry them.

usage: personal.py RESULTS.xml...

Values shorter than 3 characters are left out (they would match anywhere).
A file that is not well-formed is skipped: there is no value to read.
"""
import sys
import xml.etree.ElementTree as ET

NS = "{urn:certpress:results:1}"
FIELDS = ("first-name", "middle-names", "last-name", "dob", "email")


def main():
    seen = set()
    for path in sys.argv[1:]:
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        for learner in root.iter(NS + "learner"):
            for field in FIELDS:
                for node in learner.iter(NS + field):
                    for line in (node.text or "").splitlines():
                        value = line.strip()
                        if len(value) >= 3 and value not in seen:
                            seen.add(value)
                            print(value)


if __name__ == "__main__":
    main()
