#!/usr/bin/env python3
"""The ledger on PostgreSQL against the ledger on SQLite, through the istd binary.

usage: pg_ledger_test.py ISTD PROJECT_DIR PG_STATE_DIR

PG_STATE_DIR is a throwaway server made by tools/pg_cluster.sh (the ctest fixture `pg_cluster`
starts it). Each case gets a schema of its own in that server's database.

1. Differential: the sample month (fixtures/sample) and every fixture message (fixtures/messages,
   fixtures/messages-ijw: accepted, rejected, duplicates, both standards) go through
   `istd ingest`, `reconcile`, `worklist`, `cak` and `timeline` once on SQLite and once on
   PostgreSQL, into the same paths: the output trees, JSON lines, 325s, reports and CAK files
   must be identical byte for byte.
2. Two processes: two `istd ingest` runs of the same inputs at the same time on one PostgreSQL
   ledger. Each input is stored once (the other run reports it a duplicate), no retour
   identifier is given twice, and the ledger holds what one run alone stores.
"""
import filecmp
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

ISTD, PROJECT, STATE = sys.argv[1], sys.argv[2], sys.argv[3]
BASE_URL = open(os.path.join(STATE, "url")).read().strip()
TODAY = "2025-07-10"
SAMPLE = os.path.join(PROJECT, "fixtures", "sample")
MONTH = open(os.path.join(SAMPLE, "MONTH")).read().strip()
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def psql(url, sql):
    return subprocess.run(["psql", "-qAt", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True,
                          capture_output=True, text=True).stdout


def fresh_schema(name):
    """A URL whose tables live in a new, empty schema `name`."""
    psql(BASE_URL, f"DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}")
    return BASE_URL + "&options=" + urllib.parse.quote(f"-csearch_path={name}")


def run(args, **kw):
    return subprocess.run([ISTD] + args, capture_output=True, text=True, **kw)


def all_inputs(work):
    """The inputs, copied into one directory (names kept apart by a prefix)."""
    d = os.path.join(work, "inputs")
    os.makedirs(d)
    for sub in ("sample", "messages", "messages-ijw"):
        src = os.path.join(PROJECT, "fixtures", sub)
        for f in sorted(os.listdir(src)):
            if f.endswith(".xml"):
                shutil.copy(os.path.join(src, f), os.path.join(d, f"{sub}-{f}"))
    return d


def month_run(db, out):
    """ingest, reconcile, worklist, cak, timeline on `db`; every output under `out`."""
    os.makedirs(out)
    steps = {
        "ingest": ["ingest", "--db", db, "--out", f"{out}/routed", "--today", TODAY,
                   "--format", "json", "--report", f"{out}/ingest-report.html", SAMPLE],
        "reconcile": ["reconcile", "--db", db, "--month", MONTH, "--billing",
                      f"{SAMPLE}/billing.csv", "--out", f"{out}/reconcile", "--today", TODAY],
        "worklist": ["worklist", "--db", db, "--today", TODAY, "--format", "json"],
        "cak": ["cak", "--db", db, "--out", f"{out}/cak", "--today", TODAY],
        "timeline": ["timeline", "--db", db, "--bsn", "999900031"],
    }
    for name, args in steps.items():
        r = run(args)
        with open(f"{out}/{name}.out", "w") as f:
            f.write(f"rc={r.returncode}\n{r.stdout}{r.stderr}")
        check(r.returncode in (0, 1), f"{db}: {name} exited {r.returncode}: {r.stderr[-400:]}")


def trees_equal(a, b, locations):
    """Files that differ between the trees `a` and `b`; a report naming its ledger (the file, or
    the URL) is compared with each location replaced by one placeholder."""
    cmp = filecmp.dircmp(a, b)
    differ = []

    def same_but_ledger(x, y):
        tx, ty = (open(p, "rb").read().decode("utf-8", "replace") for p in (x, y))
        for loc in locations:
            for form in (html.escape(loc), loc):
                tx, ty = tx.replace(form, "<ledger>"), ty.replace(form, "<ledger>")
        return tx == ty

    def walk(c, rel):
        differ.extend(os.path.join(rel, f) for f in c.left_only + c.right_only)
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        mismatch = [f for f in mismatch
                    if not same_but_ledger(os.path.join(c.left, f), os.path.join(c.right, f))]
        differ.extend(os.path.join(rel, f) for f in mismatch + errors)
        for sub, sc in c.subdirs.items():
            walk(sc, os.path.join(rel, sub))

    walk(cmp, "")
    return differ


def differential(work):
    inputs = all_inputs(work)
    out = os.path.join(work, "out")  # both backends write here, so paths in outputs agree
    results = {}
    locations = []
    for backend in ("sqlite", "postgresql"):
        db = os.path.join(work, "ledger.db") if backend == "sqlite" else fresh_schema("diff")
        locations.append(db)
        month_run(db, out)
        # Then every fixture message on the same ledger (accepted, rejected, duplicates).
        r = run(["ingest", "--db", db, "--out", f"{out}/routed", "--today", TODAY, "--format",
                 "json", inputs])
        with open(f"{out}/fixtures.out", "w") as f:
            f.write(f"rc={r.returncode}\n{r.stdout}")
        check(r.returncode in (0, 1), f"{backend}: fixtures ingest exited {r.returncode}")
        results[backend] = os.path.join(work, backend)
        os.rename(out, results[backend])
    files = sum(len(fs) for _, _, fs in os.walk(results["sqlite"]))
    differ = trees_equal(results["sqlite"], results["postgresql"], locations)
    check(not differ, f"outputs differ between SQLite and PostgreSQL: {differ[:10]}")
    lines = open(os.path.join(results["sqlite"], "fixtures.out")).read().count("\n")
    print(f"differential: {files} output files, {lines} ingest lines of the fixtures: "
          f"{'identical' if not differ else 'DIFFERENT'}")
    return inputs


def two_processes(work, inputs):
    url = fresh_schema("twice")
    out = os.path.join(work, "twice")
    cmd = lambda: [ISTD, "ingest", "--db", url, "--out", out, "--today", TODAY, "--format",
                   "json", "--batch", "1", inputs]
    procs = [subprocess.Popen(cmd(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate() for p in procs]
    for p, (o, e) in zip(procs, outs):
        check(p.returncode in (0, 1), f"two processes: ingest exited {p.returncode}: {e[-400:]}")
    first = {}  # source -> runs that stored it (not a duplicate)
    retours = []
    for o, _ in outs:
        for line in o.splitlines():
            j = json.loads(line)
            src = j["source"]
            first.setdefault(src, 0)
            if not j.get("duplicate"):
                first[src] += 1
                if j.get("retour"):
                    retours.append(j["retour"])
    n_inputs = len(os.listdir(inputs))
    # Identical inputs among the fixtures are duplicates of each other in any one run too.
    single = fresh_schema("single")
    r = run(["ingest", "--db", single, "--today", TODAY, "--format", "json", inputs])
    alone = [json.loads(l) for l in r.stdout.splitlines()]
    stored_alone = sum(1 for j in alone if not j.get("duplicate"))
    stored_twice = sum(first.values())
    check(len(first) == n_inputs, f"two processes: {len(first)} of {n_inputs} inputs reported")
    check(stored_twice == stored_alone,
          f"two processes stored {stored_twice} inputs, one run alone {stored_alone}")
    check(all(v <= 1 for v in first.values()),
          f"stored by both runs: {[s for s, v in first.items() if v > 1][:5]}")
    check(len(retours) == len(set(retours)), "a retour file was given twice")
    counts = [psql(fresh_url, "SELECT count(*) FROM messages WHERE role = 'input'").strip()
              for fresh_url in (url, single)]
    check(counts[0] == counts[1], f"inputs in the ledger: {counts[0]} (two runs) vs {counts[1]}")
    ids = psql(url, "SELECT count(*), count(DISTINCT identificatie) FROM messages "
                    "WHERE role = 'output'").split("|")
    check(ids[0].strip() == ids[1].strip(), f"retour identifiers not unique: {ids}")
    print(f"two processes: {n_inputs} inputs, {stored_twice} stored once each "
          f"(one run alone: {stored_alone}), {len(retours)} retours, ledger inputs {counts}")


def main():
    with tempfile.TemporaryDirectory(prefix="istd-pg-") as work:
        inputs = differential(work)
        two_processes(work, inputs)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
