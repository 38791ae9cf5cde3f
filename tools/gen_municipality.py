#!/usr/bin/env python3
"""Synthetic large-municipality month for the `istd reconcile` benchmark.

Creates a ledger (schema made by `istd ingest --db FILE <empty dir>`, rows inserted directly
into the documented tables of src/core/ledger/ledger.hpp) holding a year of 301/305/307 history
with pauses and stops, one pending 323 per provider for the evaluation month, and a billing CSV
written as a Dutch spreadsheet writes it (`;` separators, amounts in euros: `21,00`).

  tools/gen_municipality.py --istd build/src/istd --out DIR [--clients 50000]
      [--providers 200] [--prestaties 500000] [--month 2025-06] [--seed 1]

Writes DIR/ledger.db and DIR/billing.csv. Deterministic for a seed.
"""
import argparse
import datetime as dt
import os
import random
import sqlite3
import subprocess
import tempfile


def bsn_list(n, start=100000000):
    out = []
    x = start
    while len(out) < n:
        s = f"{x:09d}"
        if (sum(int(s[i]) * (9 - i) for i in range(8)) - int(s[8])) % 11 == 0:
            out.append(s)
        x += 1
    return out


def month_add(d, n):
    t = d.year * 12 + d.month - 1 + n
    return dt.date(t // 12, t % 12 + 1, 1)


def last_of(d):
    return month_add(d, 1) - dt.timedelta(days=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--istd", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--clients", type=int, default=50000)
    ap.add_argument("--providers", type=int, default=200)
    ap.add_argument("--prestaties", type=int, default=500000)
    ap.add_argument("--month", default="2025-06")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    db = os.path.join(a.out, "ledger.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    with tempfile.TemporaryDirectory() as empty:
        subprocess.run([a.istd, "ingest", "--db", db, empty], check=True,
                       stdout=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA journal_mode=WAL")
    cols = [r[1] for r in con.execute("PRAGMA table_info(messages)")]
    has_bytes_table = con.execute(
        "SELECT count(*) FROM sqlite_master WHERE name='message_bytes'").fetchone()[0] == 1
    gemeente = "0363"
    year, mon = map(int, a.month.split("-"))
    evald = dt.date(year, mon, 1)
    hist_start = month_add(evald, -12)
    agbs = [f"{10000000 + i * 37:08d}" for i in range(a.providers)]
    bsns = bsn_list(a.clients)
    mid = [0]
    n_route = [0]

    def message(typ, code, afz, ont, ident, body=b""):
        mid[0] += 1
        n_route[0] += 1
        row = {"id": mid[0], "role": "input", "type": typ, "berichtcode": code,
               "afzender": afz, "ontvanger": ont, "identificatie": ident,
               "dagtekening": "2025-01-01", "xsd_basis": "1.0.0", "xsd_bericht": "1.0.0",
               "source": "", "content_hash": mid[0], "bytes": body, "verdict": "accepted",
               "level": 0, "findings": "[]", "reply_to": None,
               "route_path": f"gen/{n_route[0]}.xml", "reason": None, "materialised": 1,
               "received_at": "2025-01-01T00:00:00Z"}
        use = [c for c in cols if c in row]
        con.execute(f"INSERT INTO messages({','.join(use)}) VALUES({','.join('?' * len(use))})",
                    [row[c] for c in use])
        if has_bytes_table:
            con.execute("INSERT INTO message_bytes(id, bytes) VALUES(?, ?)", (mid[0], body))
        return mid[0]

    allocs = []  # (nummer, bsn, agb, ingang, eind)
    nummer = 100000
    billing = []
    cats = ["02", "03", "04", "05", "06", "07", "08", "11"]
    for i, bsn in enumerate(bsns):
        born = dt.date(rnd.randint(1930, 2015), rnd.randint(1, 12), rnd.randint(1, 28))
        body = (f"<Bericht><Client><Bsn>{bsn}</Bsn><Geboortedatum><Datum>{born.isoformat()}"
                f"</Datum></Geboortedatum></Client></Bericht>").encode()
        n_alloc = 1 if rnd.random() < 0.6 else 2
        agb = agbs[i % len(agbs)]
        m301 = message("WMO301", "414", gemeente, agb, f"A{i}", body)
        for k in range(n_alloc):
            nummer += 1
            if k == 1:
                agb = agbs[(i * 7 + 3) % len(agbs)]
            ing = hist_start + dt.timedelta(days=rnd.randint(0, 120))
            eind = dt.date(year + 1, 12, 31) if rnd.random() < 0.9 else evald - dt.timedelta(days=rnd.randint(1, 60))
            cat = rnd.choice(cats)
            con.execute(
                "INSERT INTO allocation_versions(message_id, gemeente, toewijzing_nummer, "
                "toewijzingsdatum, toewijzingstijd, bsn, agb, categorie, code, ingangsdatum, "
                "einddatum, reden_wijziging, volume, eenheid, frequentie, budget) "
                "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (m301, gemeente, nummer, ing.isoformat(), "10:00:00", bsn, agb, cat,
                 cat + "A01", ing.isoformat(), eind.isoformat(), None, 40, "04", "4", None))
            allocs.append((nummer, bsn, agb, ing, eind, cat))
            # Start (90 %), a pause for 15 %, restart for half of those, stop for 5 %.
            if rnd.random() < 0.9:
                s = ing + dt.timedelta(days=rnd.randint(0, 30))
                m305 = message("WMO305", "418", agb, gemeente, f"S{nummer}")
                con.execute("INSERT INTO starts(agb, gemeente, bsn, toewijzing_nummer, categorie, "
                            "code, begindatum, inserted_by) VALUES(?,?,?,?,?,?,?,?)",
                            (agb, gemeente, bsn, nummer, cat, cat + "A01", s.isoformat(), m305))
                r = rnd.random()
                if r < 0.2:
                    p = s + dt.timedelta(days=rnd.randint(20, 200))
                    reden = "20" if r < 0.15 else "23"
                    m307 = message("WMO307", "420", agb, gemeente, f"P{nummer}")
                    con.execute("INSERT INTO stops(agb, gemeente, bsn, toewijzing_nummer, "
                                "categorie, code, begindatum, reden_beeindiging, einddatum, "
                                "inserted_by) VALUES(?,?,?,?,?,?,?,?,?,?)",
                                (agb, gemeente, bsn, nummer, cat, cat + "A01", s.isoformat(),
                                 reden, p.isoformat(), m307))
                    if reden == "20" and rnd.random() < 0.5:
                        rs = p + dt.timedelta(days=rnd.randint(10, 90))
                        m2 = message("WMO305", "418", agb, gemeente, f"R{nummer}")
                        con.execute("INSERT INTO starts(agb, gemeente, bsn, toewijzing_nummer, "
                                    "categorie, code, begindatum, inserted_by) "
                                    "VALUES(?,?,?,?,?,?,?,?)",
                                    (agb, gemeente, bsn, nummer, cat, cat + "A01",
                                     rs.isoformat(), m2))
        for m in range(12):
            md = month_add(hist_start, m + 1)
            amount = "20,60" if md.year == 2024 else "21,00"  # euros, Dutch notation
            billing.append(f"{bsn};{md.year:04d}-{md.month:02d};{amount}")

    # Prestaties: the evaluation month and late claims for earlier months, one 323 per provider.
    per_alloc = max(1, a.prestaties // max(1, len(allocs)) + 1)
    lines_by_agb = {}
    count = 0
    for (num, bsn, agb, ing, eind, cat) in allocs:
        for back in range(per_alloc):
            if count >= a.prestaties:
                break
            m0 = month_add(evald, -back)
            b = max(m0, ing)
            e = min(last_of(m0), eind)
            if e < b:
                continue
            vol = rnd.randint(1, 45)  # > 40 is 9321
            lines_by_agb.setdefault(agb, []).append((bsn, num, cat, b, e, vol))
            count += 1
    for di, agb in enumerate(agbs):
        lines = lines_by_agb.get(agb, [])
        total = sum(l[5] * 5000 for l in lines)
        m323 = message("WMO323", "484", agb, gemeente, f"D{di}")
        cur = con.execute(
            "INSERT INTO declarations(message_id, agb, gemeente, declaratie_nummer, periode_begin, "
            "periode_eind, declaratie_dagtekening, totaal_bedrag, totaal_dc, identificatie, "
            "dagtekening, xsd_basis, xsd_bericht, intake_codes, status, retourcodes) "
            "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (m323, agb, gemeente, f"DN{di}", evald.isoformat(), last_of(evald).isoformat(),
             last_of(evald).isoformat(), total, "D", f"D{di}", last_of(evald).isoformat(),
             "1.0.0", "1.0.0", "", "pending", ""))
        did = cur.lastrowid
        rows = []
        for pos, (bsn, num, cat, b, e, vol) in enumerate(lines):
            rows.append((did, pos, agb, gemeente, bsn, f"R{di}x{pos}", None, num, cat,
                         cat + "A01", b.isoformat(), e.isoformat(), vol, "04", 5000, vol * 5000,
                         "D", "pending", ""))
        con.executemany(
            "INSERT INTO prestaties(declaration_id, position, agb, gemeente, bsn, "
            "referentie_nummer, vorig_referentie_nummer, toewijzing_nummer, product_categorie, "
            "product_code, periode_begin, periode_eind, geleverd_volume, eenheid, product_tarief, "
            "bedrag, debet_credit, verdict, retourcodes) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows)
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with open(os.path.join(a.out, "billing.csv"), "w") as f:
        f.write("bsn;month;amount\n")
        f.write("\n".join(billing) + "\n")
    print(f"{len(bsns)} clients, {len(allocs)} allocations, {len(agbs)} providers, "
          f"{count} prestaties, {len(billing)} billing lines -> {a.out}")


if __name__ == "__main__":
    main()
