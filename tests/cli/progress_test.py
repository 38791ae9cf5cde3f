#!/usr/bin/env python3
"""The progress line of istd validate, ingest and reconcile (src/cli/progress.hpp).

With ISTD_PROGRESS=always (the test aid: draw whatever stderr is, on every update) each command
draws "<command>: N of N <unit> (100 %)" on stderr and erases it before it ends; its stdout is
byte for byte the same as without progress (--format json), --quiet draws nothing, and a short
run with stderr on a terminal draws nothing either (the line waits two seconds).

Usage: progress_test.py ISTD SOURCE_DIR
"""
import os
import pty
import re
import subprocess
import sys
import tempfile
from pathlib import Path

TODAY = "2025-07-10"
ERASE = "\r\x1b[K"


def env(progress):
    e = dict(os.environ)
    e.pop("ISTD_PROGRESS", None)
    if progress:
        e["ISTD_PROGRESS"] = progress
    return e


def run(cmd, progress=None, expect_rc=(0, 1), cwd=None):
    p = subprocess.run(cmd, cwd=cwd, env=env(progress), capture_output=True)
    if p.returncode not in expect_rc:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}\nstderr:\n{p.stderr.decode()}")
    return p.stdout, p.stderr.decode()


def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")


def check_drawn(err, label, n, unit):
    check(f"{label}: {n} of {n} {unit} (100 %)" in err, f"{label}: no final progress line:\n{err!r}")
    check(err.startswith("\r") and err.endswith(ERASE), f"{label}: the line is not erased:\n{err!r}")
    check("\n" not in err, f"{label}: the progress line has a newline:\n{err!r}")


def main():
    istd, src = sys.argv[1], Path(sys.argv[2])
    messages = src / "fixtures" / "messages"
    sample = src / "fixtures" / "sample"
    n_messages = len(list(messages.glob("*.xml")))
    n_sample = len(list(sample.glob("*.xml")))
    month = (sample / "MONTH").read_text().strip()

    # validate: JSON Lines unchanged by progress; --quiet draws nothing.
    base, err = run([istd, "validate", "--format", "json", str(messages)])
    check(err == "", f"validate without progress wrote to stderr: {err!r}")
    out, err = run([istd, "validate", "--format", "json", str(messages)], "always")
    check(out == base, "validate --format json: stdout differs with progress")
    check_drawn(err, "validate", n_messages, "messages")
    out, err = run([istd, "validate", "--format", "json", "-j", "2", str(messages)], "always")
    check(out == base, "validate -j 2 --format json: stdout differs with progress")
    check_drawn(err, "validate", n_messages, "messages")
    out, err = run([istd, "validate", "--format", "json", "--quiet", str(messages)], "always")
    check(out == base and err == "", f"validate --quiet: drew {err!r} or changed stdout")
    # Text --quiet: only the summary, whose time varies.
    strip_time = lambda b: re.sub(rb" in [0-9.]+ s\n", b" in T s\n", b)
    base_q, _ = run([istd, "validate", "-q", str(messages)])
    out, err = run([istd, "validate", "-q", str(messages)], "always")
    check(strip_time(out) == strip_time(base_q) and err == "", f"validate -q: {err!r}")

    # A short run with stderr on a terminal: no line (it waits two seconds).
    master, slave = pty.openpty()
    p = subprocess.run([istd, "validate", "--format", "json", str(messages)], env=env(None),
                       stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    os.set_blocking(master, False)
    try:
        tty_err = os.read(master, 65536)
    except (BlockingIOError, OSError):
        tty_err = b""
    os.close(master)
    check(p.stdout == base, "validate with a terminal on stderr: stdout differs")
    check(tty_err == b"", f"validate: a short run drew on the terminal: {tty_err!r}")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        outs, errs = {}, {}
        for name, progress, extra in (("plain", None, []), ("drawn", "always", []),
                                      ("quiet", "always", ["--quiet"])):
            d = tmp / name
            d.mkdir()
            db = d / "ledger.db"
            ingest, ierr = run([istd, "ingest", "--db", str(db), "--out", str(d / "routed"),
                                "--today", TODAY, "--format", "json", *extra, str(sample)],
                               progress)
            rec, rerr = run([istd, "reconcile", "--db", str(db), "--month", month, "--billing",
                             str(sample / "billing.csv"), "--out", str(d / "reconcile"),
                             "--today", TODAY, "--format", "json", *extra], progress)
            outs[name] = (ingest.replace(str(d).encode(), b"DIR"), rec.replace(str(d).encode(), b"DIR"))
            errs[name] = (ierr, rerr)
        check(errs["plain"] == ("", ""), f"without progress: stderr {errs['plain']!r}")
        check(outs["drawn"] == outs["plain"], "ingest/reconcile --format json: stdout differs")
        check(outs["quiet"] == outs["plain"], "ingest/reconcile --quiet: stdout differs")
        check(errs["quiet"] == ("", ""), f"--quiet drew: {errs['quiet']!r}")
        check_drawn(errs["drawn"][0], "ingest", n_sample, "messages")
        n_declarations = len(list(sample.glob("*323*.xml")))  # WMO323 and JW323
        check_drawn(errs["drawn"][1], "reconcile", n_declarations, "declarations")
    print("progress: ok")


if __name__ == "__main__":
    main()
