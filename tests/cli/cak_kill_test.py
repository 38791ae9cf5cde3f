#!/usr/bin/env python3
"""A crash of `istd cak` between writing an export and recording it neither loses nor repeats a
line.

The bundled sample month is ingested; then, for each durability point N of `istd cak` (the CSV
written, both files written, the export recorded), a copy of that ledger is exported with
ISTD_FAULT_AFTER=N (the process ends there, exit 99) and then exported again normally. Every
data row of every export file left in the output directory, taken together, must equal the rows
of one uninterrupted export: none lost, none twice. The ledger must remember exactly the lines
that are in the files, and `--export 1` must write export 1 again byte for byte.

Usage: cak_kill_test.py ISTD SOURCE_DIR
"""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TODAY = "2025-07-10"


def run(cmd, cwd, env=None, expect=0):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    if p.returncode != expect:
        sys.exit(f"FAIL: {' '.join(map(str, cmd))} exited {p.returncode}, expected {expect}\n"
                 f"stdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p.stdout


def rows(out_dir):
    """Data rows of every CSV export in out_dir, without the export number and date columns."""
    got = []
    for f in sorted(out_dir.glob("cak-export-*.csv")):
        for line in f.read_text().splitlines()[1:]:
            got.append(";".join(line.split(";")[2:]))
    return sorted(got)


def main():
    istd, src = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    import os
    env = dict(os.environ)
    env.pop("ISTD_FAULT_AFTER", None)
    with tempfile.TemporaryDirectory(prefix="istd-cak-kill-") as tmp:
        tmp = Path(tmp)
        base = tmp / "base.db"
        run([istd, "ingest", "-q", "--db", base, "--out", tmp / "routed", "--today", TODAY,
             "fixtures/sample"], src, env)
        ref_db, ref_out = tmp / "ref.db", tmp / "ref"
        shutil.copy(base, ref_db)
        run([istd, "cak", "--db", ref_db, "--out", ref_out, "--today", TODAY], src, env)
        want = rows(ref_out)
        assert len(want) == 4, want
        for n in (1, 2, 3):
            db, out = tmp / f"k{n}.db", tmp / f"k{n}"
            shutil.copy(base, db)
            crash = dict(env, ISTD_FAULT_AFTER=str(n))
            run([istd, "cak", "--db", db, "--out", out, "--today", TODAY], src, crash, expect=99)
            run([istd, "cak", "--db", db, "--out", out, "--today", TODAY], src, env)
            got = rows(out)
            assert got == want, (n, got, want)
            # The ledger remembers exactly what the files hold.
            exports = sorted(out.glob("cak-export-*.csv"))
            for f in exports:
                number = int(f.stem.split("-")[-1])
                again = tmp / f"again{n}"
                run([istd, "cak", "--db", db, "--out", again, "--export", str(number)], src, env)
                for ext in (".csv", ".jsonl"):
                    a = (again / (f.stem + ext)).read_bytes()
                    b = (out / (f.stem + ext)).read_bytes()
                    assert a == b, (n, f.stem + ext)
            print(f"fault after point {n}: {len(exports)} export(s), {len(got)} rows, as without "
                  f"the crash")
        # An export that does not exist is a clear usage error.
        p = subprocess.run([istd, "cak", "--db", ref_db, "--out", tmp / "x", "--export", "9"],
                           cwd=src, capture_output=True, text=True, env=env)
        assert p.returncode == 2 and "no such export" in p.stderr, (p.returncode, p.stderr)
        assert not (tmp / "x").exists()
    print("ok")


if __name__ == "__main__":
    main()
