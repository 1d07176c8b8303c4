#!/usr/bin/env python3
"""Write a deterministic results file of N learners for benchmarks.

usage: gen-results.py N OUT.xml [SEED]

Realistic on purpose: names in Welsh, Irish, Polish, Greek, Cyrillic,
French and German spellings; 6-12 units per learner, every 25th learner with
40 units (qualification 603/9000/1 of fixtures/catalogue.xml); every 200th
learner held (a query), every 500th withdrawn and every 250th rejected (a
unit of another qualification). The same N and seed give the same bytes.
"""
import random
import sys

FIRST = ["Siân", "Gwenllian", "Rhodri", "Seán", "Aoife", "Pádraig", "Małgorzata",
         "Łukasz", "Grzegorz", "Γιώργος", "Ελένη", "Δήμητρα", "Анастасия", "Дмитрий",
         "Олена", "François", "Zoë", "Jürgen", "Anne-Marie", "Mary", "Björn", "Çağla",
         "Ioana", "Liam", "Niamh", "Ciarán", "Zofia", "Иван", "Amélie", "Ffion"]
LAST = ["Llywelyn", "ap Dafydd", "Ó Briain", "Ní Mhurchú", "O'Connor", "Wiśniewska",
        "Brzęczyszczykiewicz", "Żółć", "Παπαδόπουλος", "Κωνσταντίνου", "Кузнецова",
        "Соколов", "Шевченко", "Lefèvre", "Groß", "Smith-Jones", "D'Arcy",
        "Mac Giolla Phádraig", "Yılmaz", "Ångström", "Știrbu", "Taylor-Brown",
        "Dąbrowska", "Petrov", "Côté", "Huws", "Prydderch", "Kaczmarek-Nowak"]
GRADES = ["Pass", "Merit", "Distinction"]
UNITS = [f"E/603/{9000 + i:04d}" for i in range(60)]


def learner(out, rng, i):
    enrolment = f"BEN{i:011d}"
    candidate = f"{70000000 + i * 7}"
    out.append(f'    <learner enrolment="{enrolment}" candidate="{candidate}">\n')
    out.append(f"      <first-name>{rng.choice(FIRST)}</first-name>\n")
    if i % 7 == 0:
        out.append(f"      <middle-names>{rng.choice(FIRST)}</middle-names>\n")
    out.append(f"      <last-name>{rng.choice(LAST)}</last-name>\n")
    year = 1970 + rng.randrange(38)
    out.append(f"      <dob>{year}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}</dob>\n")
    if i % 10:
        out.append(f"      <email>learner{i}@example.org</email>\n")
    if i % 200 == 199:
        out.append('      <outcome status="query"/>\n')
        n = 0
    elif i % 500 == 499:
        out.append('      <outcome status="withdrawn"/>\n')
        n = 0
    else:
        out.append(f'      <outcome status="achieved" grade="{rng.choice(GRADES)}" '
                   f'awarded="2026-11-01"/>\n')
        n = 40 if i % 25 == 24 else 6 + rng.randrange(7)
    units = UNITS[:2] + rng.sample(UNITS[2:], n - 2) if n else []
    if i % 250 == 249 and units:
        units[-1] = "K/650/1234"  # not part of this qualification: rejected
    for u in units:
        out.append(f'      <unit ref="{u}" grade="{rng.choice(GRADES)}"/>\n')
    out.append("    </learner>\n")


def main():
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 2026)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<results xmlns="urn:certpress:results:1" id="BENCH-{n}" '
                'submitted="2026-11-20T16:03:00Z">\n'
                '  <centre number="C09999" name="Benchmark College" '
                'email="exams@bench.example"/>\n')
        per_run = 1000
        for start in range(0, n, per_run):
            f.write(f'  <course-run id="CR-BENCH-{start // per_run:04d}" '
                    'qualification="603/9000/1" start="2025-09-01" end="2026-07-31">\n'
                    '    <verification verifier="V0001" name="Ann Verifier" '
                    'date="2026-11-18" outcome="confirmed"/>\n')
            out = []
            for i in range(start, min(n, start + per_run)):
                learner(out, rng, i)
            f.write("".join(out))
            f.write("  </course-run>\n")
        f.write("</results>\n")


if __name__ == "__main__":
    main()
