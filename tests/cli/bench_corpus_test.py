#!/usr/bin/env python3
"""The benchmark corpora of tools/gen_corpus.py are what they claim to be.

The validate and ingest benchmarks (tools/bench_validate.sh, bench_ingest.sh, bench_standards.sh)
measure clean traffic; a corpus that istd refuses measures the refusal path instead. For each
standard (iWmo, iJw, mixed) and with request traffic:

* --kind validate: `istd validate --checks all` finds every message valid, with no finding;
  with --invalid-rate the messages istd finds invalid are exactly those of invalid.txt;
* --kind history: `istd ingest` into a new ledger accepts every message; the only finding is
  the iJw gezagsdrager warning on a JW301 (a child under 16 without a Relatie Soort 10/11);
* the same arguments give the same bytes, and the default iWmo corpus does not depend on the
  iJw code (its files carry no JW message and no request).

Usage: bench_corpus_test.py ISTD SOURCE_DIR
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

N = 400


def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")


def gen(src, out, *args):
    subprocess.run([sys.executable, str(src / "tools" / "gen_corpus.py"), "--out", str(out),
                    "--messages", str(N), *args], check=True, capture_output=True)
    return out


def digest(d):
    h = hashlib.sha256()
    for p in sorted(d.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(d)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def jsonl(cmd):
    p = subprocess.run(cmd, capture_output=True, env=dict(os.environ, ISTD_TODAY="2026-01-01"))
    check(p.returncode in (0, 1), f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.decode()[-2000:]}")
    return [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]


def main():
    istd, src = sys.argv[1], Path(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="istd-bench-corpus-") as tmp:
        tmp = Path(tmp)
        for standard, prefixes in (("wmo", {"WMO"}), ("jw", {"JW"}), ("mixed", {"WMO", "JW"})):
            extra = ["--standard", standard] + ([] if standard == "wmo" else ["--requests"])
            # validate kind: clean
            v = gen(src, tmp / f"v-{standard}", *extra)
            rows = jsonl([istd, "validate", "--checks", "all", "--format", "json", str(v)])
            check(len(rows) == N, f"validate {standard}: {len(rows)} verdicts for {N} messages")
            types = Counter(r["message"] for r in rows)
            check({t.rstrip("0123456789") for t in types} == prefixes,
                  f"validate {standard}: message types {sorted(types)}")
            if standard != "wmo":
                for t in ("315", "317", "319"):
                    check(any(k.endswith(t) for k in types), f"validate {standard}: no {t} in {sorted(types)}")
            else:
                check(not any(k[-3:] in ("315", "317", "319") for k in types),
                      f"the default iWmo corpus gained requests: {sorted(types)}")
            bad = [(r["source"], r["findings"][:2]) for r in rows if not r["valid"] or r["findings"]]
            check(not bad, f"validate {standard}: {len(bad)} messages not clean, e.g. {bad[:3]}")

            # validate kind with invalid messages: istd's verdicts match the generator's list
            vi = gen(src, tmp / f"vi-{standard}", *extra, "--invalid-rate", "0.2")
            listed = set((vi / "invalid.txt").read_text().split())
            rows = jsonl([istd, "validate", "--format", "json", str(vi)])
            found = {str(Path(r["source"]).relative_to(vi)) for r in rows if not r["valid"]}
            check(len(listed) > N // 10, f"invalid {standard}: only {len(listed)} invalid messages")
            check(found == listed, f"invalid {standard}: istd finds {len(found)} invalid, the generator "
                                   f"made {len(listed)}; differ: {sorted(found ^ listed)[:5]}")

            # history kind: every message accepted into a new ledger
            h = gen(src, tmp / f"h-{standard}", "--kind", "history", *extra)
            rows = jsonl([istd, "ingest", "--db", str(tmp / f"{standard}.db"), "--out",
                          str(tmp / f"out-{standard}"), "--format", "json", str(h)])
            check(len(rows) == N, f"ingest {standard}: {len(rows)} results for {N} messages")
            refused = [r["source"] for r in rows if not (r["valid"] and r["accepted"])]
            check(not refused, f"ingest {standard}: not accepted: {refused[:5]}")
            codes = Counter((r["message"], f["rule"]) for r in rows for f in r["findings"])
            check(set(codes) <= {("JW301", "GEZAGSDRAGER-MISSING")},
                  f"ingest {standard}: unexpected findings {codes}")
            types = Counter(r["message"] for r in rows)
            if standard != "wmo":
                check(any(k.endswith("315") for k in types) and any(k.endswith("319") for k in types),
                      f"ingest {standard}: no request flow in {sorted(types)}")
            retours = list((tmp / f"out-{standard}").rglob("*[36]0[268]/*.xml"))
            check(retours, f"ingest {standard}: no retours written")

        # deterministic: the same arguments give the same bytes
        again = gen(src, tmp / "v-mixed-again", "--standard", "mixed", "--requests")
        check(digest(again) == digest(tmp / "v-mixed"), "gen_corpus is not deterministic")
    print("bench corpora: validate, invalid and history corpora of iWmo, iJw and mixed are as stated")


if __name__ == "__main__":
    main()
