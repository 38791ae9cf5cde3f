#!/usr/bin/env python3
"""istd reconcile refuses a malformed amount in an input file before writing anything.

For each bad billing, tariffs or policy file: exit status 2, stderr names FILE:LINE, and the
--out directory (created empty beforehand) stays empty. A control run with the same files
corrected must get past the inputs and write its outputs.

Usage: reconcile_bad_amounts_test.py ISTD
"""
import subprocess
import sys
import tempfile
from pathlib import Path

TODAY = "2025-07-10"
MONTH = "2025-06"

BILLING_HEAD = "bsn;month;amount;household\n999900006;2025-05;21,00;H1\n"
TARIFFS_HEAD = "gemeente,agb,product_code,eenheid,tarief,begindatum\n"

# (flag, file name, content, the line stderr must name as FILE:LINE)
BAD = [
    ("--billing", "billing.csv", BILLING_HEAD + "999900006;2025-06;21,005;H1\n", 3),
    ("--billing", "billing.csv", BILLING_HEAD + "999900006;2025-06;abc;H1\n", 3),
    # A BOM and CRLF, as spreadsheets write them; 21,00 unquoted in a comma-separated file.
    ("--billing", "billing.csv", "\ufeffbsn,month,amount\r\n999900006,2025-06,21,00\r\n", 2),
    ("--billing", "billing.csv", "bsn|month|amount\n999900006|2025-06|21,00\n", 1),  # separator
    ("--billing", "billing.csv", BILLING_HEAD + "999900006;2025-06;\"21,00;H1\n", 3),
    ("--tariffs", "tariffs.csv", TARIFFS_HEAD + "0363,65656055,01A11,04,\"65,005\",2025-01-01\n",
     2),
    ("--policy", "reconcile.policy", "trigger = delivery\namount.2025 = 21,0O\n", 2),
]

GOOD = {
    "--billing": ("billing.csv", BILLING_HEAD + "999900006;2025-06;21,00;H1\n"),
    "--tariffs": ("tariffs.csv", TARIFFS_HEAD + "0363,65656055,01A11,04,\"65,00\",2025-01-01\n"),
    "--policy": ("reconcile.policy", "trigger = delivery\namount.2025 = 21,00\n"),
}


def reconcile(istd, db, out, flag, path):
    return subprocess.run([istd, "reconcile", "--db", str(db), "--month", MONTH, flag, str(path),
                           "--out", str(out), "--today", TODAY],
                          capture_output=True, text=True)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    istd = sys.argv[1]
    failures = []
    with tempfile.TemporaryDirectory(prefix="istd-bad-amounts-") as tmp:
        tmp = Path(tmp)
        empty = tmp / "empty"
        empty.mkdir()
        db = tmp / "ledger.db"
        p = subprocess.run([istd, "ingest", "--db", str(db), str(empty)], capture_output=True,
                           text=True)
        if p.returncode != 0:
            sys.exit(f"FAIL: istd ingest of an empty directory exited {p.returncode}:\n{p.stderr}")
        for i, (flag, name, content, line) in enumerate(BAD):
            case = tmp / f"case{i}"
            case.mkdir()
            path = case / name
            path.write_bytes(content.encode("utf-8"))
            out = case / "out"
            out.mkdir()
            p = reconcile(istd, db, out, flag, path)
            what = f"{flag} {content!r}"
            if p.returncode != 2:
                failures.append(f"{what}: exit {p.returncode}, expected 2\n{p.stderr}")
            if f"{path}:{line}: " not in p.stderr:
                failures.append(f"{what}: stderr does not name {path}:{line}:\n{p.stderr}")
            if p.stdout:
                failures.append(f"{what}: wrote to stdout:\n{p.stdout}")
            written = sorted(str(f.relative_to(out)) for f in out.rglob("*"))
            if written:
                failures.append(f"{what}: files written to --out despite the error: {written}")
        # Control: the corrected files get past the inputs (0 or 1) and write the outputs.
        for flag, (name, content) in GOOD.items():
            case = tmp / f"good{flag}"
            case.mkdir()
            path = case / name
            path.write_text(content)
            out = case / "out"
            p = reconcile(istd, db, out, flag, path)
            if p.returncode not in (0, 1) or not (out / "summary.json").exists():
                failures.append(f"control {flag}: exit {p.returncode}, outputs "
                                f"{sorted(str(f) for f in out.rglob('*')) if out.exists() else []}"
                                f"\n{p.stderr}")
    if failures:
        sys.exit("FAIL:\n" + "\n".join(failures))
    print(f"{len(BAD)} malformed inputs refused with FILE:LINE and nothing written; "
          f"{len(GOOD)} corrected inputs accepted")


if __name__ == "__main__":
    main()
