#!/usr/bin/env python3
"""Crash test of `istd ingest`: kill it anywhere, rerun the same command, and the ledger and the
output tree must equal those of an uninterrupted run.

1. A small consistent history (tools/gen_corpus.py --kind history) plus a duplicate, a rejected
   305 (retour with the Client), a non-XML file (quarantine), a 323, and files over the size
   limit (quarantined whole, one of them twice: a duplicate).
2. A clean run gives the reference: a canonical dump of the ledger (every table, no timestamps,
   no materialised flags; blobs by sha256) and the output tree (relative path + sha256).
3. Deterministic faults: for N = 1, 2, ... ISTD_FAULT_AFTER=N ends the process (_exit 99) at the
   N-th durability point (message staged, commit, file written, WAL synced, files synced, flags
   committed); the same command is rerun without the fault and the result compared. N runs
   until a run finishes without hitting its fault. A few pairs of faults (crash during the recovery run).
4. Real SIGKILLs at random moments within a clean run's duration on a larger corpus, each
   followed by a rerun; each must hit a running ingest before its work was done.

--part faults runs steps 1-3, --part sigkill steps 1 (the larger corpus) and 4, --part all every
step. The faults do not depend on timing and may run beside other tests; the SIGKILLs are timed
against a clean run and want the machine to themselves (ctest: RUN_SERIAL).

Python standard library only. Usage:
  kill_test.py --istd BUILD/src/istd --schemas DIR --source SRC [--work DIR] [--kills 6]
               [--part all|faults|sigkill]
"""

import argparse
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

TODAY = "2026-01-01"
MAX_SIZE = "128K"


def run(cmd, env_extra=None, check_rc=None):
    env = dict(os.environ)
    env["ISTD_TODAY"] = TODAY
    env.pop("ISTD_FAULT_AFTER", None)
    if env_extra:
        env.update(env_extra)
    p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if check_rc is not None and p.returncode not in check_rc:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}: {p.stderr.decode(errors='replace')}")
    return p.returncode


def dump_ledger(db):
    con = sqlite3.connect(db)
    out = []
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name != 'meta' ORDER BY name")]  # meta: the out_dir setting
    for t in tables:
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})")
                if r[1] != "received_at"]
        out.append(f"== {t}")
        order = "id" if "id" in cols else cols[0]
        for row in con.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY {order}"):
            cells = []
            for v in row:
                if isinstance(v, bytes):
                    v = "sha256:" + hashlib.sha256(v).hexdigest()
                cells.append(repr(v))
            out.append("|".join(cells))
    # Every row must be flagged materialised after a completed run.
    unmat = con.execute("SELECT count(*) FROM unwritten").fetchone()[0]
    con.close()
    if unmat:
        out.append(f"!! {unmat} rows not materialised")
    return "\n".join(out)


def dump_tree(root):
    out = []
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                out.append(f"{os.path.relpath(p, root)} {hashlib.sha256(fh.read()).hexdigest()}")
    return "\n".join(sorted(out))


def make_corpus(source, directory, messages):
    gen = os.path.join(source, "tools", "gen_corpus.py")
    shutil.rmtree(directory, ignore_errors=True)
    subprocess.run([sys.executable, gen, "--kind", "history", "--out", directory,
                    "--messages", str(messages), "--force"], check=True,
                   stdout=subprocess.DEVNULL)
    files = sorted(f for f in os.listdir(directory) if f.endswith(".xml"))
    starts = [f for f in files if "-WMO305-" in f]
    first305 = os.path.join(directory, starts[0])
    with open(first305, "rb") as fh:
        data = fh.read()
    # Exact re-delivery, a rejected copy (same start again, new Identificatie: 9074 + 9326),
    # and garbage.
    shutil.copy(first305, os.path.join(directory, "zz1-duplicate.xml"))
    ident = data.split(b"<iwmo:Identificatie>")[1].split(b"</iwmo:Identificatie>")[0]
    with open(os.path.join(directory, "zz2-again.xml"), "wb") as fh:
        fh.write(data.replace(b">" + ident + b"<", b">KILLTEST0001<"))
    with open(os.path.join(directory, "zz3-junk.xml"), "wb") as fh:
        fh.write(b"not xml at all\n")
    tmpl = os.path.join(source, "tests", "data", "ingest", "wmo323.xml")
    with open(tmpl, encoding="utf-8") as fh:
        t = fh.read()
    for k, v in {"AGB": "65656055", "GEMEENTE": "0363", "ID": "KILL323", "DAGTEKENING": "2025-06-04",
                 "BSN": "999900006", "NUMMER": "DNKILL"}.items():
        t = t.replace("${" + k + "}", v)
    with open(os.path.join(directory, "zz4-claim.xml"), "w", encoding="utf-8") as fh:
        fh.write(t)
    # Over the size limit (MAX_SIZE): quarantined byte for byte, streamed through the ledger
    # (the first is larger than what recovery holds in memory), and a copy of it (a duplicate).
    rng = random.Random(5)
    big = rng.randbytes(5 * 1024 * 1024 + 99)
    for name, data in (("zz5-oversize.xml", big), ("zz6-oversize-copy.xml", big),
                       ("zz7-oversize-other.xml", rng.randbytes(300 * 1024))):
        with open(os.path.join(directory, name), "wb") as fh:
            fh.write(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--istd", required=True)
    ap.add_argument("--schemas", required=True)
    ap.add_argument("--source", required=True, help="source tree (tools/gen_corpus.py)")
    ap.add_argument("--work")
    ap.add_argument("--messages", type=int, default=20)
    ap.add_argument("--kills", type=int, default=6)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--part", choices=("all", "faults", "sigkill"), default="all")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="istd-kill-")
    os.makedirs(work, exist_ok=True)
    started = time.time()

    def cmd(db, out, inputs, jobs="1"):
        # -j 1 for the deterministic faults (start-up is most of a run); -j 2 for SIGKILLs.
        return [args.istd, "ingest", "--db", db, "--out", out, "--schemas", args.schemas,
                "--batch", "5", "-j", jobs, "--max-size", MAX_SIZE, "--format", "json", inputs]

    def fresh(name):
        d = os.path.join(work, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        return os.path.join(d, "ledger.db"), os.path.join(d, "out")

    def compare(label, db_, out_, ref):
        got = (dump_ledger(db_), dump_tree(out_))
        if got != ref:
            for name, a, b in (("ledger", ref[0], got[0]), ("tree", ref[1], got[1])):
                if a != b:
                    al, bl = a.splitlines(), b.splitlines()
                    diff = [f"- {x}" for x in al if x not in bl] + [f"+ {x}" for x in bl if x not in al]
                    print(f"{label}: {name} differs:\n" + "\n".join(diff[:20]), file=sys.stderr)
            sys.exit(f"FAIL: {label}")

    rng = random.Random(args.seed)
    said = []

    if args.part in ("all", "faults"):
        corpus = os.path.join(work, "corpus")
        make_corpus(args.source, corpus, args.messages)
        db, out = fresh("clean")
        run(cmd(db, out, corpus), check_rc=(0, 1))
        ref = (dump_ledger(db), dump_tree(out))
        if ("quarantine/zz3-junk.xml.reason" not in ref[1] or "WMO306" not in ref[1]
                or "quarantine/zz5-oversize.xml.reason" not in ref[1]
                or "quarantine/zz7-oversize-other.xml " not in ref[1]):
            sys.exit("FAIL: the reference run did not produce the expected outputs")

        # Deterministic faults at every durability point.
        n = 0
        while True:
            n += 1
            db, out = fresh("fault")
            rc = run(cmd(db, out, corpus), {"ISTD_FAULT_AFTER": str(n)})
            if rc not in (0, 1, 99):
                sys.exit(f"FAIL: fault {n}: unexpected exit {rc}")
            run(cmd(db, out, corpus), check_rc=(0, 1))
            compare(f"fault after point {n}", db, out, ref)
            if rc != 99:
                break
        points = n - 1
        # Crash again during the recovery run.
        for _ in range(5):
            a, b = rng.randint(1, points), rng.randint(1, points)
            db, out = fresh("double")
            run(cmd(db, out, corpus), {"ISTD_FAULT_AFTER": str(a)})
            run(cmd(db, out, corpus), {"ISTD_FAULT_AFTER": str(b)})
            run(cmd(db, out, corpus), check_rc=(0, 1))
            compare(f"faults {a} then {b}", db, out, ref)
        said.append(f"{points} durability points, {points} single faults, 5 double faults")

    if args.part in ("all", "sigkill"):
        # Real SIGKILLs on a larger corpus, at moments spread over the time a clean run takes.
        # Each kill must hit a running ingest (the process dies of the signal) and leave its
        # work unfinished (ledger or tree not yet those of a clean run); at least one must hit
        # it after it stored something. A kill after the work was done would test nothing.
        big = os.path.join(work, "big")
        make_corpus(args.source, big, 2400)
        db, out = fresh("bigclean")
        t0 = time.monotonic()
        run(cmd(db, out, big, "2"), check_rc=(0, 1))
        clean_seconds = time.monotonic() - t0
        ref = (dump_ledger(db), dump_tree(out))
        env = dict(os.environ, ISTD_TODAY=TODAY)
        env.pop("ISTD_FAULT_AFTER", None)
        mid_run = 0
        for k in range(args.kills):
            db, out = fresh("kill")
            p = subprocess.Popen(cmd(db, out, big, "2"), env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            delay = clean_seconds * rng.uniform(0.2, 0.5)
            time.sleep(delay)
            p.send_signal(signal.SIGKILL)
            rc = p.wait()
            if rc != -signal.SIGKILL:
                sys.exit(f"FAIL: SIGKILL {k + 1} after {delay:.2f} s (a clean run takes "
                         f"{clean_seconds:.2f} s) did not hit a running ingest (exit {rc})")
            stored = 0
            if os.path.exists(db):
                con = sqlite3.connect(db)
                try:
                    stored = con.execute("SELECT count(*) FROM messages").fetchone()[0]
                except sqlite3.Error:
                    stored = 0  # killed before the schema was committed
                con.close()
            try:
                done = os.path.exists(db) and (dump_ledger(db), dump_tree(out)) == ref
            except sqlite3.Error:
                done = False  # killed before the ledger's tables existed
            if done:
                sys.exit(f"FAIL: SIGKILL {k + 1} after {delay:.2f} s came after the work "
                         "was done")
            mid_run += stored > 0
            run(cmd(db, out, big, "2"), check_rc=(0, 1))
            compare(f"SIGKILL {k + 1}", db, out, ref)
        if mid_run == 0:
            sys.exit(f"FAIL: only {mid_run} of {args.kills} SIGKILLs hit an ingest that had "
                     f"stored messages (a clean run takes {clean_seconds:.2f} s)")
        said.append(f"{args.kills} SIGKILLs, all of a running ingest, {mid_run} after it stored "
                    f"messages (clean run {clean_seconds:.2f} s)")

    print(f"kill test: {', '.join(said)}: ledger and output tree identical to a clean run "
          f"({time.time() - started:.1f} s)")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
