#!/usr/bin/env python3
"""report.html end to end: the sample month and a generated larger month are ingested and
reconciled, and each report is opened in headless Chromium (check_report.py: self-contained, no
console errors, no request leaving the file, figures equal to summary.json, a timeline for every
refund row, tidy clean, a screenshot). Also: --lang en gives the same figures, --mask-bsn leaves
no full BSN in the page, and `istd ingest --report` writes a batch report that passes the same
checks.

    run_report_test.py ISTD SOURCE_DIR BUILD_DIR [--large CLIENTS]
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ISTD, SRC, BUILD = sys.argv[1:4]
LARGE = int(sys.argv[sys.argv.index("--large") + 1]) if "--large" in sys.argv else 0
CHECK = os.path.join(SRC, "tests", "report", "check_report.py")
SAMPLE = os.path.join(SRC, "fixtures", "sample")
failures = []


def run(cmd, ok=(0,), **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode not in ok:
        raise SystemExit(f"FAIL: {' '.join(cmd)} -> {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def check(html, summary, *extra):
    p = subprocess.run([sys.executable, CHECK, "--html", html, "--summary", summary, *extra],
                       capture_output=True, text=True)
    print(p.stdout.strip())
    if p.returncode != 0:
        failures.append(f"{html}: {p.stdout}\n{p.stderr}")
        print(p.stderr.strip())


def sample(tmp):
    db = os.path.join(tmp, "ledger.db")
    inputs = sorted(os.path.join(SAMPLE, f) for f in os.listdir(SAMPLE) if f.endswith(".xml"))
    batch_html = os.path.join(tmp, "batch.html")
    run([ISTD, "ingest", "--db", db, "--out", os.path.join(tmp, "routed"), "--today",
         "2025-07-10", "--report", batch_html, "--quiet", *inputs])
    assert os.path.getsize(batch_html) > 1000, "ingest --report wrote no page"
    month = open(os.path.join(SAMPLE, "MONTH")).read().strip()
    for lang, extra in (("nl", []), ("en", ["--lang", "en"]), ("masked", ["--mask-bsn"])):
        out = os.path.join(tmp, "rec-" + lang)
        run([ISTD, "reconcile", "--db", db, "--month", month, "--billing",
             os.path.join(SAMPLE, "billing.csv"), "--out", out, "--today", "2025-07-10",
             *extra], ok=(0, 1))
        html = os.path.join(out, "report.html")
        summary = os.path.join(out, "summary.json")
        shot = os.path.join(BUILD, f"report-sample-{lang}.png")
        check(html, summary, "--expect-refund-rows", "--screenshot", shot)
        text = open(html, encoding="utf-8").read()
        if lang == "masked":
            full = set(re.findall(r"\b999900\d{3}\b", text))
            if full:
                failures.append(f"--mask-bsn: full BSNs in the page: {sorted(full)}")
            if "gemaskeerd" not in text:
                failures.append("--mask-bsn: the header does not say the BSNs are masked")
        else:
            if "999900031" not in text:
                failures.append(f"{lang}: the refund client's BSN is not in the page")
            if lang == "nl" and "Dit rapport bevat BSN" not in text:
                failures.append("nl: the header does not say the report contains BSNs")
            if lang == "en" and "This report contains BSNs" not in text:
                failures.append("en: the header does not say the report contains BSNs")
        # The sample's hand-checked facts (fixtures/sample/README.md) are in the page.
        s = json.load(open(summary))
        if s["abonnementstarief"]["refund_total"] != 8400:
            failures.append(f"{lang}: refund total {s['abonnementstarief']['refund_total']}")
        for needle in ("9321", "in-pause", "A65-0307-02", "G0363-00103"):
            if needle not in text:
                failures.append(f"{lang}: '{needle}' missing from the report")
    # The batch report: no figures to compare, but the same offline checks.
    empty_summary = os.path.join(tmp, "empty-summary.json")
    json.dump({"declarations": 0, "prestaties": {"total": 0, "approved": 0, "rejected": 0},
               "ingediend": 0, "toegekend": 0, "by_retourcode": {}, "by_signal": {},
               "by_provider": {}, "abonnementstarief": {"by_reason": {}, "refund_total": 0,
                                                        "refund_count": 0}},
              open(empty_summary, "w"))
    check(batch_html, empty_summary, "--no-figures")


def large(tmp, clients):
    d = os.path.join(tmp, "large")
    run([sys.executable, os.path.join(SRC, "tools", "gen_municipality.py"), "--istd", ISTD,
         "--out", d, "--clients", str(clients), "--providers", str(max(clients // 250, 4)),
         "--prestaties", str(clients * 10), "--month", "2025-06"])
    out = os.path.join(d, "out")
    run([ISTD, "reconcile", "--db", os.path.join(d, "ledger.db"), "--month", "2025-06",
         "--billing", os.path.join(d, "billing.csv"), "--out", out, "--today", "2025-07-03",
         "--quiet"], ok=(0, 1))
    check(os.path.join(out, "report.html"), os.path.join(out, "summary.json"),
          "--expect-refund-rows", "--screenshot",
          os.path.join(BUILD, "report-large.png"))


def main():
    tmp = tempfile.mkdtemp(prefix="istd-report-")
    try:
        sample(tmp)
        if LARGE:
            large(tmp, LARGE)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        return 1
    print("report: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
