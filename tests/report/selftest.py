#!/usr/bin/env python3
"""Self-test for check_report.py.

Runs check_report.py on example_report.html / example_summary.json (must pass) and on broken
variants written to a temporary directory (each must fail, in exactly the expected checks and
with the expected message).  Exit 0 only when every case behaves.

usage: selftest.py [--jobs N] [--timing] [-v]
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "check_report.py")
EXAMPLE_HTML = os.path.join(HERE, "example_report.html")
EXAMPLE_SUMMARY = os.path.join(HERE, "example_summary.json")


def replace(old, new):
    def mutate(text):
        if text.count(old) != 1:
            raise AssertionError("selftest: %r occurs %d times in the example" % (old, text.count(old)))
        return text.replace(old, new)
    return mutate


def insert_before(marker, snippet):
    return replace(marker, snippet + marker)


def insert_after(marker, snippet):
    return replace(marker, marker + snippet)


def remove_all(old):
    def mutate(text):
        if old not in text:
            raise AssertionError("selftest: %r not in the example" % old)
        return text.replace(old, "")
    return mutate


# name, mutation of the HTML (None: unchanged), extra arguments,
# {check: substring (or list of substrings) that FAIL lines of that check must contain};
# {} means the run must pass.  The example itself holds valid HTML5 that tidy 5.6 mis-reports
# (table rows in <template>, <style> and <a href> in <svg>, a heading in <summary>), so the
# passing case also covers check_report.py's narrow tidy corrections.
CASES = [
    ("example passes", None, ["--expect-refund-rows", "--screenshot", "{tmp}/shot.png"], {}),
    ("figure with a wrong value",
     replace('data-figure="provider:65656055:toegekend" data-value="198500"',
             'data-figure="provider:65656055:toegekend" data-value="198400"'),
     [], {"figures": 'figure "provider:65656055:toegekend" (DOM line'}),
    ("unknown figure name",
     insert_after("<main>\n", '<p><span data-figure="provider:65656055:bogus" data-value="1">1</span></p>\n'),
     [], {"figures": 'unknown figure "provider:65656055:bogus"'}),
    ("expected figure missing",
     replace('<span data-figure="at:refund_count" data-value="3">3</span>', "<span>3</span>"),
     [], {"figures": 'figure "at:refund_count" missing from the page'}),
    ("external <img src=https://...>",
     insert_after("<main>\n", '<p><img src="https://example.invalid/logo.png" alt="logo"></p>\n'),
     [], {"static": "<img", "network": "page requested https://example.invalid/logo.png"}),
    ("fetch('http://example.invalid/') in an inline script",
     insert_before("</body>", "<script>fetch('http://example.invalid/');</script>\n"),
     [], {"static": "external URL http://example.invalid/",
          "network": "page requested http://example.invalid/",
          "console": "Uncaught (in promise) TypeError: Failed to fetch"}),
    ("fetch of a URL the static check cannot see (net log only)",
     insert_before("</body>", "<script>fetch(['ht', 'tp:', '//example.invalid/hidden'].join(''))"
                              ".catch(function () {});</script>\n"),
     [], {"network": "page requested http://example.invalid/hidden"}),
    ("JS exception",
     insert_before("</body>", "<script>document.getElementById('nope').textContent = 'x';</script>\n"),
     [], {"console": "uncaught exception at example_report.html"}),
    ("console.error",
     insert_before("</body>", "<script>console.error('rapport kapot');</script>\n"),
     [], {"console": "rapport kapot"}),
    ("local stylesheet via @import and url()",
     insert_before("</style>\n</head>", '@import "extra.css";\n.logo { background: url(logo.png); }\n'),
     [], {"static": "@import"}),
    ("refund row without timeline",
     insert_before("</tbody>\n</table>\n\n<details open>",
                   '<tr data-refund data-bsn="999900099" data-month="2025-06"><td>999900099</td>'
                   '<td>2025-06</td><td>pause</td><td class="amount">&euro;&nbsp;21,00</td></tr>\n'),
     [], {"timelines": "refund row for BSN 999900099 month 2025-06"}),
    ("--expect-refund-rows without refund rows",
     remove_all(" data-refund"),
     ["--expect-refund-rows"], {"timelines": "--expect-refund-rows: the page has no element"}),
    ("tidy: mis-nested element, <style> in <body> (outside <svg>)",
     insert_after("<main>\n", "<p><em>mis-nested</p></em>\n<style>p { color: red; }</style>\n"),
     [], {"tidy": ["missing </em> before </p>", "<style>"]}),
    ("tidy: mis-nesting inside <template> is still found",
     replace('<tr><td class="name"></td>', '<tr><td class="name"><b></td>'),
     [], {"tidy": "missing </b> before </td>"}),
]


RE_FAIL = re.compile(r"^FAIL \[(\w+)\] (.*)$", re.M)


def run_case(case, tmproot, verbose):
    name, mutate, extra, expect = case
    tmp = tempfile.mkdtemp(prefix="case-", dir=tmproot)
    with open(EXAMPLE_HTML, encoding="utf-8") as f:
        text = f.read()
    try:
        if mutate:
            text = mutate(text)
    except AssertionError as e:
        return name, False, str(e), 0.0
    html = os.path.join(tmp, "example_report.html")
    with open(html, "w", encoding="utf-8") as f:
        f.write(text)
    shutil.copy(EXAMPLE_SUMMARY, os.path.join(tmp, "example_summary.json"))
    cmd = [sys.executable, CHECK, "--html", html, "--summary",
           os.path.join(tmp, "example_summary.json")] + [a.replace("{tmp}", tmp) for a in extra]
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=180)
        out, rc = r.stdout.decode("utf-8", "replace"), r.returncode
    except subprocess.TimeoutExpired:
        return name, False, "check_report.py did not finish in 180 s", time.monotonic() - t0
    took = time.monotonic() - t0
    fails = RE_FAIL.findall(out)
    got = {c for c, _ in fails}
    problems = []
    if not expect:
        if rc != 0:
            problems.append("expected a pass, got exit %d" % rc)
    else:
        if rc != 1:
            problems.append("expected exit 1, got %d" % rc)
        if got != set(expect):
            problems.append("expected failures in %s, got %s" % (sorted(expect), sorted(got)))
        for check, needles in expect.items():
            for needle in [needles] if isinstance(needles, str) else needles:
                if not any(c == check and needle in m for c, m in fails):
                    problems.append("no FAIL [%s] line containing %r" % (check, needle))
    detail = out if (problems or verbose) else ""
    if not problems:
        summary = ("passed" if not expect else
                   "failed as expected in " + ", ".join("%s" % c for c in sorted(got)))
        first = [m for c, m in fails]
        if first:
            summary += ": " + first[0][:110]
        return name, True, summary + ("\n" + detail if detail else ""), took
    return name, False, "; ".join(problems) + "\n" + out, took


def main():
    ap = argparse.ArgumentParser(description="self-test for check_report.py")
    ap.add_argument("--jobs", type=int, default=3, help="cases run in parallel (3)")
    ap.add_argument("--timing", action="store_true", help="also run the example with --timing")
    ap.add_argument("-v", "--verbose", action="store_true", help="show every check_report output")
    args = ap.parse_args()
    cases = list(CASES)
    if args.timing:
        cases.append(("example with --timing", None, ["--timing"], {}))
    t0 = time.monotonic()
    bad = 0
    with tempfile.TemporaryDirectory(prefix="report-selftest-") as tmproot:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(run_case, c, tmproot, args.verbose) for c in cases]
            for fut in futures:
                name, ok, msg, took = fut.result()
                bad += not ok
                print("%s %-62s %5.1f s  %s" % ("ok  " if ok else "FAIL", name, took, msg.rstrip()))
    print("selftest: %d case(s), %d failed, %.1f s" % (len(cases), bad, time.monotonic() - t0))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
