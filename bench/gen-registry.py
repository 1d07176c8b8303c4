#!/usr/bin/python3
"""Grow a registry to N documents for the publish benchmark.

usage: gen-registry.py REGISTRY KEY-FILE N [SEED]

REGISTRY holds batches that certpress validated and assigned (real awards,
units and documents). Their awards are copied, with their units and
documents, until the registry holds at least N documents: each copy with
its own enrolment and fresh serials whose references carry the right check
characters under KEY-FILE (HMAC-SHA256, as pipeline/ref.c), so the service
finds them. Every document is marked published (issued) with a digital
copy's SHA-256, as after a pack. Deterministic for a seed.
"""
import hashlib
import hmac
import random
import sqlite3
import sys

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def reference(key, serial, issue):
    body = "%08d-%02d" % (serial, issue)
    mac = hmac.new(key, body.encode(), hashlib.sha256).digest()
    v = (mac[0] << 12) | (mac[1] << 4) | (mac[2] >> 4)
    return body + "-" + "".join(ALPHABET[(v >> s) & 31] for s in (15, 10, 5, 0))


def main():
    path, keyfile, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 15)
    key = bytes.fromhex(open(keyfile).read().strip())
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    acols = [r[1] for r in db.execute("PRAGMA table_info(awards)") if r[1] != "id"]
    dcols = [r[1] for r in db.execute("PRAGMA table_info(documents)")]
    awards = db.execute("SELECT id, %s FROM awards ORDER BY id" % ", ".join(acols)).fetchall()
    docs = {}
    for row in db.execute("SELECT %s FROM documents ORDER BY award_id, type, issue"
                          % ", ".join(dcols)):
        docs.setdefault(row[dcols.index("award_id")], []).append(list(row))
    units = {}
    for row in db.execute("SELECT award_id, position, code, title, level, credits, grade"
                          " FROM award_units ORDER BY award_id, position"):
        units.setdefault(row[0], []).append(row[1:])
    have = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    used = {r[0] for r in db.execute("SELECT serial FROM serials")}
    per_copy = sum(len(v) for v in docs.values())
    copies = max(0, -(-(n - have) // per_copy))
    need = copies * per_copy
    serials = iter(s for s in rng.sample(range(10**7, 10**8), need + len(used)) if s not in used)
    next_award = db.execute("SELECT max(id) FROM awards").fetchone()[0] + 1
    ei, ri, si = acols.index("enrolment"), dcols.index("reference"), dcols.index("serial")
    ii, ai = dcols.index("issue"), dcols.index("award_id")
    pi, hi, di = dcols.index("published"), dcols.index("digital_sha256"), dcols.index("issued")
    ins_a = "INSERT INTO awards (id, %s) VALUES (%s)" % (", ".join(acols), ", ".join("?" * (len(acols) + 1)))
    ins_d = "INSERT INTO documents (%s) VALUES (%s)" % (", ".join(dcols), ", ".join("?" * len(dcols)))
    ins_u = "INSERT INTO award_units VALUES (?, ?, ?, ?, ?, ?, ?)"
    with db:
        db.execute("UPDATE documents SET published = coalesce(published, issued),"
                   " digital_sha256 = coalesce(digital_sha256, lower(hex(randomblob(32))))")
        for k in range(1, copies + 1):
            arows, drows, urows, srows = [], [], [], []
            for a in awards:
                aid = next_award
                next_award += 1
                row = list(a[1:])
                row[ei] = "%s-%d" % (row[ei], aid)
                arows.append([aid] + row)
                for u in units.get(a[0], ()):
                    urows.append((aid,) + u)
                for d in docs.get(a[0], ()):
                    d = list(d)
                    serial = next(serials)
                    srows.append((serial,))
                    d[si], d[ai] = serial, aid
                    d[ri] = reference(key, serial, d[ii])
                    d[pi] = d[pi] or d[di]
                    d[hi] = "%064x" % rng.getrandbits(256)
                    drows.append(d)
            db.executemany(ins_a, arows)
            db.executemany(ins_u, urows)
            db.executemany(ins_d, drows)
            db.executemany("INSERT INTO serials VALUES (?)", srows)
    print(db.execute("SELECT count(*) FROM documents").fetchone()[0])


if __name__ == "__main__":
    main()
