#!/usr/bin/env python3
"""Golden test of the README's main job: ingest and reconcile the bundled sample month.

Runs, in a fresh temporary directory,
    istd ingest --db L --out OUT/routed --today 2025-07-10 --format json fixtures/sample
    istd reconcile --db L --month <MONTH> --billing fixtures/sample/billing.csv
                   --out OUT/reconcile --today 2025-07-10 --format json
    istd worklist --db L --today 2025-07-10 --format json
    istd cak --db L --out OUT/cak --today 2025-07-10        (twice: the second is empty)
and compares every output file (routed inputs and retours, findings.jsonl/.csv,
abonnementstarief.csv, summary.json, the 325, the CAK exports) and the stdouts with
tests/cli/sample_month/.
It also asserts the hand-checked facts of fixtures/sample/README.md directly, so that a
regenerated golden tree cannot hide a wrong verdict.

Usage: sample_month_test.py ISTD SOURCE_DIR [--update]
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

TODAY = "2025-07-10"


def run(cmd, expect_rc, cwd):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if p.returncode != expect_rc:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}, expected {expect_rc}\n"
                 f"stdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    if p.stderr:
        sys.exit(f"FAIL: {' '.join(cmd)} wrote to stderr:\n{p.stderr}")
    return p.stdout


def tree(root):
    """Relative path -> bytes of every file under root (report.html aside: tests/report/ opens it
    in a browser and checks its figures)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "report.html"}


def check_facts(out):
    rec = out / "reconcile"
    lines = [json.loads(l) for l in (rec / "findings.jsonl").read_text().splitlines()]
    rejected = {(l["referentie"], l["rule"], l["retourcode"]) for l in lines if l["kind"] == "prestatie"}
    assert rejected == {("65-2025-06-004", "TR321", "9321")}, rejected
    signals = {(l["referentie"], l["signal"]) for l in lines if l["kind"] == "signal"}
    assert signals == {("65-2025-06-005", "in-pause")}, signals
    at = {(l["bsn"], l["month"], l["reason"], l["amount"]) for l in lines
          if l["kind"] == "abonnementstarief"}
    expected_at = {
        ("999900006", "2025-03", "no-allocation", 2100),
        ("999900031", "2025-03", "before-start", 2100),
        ("999900006", "2025-04", "start-month", 2100),
        ("999900031", "2025-04", "start-month", 2100),
        ("999900018", "2025-05", "duplicate-household", 2100),
        ("999900031", "2025-05", "amount-mismatch", 2060),
        ("999900031", "2025-06", "pause", 2100),
    }
    assert at == expected_at, sorted(at ^ expected_at)
    summary = json.loads((rec / "summary.json").read_text())
    assert summary["ingediend"] == 372500 and summary["toegekend"] == 288500, summary
    # Per standard: the Wmo claim as before; the Jeugd claim of C4 (two lines) approved in full.
    assert summary["by_standard"] == {
        "wmo": {"declarations": 1, "prestaties": 5, "rejected": 1, "ingediend": 282500,
                "toegekend": 198500},
        "jw": {"declarations": 1, "prestaties": 2, "rejected": 0, "ingediend": 90000,
               "toegekend": 90000}}, summary["by_standard"]
    assert summary["abonnementstarief"]["refund_total"] == 8400, summary["abonnementstarief"]
    assert summary["abonnementstarief"]["scope"] == "wmo", summary["abonnementstarief"]
    answers = sorted((rec / "325").rglob("*.xml"))
    assert len(answers) == 2, answers
    kinds = sorted("JW325" if "/ijw/3_2/jw325/" in a.read_text() else "WMO325" for a in answers)
    assert kinds == ["JW325", "WMO325"], kinds
    # Jeugd findings: none (both lines approved, no signal) and C4 is no abonnementstarief case.
    assert not [l for l in lines if l.get("bsn") == "999900043"], "a finding for C4"
    retours = sorted(p.parent.name for p in (out / "routed").rglob("*.xml")
                     if p.parent.name in ("WMO306", "WMO308", "WMO316", "JW306", "JW308"))
    assert retours == ["JW306", "JW308"] + ["WMO306"] * 4 + ["WMO308"] * 2 + ["WMO316"] * 2, retours
    # The Jeugd allocation has number 300201, as C1's Wmo allocation: two allocations (no 9332).
    received = sorted(p.name for p in (out / "routed" / "0363" / "JW302").glob("*.xml"))
    assert received == ["12a-JW302-C4-retour.xml"], received
    # The provider's 320 answers the municipality's own 319 (in onderzoek); no 320 is made here.
    received = sorted(p.name for p in (out / "routed" / "0363" / "WMO320").glob("*.xml"))
    assert received == ["00c-WMO320-C3-retour.xml"], received
    assert not list((out / "routed" / "65656055").glob("WMO320/ISTD*.xml"))
    # The provider's two 302s are recorded and routed to the municipality.
    received = sorted(p.name for p in (out / "routed" / "0363" / "WMO302").glob("*.xml"))
    assert received == ["02a-WMO302-C1-retour.xml", "02b-WMO302-C2-retour.xml"], received
    # Worklist on 2025-07-10: C3's pause (since 10 May) has neither restart nor definitive stop;
    # the 301 of C3 never got its 302; C2's request of 30 June (315) has no answer after 5
    # working days (due 7 July). C3's request (315, in onderzoek) was honoured by the 301. The
    # 323's 325 was made by reconcile.
    items = [json.loads(l) for l in (out / "worklist.stdout.jsonl").read_text().splitlines()]
    got = {(i["kind"], i["party"], i["bsn"], i["concerns"], i["due"]) for i in items}
    assert got == {("pause-open", "65656055", "999900031", "WMO301:G0363-00103", "2025-06-09"),
                   ("retour-missing", "65656055", "999900031", "WMO301:G0363-00103",
                    "2025-02-27"),
                   ("request-open", "0363", "999900018", "WMO315:V2025-0118", "2025-07-07")}, got
    assert summary["worklist"] == {"today": TODAY, "open": 3,
                                   "by_kind": {"pause-open": 1, "request-open": 1,
                                               "retour-missing": 1}}, summary
    # CAK list: three starts; C3's pause holds the whole of June, so C3 stops on 9 May. C1's
    # pause of 7-15 June is no gap for the CAK.
    cak = [l.split(";") for l in (out / "cak" / "cak-export-0001.csv").read_text().splitlines()]
    assert cak[0][:8] == ["Exportnummer", "Aanmaakdatum", "Gemeente", "Bsn", "EbStartNummer",
                          "EbStartdatum", "EbStopdatum", "StatusAanlevering"], cak[0]
    rows = {(r[3], r[4], r[5], r[6], r[7], r[9]) for r in cak[1:]}
    # Jeugd care has no own contribution: C4 is not on the CAK list.
    assert rows == {("999900006", "1", "2025-04-03", "", "1", "start"),
                    ("999900018", "2", "2025-04-07", "", "1", "start"),
                    ("999900031", "3", "2025-04-14", "", "1", "start"),
                    ("999900031", "3", "", "2025-05-09", "1", "stop-pause")}, rows
    again = (out / "cak" / "cak-export-0002.csv").read_text().splitlines()
    assert len(again) == 1, again  # nothing new: an empty export


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    istd, src = os.path.abspath(sys.argv[1]), Path(sys.argv[2]).resolve()
    update = "--update" in sys.argv[3:]
    sample = src / "fixtures" / "sample"
    golden = src / "tests" / "cli" / "sample_month"
    month = (sample / "MONTH").read_text().strip()
    with tempfile.TemporaryDirectory(prefix="istd-sample-") as tmp:
        out = Path(tmp) / "out"
        db = Path(tmp) / "ledger.db"
        ingest = run([istd, "ingest", "--db", str(db), "--out", str(out / "routed"), "--today", TODAY,
                      "--format", "json", "fixtures/sample"], 0, src)
        reconcile = run([istd, "reconcile", "--db", str(db), "--month", month, "--billing",
                         "fixtures/sample/billing.csv", "--out", str(out / "reconcile"),
                         "--today", TODAY, "--format", "json"], 1, src)
        worklist = run([istd, "worklist", "--db", str(db), "--today", TODAY, "--format", "json"],
                       1, src)
        cak = run([istd, "cak", "--db", str(db), "--out", str(out / "cak"), "--today", TODAY],
                  0, src)
        cak += run([istd, "cak", "--db", str(db), "--out", str(out / "cak"), "--today", TODAY],
                   0, src)
        # Bad input files: a clear error naming file and line, exit 2, nothing written.
        bad_billing = Path(tmp) / "bad-billing.csv"
        bad_billing.write_text("bsn;month;amount\n999900006;2025-06;21,00\n123456789;2025-06;21,00\n")
        bad_policy = Path(tmp) / "bad.policy"
        bad_policy.write_text("trigger = delivery\nfoo = 1\n")
        for flag, path, where in (("--billing", bad_billing, "bad-billing.csv:3"),
                                  ("--policy", bad_policy, "bad.policy:2")):
            bad_out = Path(tmp) / "bad-out"
            p = subprocess.run([istd, "reconcile", "--db", str(db), "--month", month, flag, str(path),
                                "--out", str(bad_out), "--today", TODAY], cwd=src,
                               capture_output=True, text=True)
            assert p.returncode == 2 and where in p.stderr, (p.returncode, p.stderr)
            assert not bad_out.exists(), f"{flag}: output written despite the error"
        # The paths in stdout name the temporary directory; make them stable.
        ingest = ingest.replace(str(out), "OUT")
        reconcile = reconcile.replace(str(out), "OUT")
        (out / "ingest.stdout.jsonl").write_text(ingest)
        (out / "reconcile.stdout.jsonl").write_text(reconcile)
        (out / "worklist.stdout.jsonl").write_text(worklist)
        (out / "cak.stdout.txt").write_text(cak.replace(str(out), "OUT"))
        check_facts(out)
        # Every message written (routed inputs, 306/308 retours, the 325) is valid.
        run([istd, "validate", str(out / "routed"), str(out / "reconcile" / "325")], 0, src)
        got = tree(out)
        if update:
            for rel, data in got.items():
                (golden / rel).parent.mkdir(parents=True, exist_ok=True)
                (golden / rel).write_bytes(data)
            print(f"updated {golden} ({len(got)} files)")
            return
        want = tree(golden)
        problems = [f"missing: {r}" for r in sorted(want.keys() - got.keys())]
        problems += [f"unexpected: {r}" for r in sorted(got.keys() - want.keys())]
        problems += [f"differs: {r}" for r in sorted(want.keys() & got.keys()) if want[r] != got[r]]
        if problems:
            sys.exit("FAIL: sample month output differs from tests/cli/sample_month "
                     "(rerun with --update after checking by hand):\n  " + "\n  ".join(problems))
    print(f"sample month {month}: {len(got)} output files as expected")


if __name__ == "__main__":
    main()
