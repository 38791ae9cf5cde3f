#!/usr/bin/env python3
"""Hostile-input test: every bad file gets a clear finding, the batch goes on, memory stays low.

Generates the hostile corpus (make_hostile.py), runs `istd validate --format json` over all of it
in one batch, and checks: no crash (exit 1, not a signal), one JSON object per file in input
order, each with the expected verdict and a finding whose text names the problem, peak RSS of the
istd process below 256 MB, and no network access attempted (schemaLocation file is validated
without fetching)."""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile

# file -> (valid?, substring expected in the first finding's text, or None)
EXPECT = {
    "bom.xml": (True, "byte-order mark"),
    "billion-laughs.xml": (False, "DOCTYPE"),
    "deep-nesting.xml": (False, None),
    "doctype.xml": (False, "DOCTYPE"),
    "empty.xml": (False, "empty"),
    "huge-text.xml": (False, "maximum message size"),
    "ijw305.xml": (False, "not in enumeration"),  # a Wmo category (01) in a JW305
    "jw305-valid.xml": (True, None),
    "jw305-iwmo-basisschema.xml": (False, None),
    "jw305-doctype.xml": (False, "DOCTYPE"),
    "jw305-truncated.xml": (False, "not well-formed"),
    "jw305-ijw33.xml": (False, "an iJw 3.3 message?"),
    "invalid-utf8.xml": (False, None),
    "latin1.xml": (False, "must be UTF-8"),
    "not-xml.xml": (False, "not well-formed"),
    "schemalocation.xml": (True, None),
    "truncated.xml": (False, "not well-formed"),
    "unknown-namespace.xml": (False, "not an iWmo 3.2 or iJw 3.2 message"),
    "utf16.xml": (False, "UTF-16"),
    "wmo315.xml": (False, "StartProducten"),  # a 305 body in the 315 namespace
    "wrong-root.xml": (False, "root element"),
    "wmo319-valid.xml": (True, None),
    "wmo319-truncated.xml": (False, "not well-formed"),
    "wmo319-doctype.xml": (False, "DOCTYPE"),
    "wmo319-iwmo31.xml": (False, "an iWmo 3.1 message?"),
    "wmo319-cd085.xml": (False, "CD085"),
    "xxe.xml": (False, "DOCTYPE"),
}
MAX_RSS_MB = 256


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--istd", required=True)
    ap.add_argument("--schemas", required=True)
    ap.add_argument("--generator", required=True)
    args = ap.parse_args()

    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, args.generator, tmp], check=True, stdout=subprocess.DEVNULL)
        files = sorted(f for f in os.listdir(tmp) if f.endswith(".xml"))
        missing = set(EXPECT) - set(files)
        if missing:
            print(f"hostile: generator did not make {sorted(missing)}")
            failures += len(missing)
        proc = subprocess.run(
            [args.istd, "validate", "--format", "json", "--schemas", args.schemas, "-j", "2", tmp],
            capture_output=True, text=True, timeout=600)
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if proc.returncode != 1:
            print(f"hostile: exit code {proc.returncode}, expected 1 (some invalid); stderr:\n{proc.stderr}")
            failures += 1
        lines = [json.loads(l) for l in proc.stdout.splitlines() if l.strip()]
        if len(lines) != len(files):
            print(f"hostile: {len(lines)} results for {len(files)} files: the batch did not go on")
            failures += 1
        for f, obj in zip(files, lines):
            src = os.path.basename(obj["source"])
            if src != f:
                print(f"hostile: output order: got {src}, expected {f}")
                failures += 1
                continue
            if f not in EXPECT:
                continue
            valid, text = EXPECT[f]
            first = obj["findings"][0]["text"] if obj["findings"] else ""
            ok = obj["valid"] == valid and (text is None or text in first)
            if not valid and not obj["findings"]:
                ok = False
            print(f"{'ok  ' if ok else 'FAIL'} {f:24} valid={obj['valid']!s:5} {first[:100]}")
            failures += 0 if ok else 1
        print(f"hostile: peak RSS of istd {rss_mb:.0f} MB (limit {MAX_RSS_MB} MB)")
        if rss_mb >= MAX_RSS_MB:
            failures += 1
    total = len(EXPECT) + 1
    print(f"hostile: {total - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
